"""Repeated firefighting for the desk (issue 13, item 4): over three weeks three customers
found blank images in their exported PDFs (24, 16 and 9 days ago: none in the
workload page's week), and Bob typed the same fix three times in his
own words. No article covers it, so the desk tells him "You've answered this 3 times —
promote it to the knowledge base". Yuki accepted his reply: the one a promotion starts from.

The demo's other repeat, Bob's outage notice on the four sign-in threads of the past
spike (demo/spikes.py), is no article: Bob has marked it "not a repeat", as staff would.
Runs the grouping job itself (desk.firefight.refresh), as beat would within 15 minutes.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from demo import history, spikes
from desk import firefight
from desk.models import RepeatGroup
from forum import actions
from forum.models import Category, Thread

# (asker, days ago, title, question, Bob's answer, accepted by the asker?)
THREADS = [
    ("tom", 24, "Exported PDF has blank boxes instead of my images",
     "When I export a note with screenshots to PDF, every image is an empty grey box. The note "
     "itself shows them fine. Windows 11, Brightdesk 4.2.0.",
     "Hi Tom, thanks for the report! This happens when *Compress images* is on in the PDF "
     "exporter. Open **Settings → Export → PDF**, turn off **Compress images** and export again: "
     "the images come back. The 4.2.1 update fixes the compression for good. Hope this helps!",
     False),
    ("yuki", 16, "Images missing from PDF export on Mac",
     "Exporting my lecture notes to PDF drops all the pictures. Text and tables are there. "
     "macOS 14, latest Brightdesk.",
     "Hello Yuki, sorry for the trouble. Images go missing from an exported PDF when the "
     "*Compress images* option is on. Go to **Settings → Export → PDF**, switch **Compress "
     "images** off, then export the note again. Version 4.2.1 fixes the compression itself, so "
     "after updating you can turn it back on.",
     True),
    ("kwame", 9, "PDF export loses pictures",
     "Every picture in my note is gone in the PDF I export. Is this a known problem?",
     "Hi Kwame, yes: the PDF exporter loses images while image compression is enabled. In "
     "**Settings → Export → PDF** untick **Compress images** and export once more. We fixed the "
     "compression in 4.2.1. Best, Bob",
     False),
]  # fmt: skip


def load(cast: dict[str, User]) -> None:
    """Precondition: inside the loader's transaction (demo.load), after demo.spikes and
    demo.duplicates (the confirmed clusters decide what an article covers)."""
    area = Category.objects.filter(slug="bugs").first()
    if area is None or Thread.objects.filter(title=THREADS[0][2]).exists():
        return
    people = {
        **cast,
        **{u.email.split("@")[0]: u for u in User.objects.filter(email__endswith="@example.com")},
    }
    bob = people["bob"]
    now = timezone.now()
    for asker, days, title, body, answer, accepted in THREADS:
        asked = now - timedelta(days=days)
        thread = actions.create_thread(people[asker], title, body, area, ["export", "pdf"], created_at=asked)
        post = actions.add_answer(thread, bob, answer, created_at=asked + timedelta(hours=2))
        if accepted:
            actions.accept_solution(thread, post, people[asker])
        Thread.objects.filter(pk=thread.pk).update(last_activity_at=asked + timedelta(hours=2))
    firefight.refresh()
    outage = RepeatGroup.objects.filter(replies__thread__title=spikes.TITLE).first()
    if outage is not None:
        firefight.dismiss(outage, bob)
    # The seven weeks of history (demo.history) answer from four stock replies: Mia went
    # through them on the desk's list and marked them "not a repeat" (account corrections,
    # "how it works today", and the two already written up as articles back then), so the
    # one nudge the demo shows is Bob's PDF fix.
    reviewer = people.get("mia", bob)
    for group in RepeatGroup.objects.filter(
        replies__thread__in=history.threads(), dismissed_at__isnull=True
    ).distinct():
        firefight.dismiss(group, reviewer)
