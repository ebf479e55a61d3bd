"""Seven weeks of history for the insights page (issue 13: "the demo data gives the
insights page a few weeks of history"): from 8 to 56 days ago, about four customer
questions a day (fewer at weekends) across the five areas, each answered by Bob or Mia
after a realistic delay (log-normal, slower in the older weeks, a few past 24 hours),
about half of them solved (an official staff answer, or a customer's answer the asker
accepted), a few solved through a linked question with their me-too voters, two staff
answers that became articles; and until yesterday, ask-page visits that were shown
suggestions (a growing share of them prevented) and "Yes, it helped" votes on the
published articles.

Written in bulk, as bench/insights_bench.py writes its questions: a few hundred rows
through the actions would cost load_demo (which the tests run) seconds. The fields the
actions own are set as the actions would set them (status, first staff reply, counts,
last activity); nothing here is waiting for staff, queued or emailed. The questions stop
8 days ago so that the desk's week (each person's replies, docs/desk.md "Workload")
stays the story's. Seeded: the same history on every load."""

from __future__ import annotations

import html
import random
from datetime import timedelta

from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from demo.kb import _load_article as load_article
from forum.models import Category, MeToo, Post, Thread
from kb import actions as kb_actions
from kb.models import Article, HelpfulVote
from search.models import AskAttempt

FIRST_DAY, LAST_DAY = 56, 8  # days ago
PREFIX = "demo-history"

# Per area: what people ask about, and where.
SUBJECTS = {
    "installation": (
        ["The installer stops at 80 %", "Update to 4.1 asks for a restart every time", "Cannot install on a work laptop",
         "Moving Brightdesk to a new computer", "The app does not start after updating", "Where is the offline installer?"],
        ["on Windows 11", "on macOS", "on Windows 10", "after the last update", "behind a proxy", ""],
    ),
    "sync": (
        ["Notes take minutes to sync", "A notebook is missing on my phone", "Two-factor code is not accepted",
         "Sync conflict copies keep appearing", "Cannot sign in with my Google account", "Edits from the web do not show up"],
        ["on Android", "on the web app", "on my iPad", "since this morning", "with two devices", ""],
    ),
    "billing": (
        ["Charged after cancelling my trial", "How do I get a refund?", "Change the card on my plan",
         "The invoice has the wrong address", "Switching from monthly to yearly", "Student discount not applied"],
        ["", "for my team", "this month", "for last year", "in euros", ""],
    ),
    "mobile": (
        ["The widget stays empty", "Photos attached to notes do not load", "Reminders do not ring",
         "The app closes when I open a checklist", "Dark mode resets itself", "Handwriting is laggy"],
        ["on iPhone", "on Android 14", "on my iPad", "on a Pixel", "after the update", ""],
    ),
    "bugs": (
        ["Search misses words with accents", "Tables lose their formatting when pasted", "Idea: tags in the sidebar",
         "Undo removes more than the last change", "Links to other notes break after renaming", "Font size resets"],
        ["in the desktop app", "on the web", "in shared notebooks", "since 4.2", "", ""],
    ),
}  # fmt: skip
WEIGHTS = {"installation": 2, "sync": 3, "billing": 2, "mobile": 2, "bugs": 1}
ANSWERS = [
    "Thanks for the details. This is a known issue in this version: the next update fixes it. Until then, "
    "signing out and in again brings everything back.",
    "Could you try this: open Settings, choose Reset local cache, and restart the app? That clears the state "
    "that causes this.",
    "This is how it works today, and I understand it is confusing. I have passed it to the team; here is the "
    "way to do it for now: use File > Export and choose the notebook.",
    "I have checked your account and corrected it on our side. It may take a few minutes to show.",
]
# Two staff answers became articles during those weeks (the rest of the KB is recent):
# (area, the answer, published days ago, title, summary).
ARTICLES = [
    ("sync", ANSWERS[1], 42, "Reset the local cache when notes stop syncing",
     "Settings > Reset local cache, then restart: it clears the state that stalls sync."),
    ("mobile", ANSWERS[0], 33, "Sign out and in again when the app shows old notes",
     "A known issue in this version; signing out and in again brings everything back."),
]  # fmt: skip
COMMUNITY_ANSWER = "Same thing happened to me; reinstalling the latest version fixed it."
BODY = "Since a few days: {title}. I tried restarting and it did not help. What can I do?"


def threads():
    """The history's questions (their bodies are the history's own)."""
    return Thread.objects.filter(body_md__startswith=BODY.split("{")[0])


def _people(cast: dict[str, User]) -> tuple[list[User], list[User]]:
    staff = [u for u in (cast.get("bob"), User.objects.filter(email="mia@example.com").first()) if u]
    customers = list(
        User.objects.filter(role=User.Role.CUSTOMER, email__endswith="@example.com").exclude(
            email__in=["alice@example.com", "dave@example.com", "erin@example.com"]
        )
    )
    return staff, customers


def load(cast: dict[str, User]) -> None:
    """Precondition: inside the loader's transaction (demo.load), after demo.forum,
    demo.kb and demo.desk (Mia)."""
    if AskAttempt.objects.filter(token__startswith=PREFIX).exists():
        return
    areas = {c.slug: c for c in Category.objects.filter(slug__in=SUBJECTS)}
    staff, customers = _people(cast)
    if len(areas) < len(SUBJECTS) or not staff or not customers:
        return  # the forum demo changed: no history rather than an odd one
    rng = random.Random(13)  # noqa: S311 - a seeded story, not a secret
    now = timezone.now()
    plan = []  # (thread, answer moment, answerer, solved how)
    threads = []
    slugs = list(areas)
    for days_ago in range(FIRST_DAY, LAST_DAY - 1, -1):
        day = (now - timedelta(days=days_ago)).replace(hour=8, minute=0, second=0, microsecond=0)
        week = (FIRST_DAY - days_ago) // 7  # 0 (oldest) to 6
        for _ in range(rng.choice([1, 2, 2, 3]) if day.weekday() >= 5 else rng.choice([3, 4, 4, 5, 6])):
            slug = rng.choices(slugs, weights=[WEIGHTS[s] for s in slugs])[0]
            subjects, places = SUBJECTS[slug]
            title = " ".join(x for x in (rng.choice(subjects), rng.choice(places)) if x)
            asked = day + timedelta(hours=rng.uniform(0, 12))
            # Slower replies in the older weeks (before Mia joined the desk): median 9 h to 3 h.
            wait = min(rng.lognormvariate(0, 0.9) * (9 - week), 80)
            answered = asked + timedelta(hours=wait)
            how = rng.choices(["open", "official", "accepted", "linked"], weights=[48, 34, 12, 6])[0]
            thread = Thread(
                title=title, slug=slugify(title)[:80] or "question", body_md=BODY.format(title=title.lower()),
                body_html=f"<p>{html.escape(BODY.format(title=title.lower()))}</p>",
                author=rng.choice(customers), category=areas[slug], created_at=asked,
                status=Thread.Status.SOLVED if how != "open" else Thread.Status.STAFF_ANSWERED,
                first_staff_response_at=answered, last_activity_at=answered, answer_count=1,
                view_count=rng.randint(5, 120),
            )  # fmt: skip
            threads.append(thread)
            plan.append((thread, answered, staff[(len(threads) + week) % len(staff)], how))
    Thread.objects.bulk_create(threads)
    posts, accepted = [], []
    for thread, answered, who, how in plan:
        official = how == "official"
        posts.append(
            Post(thread=thread, author=who, body_md=(text := rng.choice(ANSWERS)),
                 body_html=f"<p>{html.escape(text)}</p>", created_at=answered, is_official=official,
                 official_by=who if official else None, official_at=answered if official else None)
        )  # fmt: skip
        if how == "accepted":
            later = answered + timedelta(hours=rng.uniform(2, 40))
            accepted.append((thread, Post(thread=thread, author=rng.choice([c for c in customers if c != thread.author]),
                                          body_md=COMMUNITY_ANSWER, body_html=f"<p>{COMMUNITY_ANSWER}</p>",
                                          created_at=later)))  # fmt: skip
    Post.objects.bulk_create(posts + [p for _t, p in accepted])
    for thread, post in accepted:
        thread.accepted_post = post
        thread.answer_count = 2
        thread.last_activity_at = post.created_at
    Thread.objects.bulk_update(
        [t for t, _p in accepted], ["accepted_post", "answer_count", "last_activity_at"]
    )
    _articles(now, staff[0])
    articles = list(Article.objects.filter(status=Article.Status.PUBLISHED).order_by("published_at"))
    _linked(plan, articles, customers, rng)
    _ask_page(now, rng)
    _votes(now, articles, rng)


def _articles(now, staff: User) -> None:
    """Promoted, edited and published through kb's actions (demo.kb's way), back then."""
    for slug, text, days_ago, title, summary in ARTICLES:
        when = now - timedelta(days=days_ago)
        answer = (
            Post.objects.filter(
                thread__in=threads(), thread__category__slug=slug, author=staff, is_official=True,
                created_at__lt=when - timedelta(hours=3),
            )
            .order_by("-created_at")
            .first()
        )  # fmt: skip
        if answer is not None:
            # The answer the article grew from says what the article says.
            Post.objects.filter(pk=answer.pk).update(body_md=text, body_html=f"<p>{html.escape(text)}</p>")
            answer.refresh_from_db()
            load_article(staff, answer, title, summary, None, [], 0, [], when)


def _linked(plan, articles, customers, rng) -> None:
    """Solved through a linked question (docs/forum.md): the fix reached the asker and
    the people who said "me too"."""
    marked, votes = [], []
    for thread, answered, _who, how in plan:
        article = next((a for a in articles if a.published_at < answered), None)
        if how != "linked" or article is None:
            continue
        voters = rng.sample([c for c in customers if c != thread.author], rng.randint(1, 3))
        votes += [
            MeToo(thread=thread, user=v, created_at=thread.created_at + timedelta(hours=1)) for v in voters
        ]
        thread.me_too_count = len(voters)
        thread.people_count = 1 + len(voters)
        thread.linked_fix = Thread.LinkedFix.CONFIRMED
        thread.linked_fix_at = answered + timedelta(minutes=5)
        thread.linked_fix_key = f"fix:article:{article.pk}"
        thread.linked_fix_url = article.get_absolute_url()
        thread.linked_fix_title = article.title
        marked.append(thread)
    MeToo.objects.bulk_create(votes)
    Thread.objects.bulk_update(
        marked,
        ["me_too_count", "people_count", "linked_fix", "linked_fix_at", "linked_fix_key", "linked_fix_url",
         "linked_fix_title"],
    )  # fmt: skip


def _ask_page(now, rng) -> None:
    """Visits to the ask page that were shown suggestions: a growing share opened one and
    did not post (search's deflection, search/queries.py)."""
    attempts = []
    for days_ago in range(FIRST_DAY, 0, -1):
        prevented_share = 0.15 + 0.25 * (FIRST_DAY - days_ago) / FIRST_DAY
        for n in range(rng.randint(3, 7)):
            at = now - timedelta(days=days_ago, hours=rng.uniform(0, 10))
            opened = rng.random() < prevented_share + 0.1
            posted = not opened or rng.random() < 0.1
            attempts.append(
                AskAttempt(
                    token=f"{PREFIX}-{days_ago}-{n}", created_at=at, suggestions_shown=rng.randint(1, 5),
                    opened_at=at + timedelta(minutes=1) if opened else None,
                    posted_at=at + timedelta(minutes=4) if posted else None,
                )
            )  # fmt: skip
    AskAttempt.objects.bulk_create(attempts)


def _votes(now, articles, rng) -> None:
    """ "Yes, it helped" (and a few "No") votes through kb's action, backdated to the days
    after each article was published: the counters stay the action's."""
    for article in articles:
        for days_ago in range(FIRST_DAY, 0, -1):
            for n in range(rng.choice([0, 0, 1, 1, 2])):
                at = now - timedelta(days=days_ago, hours=rng.uniform(0, 10))
                if at <= article.published_at:
                    continue
                voter = f"v:{PREFIX}-{article.pk}-{days_ago}-{n}"
                kb_actions.vote(article, voter, rng.random() < 0.85)
                HelpfulVote.objects.filter(article=article, voter=voter).update(created_at=at)
