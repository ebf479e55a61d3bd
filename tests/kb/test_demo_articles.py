"""The demo knowledge base claims only what is true (issue 12, item 7): an article's
"Questions it resolved" are the thread it was promoted from and confirmed duplicates of
that thread — a demo article once claimed an open, unrelated question about conflicted
copies."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from duplicates.models import ClusterMembership
from kb.models import Article


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


def test_every_demo_article_resolves_only_threads_about_its_problem(demo, client):
    clusters = dict(ClusterMembership.objects.values_list("thread_id", "cluster_id"))
    articles = list(Article.objects.prefetch_related("sources__thread"))
    assert articles
    for article in articles:
        sources = list(article.sources.all())
        promoted = [s.thread for s in sources if s.post_id is not None]
        assert promoted, article.title
        topic = {clusters.get(t.pk) for t in promoted} - {None}
        for source in sources:
            if source.post_id is not None:
                continue
            assert clusters.get(source.thread_id) in topic, (
                f"“{article.title}” claims to resolve “{source.thread.title}”, "
                "which is not a confirmed duplicate of the question it came from"
            )
        html = client.get(article.get_absolute_url()).content.decode()
        resolved = len(sources)
        assert f"Resolved {resolved} thread{'s' if resolved != 1 else ''}" in html
