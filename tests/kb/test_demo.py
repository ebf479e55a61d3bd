"""`make run` shows a living knowledge base: articles promoted from the demo threads."""

from django.core import mail
from django.core.management import call_command

from jobs.models import PendingJob
from kb.models import Article, ArticleSource


def test_demo_loads_published_articles_promoted_from_demo_threads(client, db):
    call_command("load_demo")
    articles = list(Article.objects.all())
    assert len(articles) == 5
    assert all(a.status == "published" and a.revisions.count() == 2 for a in articles)
    assert all(
        ArticleSource.objects.filter(article=a, post__author__email="bob@example.com").exists()
        for a in articles
    )
    assert sum(a.helpful_count for a in articles) > 0
    assert not PendingJob.objects.filter(done_at__isnull=True).exists()
    assert mail.outbox == []
    html = client.get("/kb/").content.decode()
    assert "Sync stalls after updating to 4.2 on Windows" in html
    page = client.get("/kb/sync-stalls-after-updating-to-42-on-windows/").content.decode()
    assert "Resolved 2 threads" in page and "On this page" in page
    call_command("load_demo")  # a second run adds nothing
    assert Article.objects.count() == 5
