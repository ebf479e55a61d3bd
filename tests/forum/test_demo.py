"""Demo data: a living forum on first run, idempotent, and nobody emailed about it."""

from django.core import mail
from django.core.management import call_command

from forum.models import Category, Post, Thread
from jobs.models import PendingJob


def test_load_demo_builds_a_varied_forum_once(db, client):
    call_command("load_demo")
    threads = Thread.objects.all()
    assert threads.count() >= 20
    assert Category.objects.count() == 5
    statuses = set(threads.values_list("status", flat=True))
    assert statuses == {"open", "answered", "solved"}
    assert threads.filter(accepted_post__isnull=False).exists()
    assert Post.objects.filter(is_official=True, author__role="staff").exists()
    assert threads.filter(me_too_count__gte=5).exists()
    assert threads.filter(created_at__lt=threads.order_by("-created_at")[0].created_at).exists()
    assert not PendingJob.objects.filter(done_at__isnull=True).exists()
    assert mail.outbox == []
    call_command("load_demo")  # idempotent
    assert Thread.objects.count() == threads.count()
    page = client.get("/questions/")
    assert (
        page.status_code == 200
        and "Notes stop syncing after updating to 4.2 on Windows" in page.content.decode()
    )
    assert "118842" not in Thread.objects.get(title__startswith="Charged twice").body_html
