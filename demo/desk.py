"""A realistic desk day: a second staff member, fresh questions across the tiers, a
cluster of two waiting questions, claims held by two people with different loads, and
a staff-only note. Written through the apps' actions, after demo.forum (whose older
unanswered questions fill the upper tiers) and demo.duplicates."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from demo.people import person
from desk import actions as desk_actions
from forum import actions
from forum.models import Category, Thread

# (key, category, author, hours ago, title, body, tags, me-too voters)
FRESH = [
    ("export-a", "bugs", "tom", 6,
     "PDF export closes the app on macOS 15",
     "Every time I export a notebook to PDF on macOS 15 Sequoia the app just closes. No error message.",
     ["macos", "export"], ["lena", "felix"]),
    ("export-b", "bugs", "yuki", 2,
     "Exporting to PDF crashes Brightdesk on my Mac",
     "Since updating macOS, choosing File > Export > PDF crashes Brightdesk instantly. Happens with every notebook.",
     ["macos", "export"], ["olivia"]),
    ("reminder", "mobile", "ana", 0.5,
     "Reminder notifications arrive an hour late after the clock change",
     "Since the switch to winter time every reminder fires one hour late on my Android phone.",
     ["android", "reminders"], []),
    ("invoice", "billing", "kwame", 1.5,
     "Invoice shows the wrong VAT number for my company",
     "The invoice for this month shows our old VAT number although I updated it in the billing settings.",
     ["invoices"], ["nadia"]),
    ("share", "sync", "jonas", 3,
     "Shared link asks viewers to sign in",
     "I shared a notebook with a public link, but people who open it are asked to sign in first.",
     ["sharing"], []),
    ("attach", "sync", "marco", 5,
     "Attachments over 20 MB never finish uploading",
     "Small attachments upload fine, but a 25 MB PDF stays at 99% forever on Windows and on the web.",
     ["attachments", "sync"], ["sam"]),
]  # fmt: skip

# Questions Mia answered today: her replies take them out of the queue.
ANSWERED_BY_MIA = [
    (
        "tom",
        "Where do I change the default font size?",
        "Settings > Editor > Font size; it applies to new notes.",
    ),
    ("lena", "Can I export a single note as Markdown?", "Yes: open the note, then File > Export > Markdown."),
    (
        "felix",
        "Does the web app work offline?",
        "Not yet; the desktop and mobile apps do. It is on our roadmap.",
    ),
    ("olivia", "How do I change the order of my notebooks?", "Drag them in the sidebar; the order syncs."),
    ("priya", "Is there a keyboard shortcut for a checklist?", "Ctrl+Shift+C (Cmd+Shift+C on a Mac)."),
]


def load(cast: dict[str, User]) -> None:
    """Precondition: inside the loader's transaction (demo.load), after demo.forum."""
    if Thread.objects.filter(title=FRESH[0][4]).exists():
        return
    mia = person("mia@example.com", "Mia Chen", User.Role.STAFF)
    categories = {c.slug: c for c in Category.objects.all()}
    area = next(iter(categories.values()))
    now = timezone.now()
    made = {}
    for key, slug, author, hours, title, body, tags, voters in FRESH:
        thread = actions.create_thread(
            cast[author],
            title,
            body,
            categories.get(slug, area),
            tags,
            created_at=now - timedelta(hours=hours),
        )
        for voter in voters:
            actions.me_too(cast[voter], thread)
        made[key] = thread
    for i, (author, title, answer) in enumerate(ANSWERED_BY_MIA):
        asked = now - timedelta(hours=3 + i)
        thread = actions.create_thread(
            cast[author], title, f"{title} I could not find it in the help.", area, created_at=asked
        )
        actions.add_answer(thread, mia, answer, created_at=asked + timedelta(minutes=40 + 15 * i))
    # Bob took the cluster of the 4.2 sync problem; Mia carries more: five claims on top
    # of her answers.
    windows = Thread.objects.filter(
        title="Windows laptop stopped uploading notes since the 4.2 update"
    ).first()
    if windows is not None and windows.waiting_since is not None:
        desk_actions.take(cast["bob"], windows)
    for title in (
        "Charged twice for the annual Pro plan",
        "Linux AppImage won't start on Ubuntu 24.04",
        "Brightdesk uses a lot of battery on my Android phone",
        FRESH[4][4],
        FRESH[5][4],
    ):
        thread = Thread.objects.filter(title=title).first()
        if thread is not None and thread.waiting_since is not None:
            desk_actions.take(mia, thread)
    charged = Thread.objects.filter(title="Charged twice for the annual Pro plan").first()
    if charged is not None:
        desk_actions.add_note(
            mia,
            charged,
            "Refund of the second charge issued in Stripe (order BD-2026-0412). Waiting for the bank.",
        )
