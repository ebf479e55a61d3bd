"""Demo knowledge base: five Brightdesk articles promoted from the demo forum's
official staff answers, edited into articles, published, and voted on.

Everything goes through kb.actions, as staff would do it, so each article has a
revision history (the promoted answer, then the edit). Does nothing if articles exist.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from forum.models import Post, Thread
from kb import actions
from kb.models import Article, Revision

# Source thread title -> (article title, summary, body or None to keep the answer,
# extra linked thread titles, helpful votes, not-helpful votes with reasons, days ago).
# An extra linked thread is one the article really resolves: a confirmed duplicate of
# the source thread (the same problem), never merely a thread of the same area — the
# article page counts it as "resolved" and emails its followers. tests/kb/test_demo_articles.py
# checks it.
ARTICLES = [
    (
        "Notes stop syncing after updating to 4.2 on Windows",
        "Sync stalls after updating to 4.2 on Windows",
        "Brightdesk 4.2.0 on Windows stops uploading when a note has an attachment over 25 MB. "
        "Skip the stalled upload, then update to 4.2.1.",
        (
            "Brightdesk **4.2.0 on Windows** stops uploading notes when one of them has an attachment larger "
            "than **25 MB**: the upload queue waits behind it, so nothing written on Windows reaches your "
            "other devices. Notes written elsewhere still arrive.\n\n"
            "## Check that this is your problem\n\n"
            "- The sync icon spins for a long time, then shows *Sync paused*.\n"
            "- *Settings → Sync → Upload queue* lists an item marked *waiting*.\n\n"
            "## Skip the stalled upload\n\n"
            "1. Open *Settings → Sync → Upload queue*.\n"
            "2. Find the item marked *waiting* and choose **Skip for now**.\n"
            "3. Press **Sync now**.\n\n"
            "Everything else syncs right away.\n\n"
            "## Install 4.2.1\n\n"
            "Version 4.2.1 fixes the cause. Choose *Help → Check for updates*; after the update the skipped "
            "attachment uploads by itself.\n\n"
            "## If it still does not sync\n\n"
            "Sign out from the account menu and sign in again (your notes stay on the computer). If that "
            "does not help, [ask a question](/questions/ask/) and mention your Brightdesk version."
        ),
        # Not "Conflicted copy notes appear every time I edit on two devices": another
        # problem (two edits, no stalled upload), still open, and this article does not fix it.
        [],
        14,
        [("Does not say what to do on macOS", 1)],
        3,
    ),
    (
        "Installer fails with error 0x80070643 on Windows 10",
        "Fix installer error 0x80070643 (1603) on Windows",
        "The installer could not close the running Brightdesk. Quit it from the tray and end the helper "
        "process, then run the installer again.",
        None,
        [],
        9,
        [],
        6,
    ),
    (
        "How do I download invoices for my company's accounting?",
        "Download invoices and add your VAT number",
        "Invoices are on the web under Account → Billing → Invoices, each as a PDF. Add a Tax ID to "
        "regenerate them with your VAT number.",
        None,
        [],
        6,
        [("I need invoices for a plan I cancelled", 2)],
        8,
    ),
    (
        "Moving Brightdesk to a new Mac without losing offline notebooks",
        "Move Brightdesk to a new Mac with your offline notebooks",
        "Export each offline notebook as a .bdarchive on the old Mac and import it on the new one: "
        "attachments, tags and history come along.",
        None,
        [],
        5,
        [],
        10,
    ),
    (
        "Changed my email address and now I can't sign in on the desktop app",
        "Sign in again on the desktop after changing your email",
        "The desktop app still holds a sign-in token for your old address. Sign out from the account menu "
        "and sign in with the new one; your notes stay on the computer.",
        None,
        [],
        3,
        [],
        2,
    ),
]


def _staff_answer(thread: Thread) -> Post | None:
    posts = Post.objects.visible().filter(thread=thread).select_related("author")
    return next((p for p in posts.order_by("-is_official", "created_at") if p.author.is_support_staff), None)


def load(people: dict[str, User]) -> None:
    """Precondition: inside the loader's transaction (demo.load), after demo.forum."""
    if Article.objects.exists():
        return
    staff = people["bob"]
    now = timezone.now()
    for source, title, summary, body, linked, helpful, unhelpful, days in ARTICLES:
        thread = Thread.objects.filter(title=source).first()
        answer = _staff_answer(thread) if thread else None
        if answer is None:
            continue  # the forum demo changed: skip rather than invent a source
        _load_article(
            staff, answer, title, summary, body, linked, helpful, unhelpful, now - timedelta(days=days)
        )


def _load_article(staff, answer, title, summary, body, linked, helpful, unhelpful, when) -> None:
    article = actions.promote(answer, staff, created_at=when - timedelta(hours=2))
    actions.save_article(
        article,
        staff,
        title=title,
        summary=summary,
        body=body or article.body_md,
        category=article.category,
        tags=article.tags.names(),
        slug=Article.make_slug(title),
        comment="Edited into an article: clearer title and summary",
    )
    for other in Thread.objects.filter(title__in=linked):
        actions.link_thread(article, other, staff)
    actions.publish(article, staff, now=when)
    for i in range(helpful):
        actions.vote(article, f"v:demo-{article.pk}-yes-{i}", True)
    for reason, count in unhelpful:
        for i in range(count):
            key = f"v:demo-{article.pk}-no-{i}"
            actions.vote(article, key, False)
            actions.add_vote_reason(article, key, reason)
    # Backdate what the actions stamped "now" (demo only), so "updated" dates look lived-in.
    Article.objects.filter(pk=article.pk).update(updated_at=when, view_count=helpful * 9 + 17)
    Revision.objects.filter(article=article, number=2).update(created_at=when - timedelta(hours=1))
