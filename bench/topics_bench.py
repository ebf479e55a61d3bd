"""How long does matching a new question against everyone's followed topics take
(forum.topics, issue 13 item 6)?

    .venv/bin/python bench/topics_bench.py --backend postgresql --people 5000 --pg-db onefix_topics_bench
    .venv/bin/python bench/topics_bench.py --backend sqlite --people 5000

Builds its own database (bench/common.py; on PostgreSQL `--pg-db`, dropped and
re-created): `--people` customers, each following one of 12 areas, one of 200 tags and
one saved search of two words from a 400-word vocabulary (so about as many distinct
searches as people, up to 80,000 pairs), written in bulk. Then `--rounds` questions
are asked (forum.actions.create_thread: indexed for search, as in production), each with
two tags and words from the vocabulary, and for each:
- `matching_follows(thread)`: the follows it matches (tags, area, every distinct search
  through search.query.matching_queries), and
- `handle_match(...)`: the first job (the match again, then one job per CHUNK people),
  and each chunk job (a notice per person: their choice, "told already?", the email
  rendered, the insert).
Prints min / median / max in ms, how many people each question reached, and the
machine's load average before and after.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import use_database

AREAS, TAGS, WORDS = 12, 200, 400


def vocabulary() -> list[str]:
    # Pronounceable made-up words: no stop words, and stemming keeps them apart.
    rng = random.Random(7)
    consonants, vowels = "bdfgklmnprstvz", "aeiou"
    words: set[str] = set()
    while len(words) < WORDS:
        words.add("".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(3)))
    return sorted(words)


def build(people: int):
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    from allauth.account.models import EmailAddress

    from accounts.models import User
    from forum.models import Category, Tag, TopicFollow

    rng = random.Random(42)
    words = vocabulary()
    users = User.objects.bulk_create(
        [User(email=f"p{i}@example.com", display_name=f"Person {i}") for i in range(people)], batch_size=5000
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users], batch_size=5000
    )
    areas = [Category.objects.create(name=f"Area {i}", slug=f"area-{i}", position=i) for i in range(AREAS)]
    tags = Tag.objects.bulk_create([Tag(name=f"tag{i}", slug=f"tag{i}") for i in range(TAGS)])
    rows = []
    for u in users:
        rows.append(TopicFollow(user=u, kind="area", category=rng.choice(areas)))
        rows.append(TopicFollow(user=u, kind="tag", tag=rng.choice(tags)))
        rows.append(TopicFollow(user=u, kind="search", query=" ".join(rng.sample(words, 2))))
    TopicFollow.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
    asker = User.objects.create_user("asker@example.com", "x", display_name="Asker")
    EmailAddress.objects.create(user=asker, email=asker.email, verified=True, primary=True)
    return asker, areas, tags, words


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--pg-db", default="onefix_topics_bench")
    args = parser.parse_args()
    use_database(args.backend, pg_db=args.pg_db, sqlite_name="onefix-topics-bench")
    load_before = os.getloadavg()[0]
    asker, areas, tags, words = build(args.people)

    from forum import actions, topics
    from forum.models import TopicFollow
    from jobs.models import Notice, PendingJob

    distinct = TopicFollow.objects.filter(kind="search").values("query").distinct().count()
    rng = random.Random(1)
    match_ms, job_ms, chunk_ms, chunk_people, reached = [], [], [], [], []
    for i in range(args.rounds):
        text = " ".join(rng.sample(words, 30))
        thread = actions.create_thread(
            asker, f"Question {i} about {' '.join(rng.sample(words, 4))}", f"Round {i}: {text}.",
            rng.choice(areas), [t.name for t in rng.sample(tags, 2)],
        )  # fmt: skip
        start = time.perf_counter()
        people = topics.matching_follows(thread)
        match_ms.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        topics.handle_match({"thread_id": thread.pk})  # past CHUNK people: queues the chunks
        job_ms.append((time.perf_counter() - start) * 1000)
        for job in PendingJob.objects.filter(dedupe_key__startswith=f"topic-match:{thread.pk}:"):
            start = time.perf_counter()
            told = topics.handle_match(job.payload)
            chunk_ms.append((time.perf_counter() - start) * 1000)
            chunk_people.append(told)
        reached.append(len(people))
    assert Notice.objects.count() == sum(reached)

    def line(name, values):
        return f"{name}: min {min(values):.1f} / median {statistics.median(values):.1f} / max {max(values):.1f} ms"

    print(
        f"{args.backend}: {args.people} people, {TopicFollow.objects.count()} follows, {distinct} distinct searches"
    )
    print(line("matching_follows", match_ms))
    print(line("handle_match, the first job (match + queue the chunks)", job_ms))
    if chunk_ms:
        per_person = [ms / n for ms, n in zip(chunk_ms, chunk_people, strict=True) if n]
        print(line(f"a chunk job ({topics.CHUNK} people: a notice each)", chunk_ms))
        print(line("per person told", per_person))
    print(
        f"people reached per question: min {min(reached)} / median {statistics.median(reached)} / max {max(reached)}"
    )
    print(f"load average {load_before:.1f} -> {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
