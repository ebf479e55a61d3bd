"""The labelled replies that measure the "near-identical" cut of repeated firefighting
(desk/firefight.py, docs/insights.md "Repeated firefighting").

Every reply has a label, the fix it gives; two replies are a positive pair when their
labels are equal (the same answer, however worded), a negative pair otherwise. Three
sources:
- the demo's staff replies (demo/forum.py, demo/desk.py, demo/spikes.py: the outage
  notice Bob posted on four threads is the demo's one real repeat);
- hand-made paraphrases of a few fixes, written the way a busy support person re-types
  an answer: another greeting, the steps reordered or merged, a sentence more or less;
- hand-made near misses: the same product area and many of the same words, another fix
  (PDF export: images vs alignment; installer: a locked file vs a full disk; battery:
  background sync vs location), which a topic-level similarity would wrongly join.

Pure data: bench/firefight_threshold.py prints precision and recall per cut from it and
tests/desk/test_firefight.py pins the chosen cut's.
"""

from __future__ import annotations

from itertools import combinations

STAFF = {"bob", "mia"}


def demo_replies() -> list[tuple[str, str]]:
    """(label, text) of every staff reply in the demo; each its own fix, except the
    outage notice (posted on four threads: one label)."""
    from demo import desk, forum, spikes

    out = []
    for n, spec in enumerate(forum.THREADS):
        for m, (author, _hours, body, *_rest) in enumerate(spec["answers"]):
            if author in STAFF:
                out.append((f"demo-{n}-{m}", body))
    out.extend((f"demo-mia-{n}", body) for n, (_asker, _title, body) in enumerate(desk.ANSWERED_BY_MIA))
    out.extend(("demo-outage", spikes.ANSWER) for _ in spikes.BURST)
    return out


HAND_MADE = [
    # PDF export drops images: the same fix, four ways.
    ("pdf-images",
     "Hi Tom, thanks for the report! This happens when *Compress images* is on in the PDF exporter. "
     "Open **Settings → Export → PDF**, turn off **Compress images**, and export again: the images "
     "come back. The 4.2.1 update fixes compression for good. Hope this helps!"),
    ("pdf-images",
     "Hello Nora, sorry for the trouble. Blank images in an exported PDF come from the *Compress "
     "images* option. Go to Settings → Export → PDF and switch Compress images off, then export the "
     "note again. Version 4.2.1 fixes the compression itself."),
    ("pdf-images",
     "Thanks for reaching out. The PDF exporter loses images when image compression is enabled: in "
     "Settings > Export > PDF untick \"Compress images\" and export once more. We fixed the "
     "compression in 4.2.1, so after updating you can turn it back on. Best, Mia"),
    ("pdf-images",
     "Turn off Compress images (Settings → Export → PDF) and export again — the images will be in "
     "the PDF. It is a bug in the compression, fixed in 4.2.1."),
    # Near miss: PDF export, another fix.
    ("pdf-fonts",
     "Hi Sam, the PDF exporter embeds only the fonts installed on this computer. Install the font "
     "the note uses, or choose **Settings → Export → PDF → Substitute missing fonts**, then export "
     "again. Exporting to HTML and printing that to PDF also keeps the fonts."),
    # Attachments stall the upload queue (the demo's reply #1, re-typed).
    ("demo-0-1",
     "Hi Marco, this is the known 4.2.0 problem on Windows: an attachment over 25 MB stalls the "
     "upload queue behind it. Until 4.2.1 (out this week), open Settings → Sync → Upload queue, "
     "find the item marked waiting and choose Skip for now; everything behind it uploads. Your "
     "note keeps the attachment locally."),
    ("demo-0-1",
     "Thanks for the details. A note with an attachment larger than 25 MB blocks the sync upload "
     "queue in 4.2.0 on Windows. Workaround: Settings → Sync → Upload queue, pick the waiting item "
     "and choose **Skip for now**; the rest syncs. 4.2.1 fixes it this week."),
    # Changed email, desktop sign-in (the demo's reply on thread 18, re-typed).
    ("demo-17-0",
     "Hi Lena! The desktop app still holds a sign-in token for your old email address. Choose Sign "
     "out in the account menu (your notes stay on this computer) and sign in with the new address; "
     "everything syncs again within a minute."),
    ("demo-17-0",
     "Sorry about that. After an email change the desktop app keeps the old address's sign-in "
     "token: sign out from the account menu — nothing is deleted from the computer — and sign in "
     "again with your new email. Sync resumes within a minute."),
    # Near miss: signing in on the desktop app, another cause.
    ("sso-desktop",
     "Hi Jonas, with single sign-on the desktop app opens your company's sign-in page in the "
     "browser. If it never comes back, allow brightdesk:// links in your browser, or choose "
     "**Sign in with a code** in the app and paste the code the browser shows."),
    # Android battery: the same fix, three ways.
    ("battery-sync",
     "Hi Priya, the Android app syncs every minute in the background by default. Open **Settings "
     "→ Sync → Background sync** and set it to *Every hour*, and turn off *Sync attachments on "
     "mobile data*. Battery use drops to a few percent a day."),
    ("battery-sync",
     "Hello! To save battery on Android, set Settings → Sync → Background sync to Every hour "
     "(it is every minute by default) and switch off Sync attachments on mobile data. Let me know "
     "if that works."),
    ("battery-sync",
     "Thanks for the report. Background sync runs every minute unless you change it: in Settings > "
     "Sync > Background sync choose Every hour, and disable syncing attachments on mobile data. "
     "That brings the battery drain down to a few percent per day."),
    # Near miss: Android battery, another cause.
    ("battery-location",
     "Hi Ana, the battery drain comes from location tagging: every note you open asks for the "
     "phone's location. Open **Settings → Notes → Location** and turn off *Tag notes with my "
     "location*; Android's battery page should show Brightdesk under 2% after a day."),
    # Installer: the demo's fix re-typed, and a near miss.
    ("demo-3-0",
     "Hi Kwame, error 0x80070643 (or 1603) nearly always means the old version was still running. "
     "Quit Brightdesk from the tray icon (right-click → Quit), end any brightdesk-helper.exe in Task "
     "Manager, then run the installer again. Your notes are safe."),
    ("installer-disk",
     "Hi Felix, error 0x80070070 means the disk is full: the installer needs about 900 MB free on "
     "C: while it runs. Free some space (Disk Cleanup → Temporary files), then run the installer "
     "again. Your notes are safe."),
    # Billing: refunds vs invoices (the demo's invoices reply is the near miss).
    ("refund",
     "Hi Yuki, annual plans are refunded in full within 14 days of payment. Open **Account → "
     "Billing → Cancel plan** and choose *Refund*; the money is back on your card in 5 to 10 "
     "working days."),
    ("refund",
     "Sorry to see you go! Within 14 days of paying for an annual plan you get a full refund: "
     "Account → Billing → Cancel plan, then Refund. Your card is credited within 5 to 10 working "
     "days."),
    # Short acknowledgements: too short to be an article (under MIN_TERMS), never grouped.
    ("ack-a", "Thanks, we are looking into it."),
    ("ack-b", "Fixed in 4.3, thanks!"),
]  # fmt: skip


def replies() -> list[tuple[str, str]]:
    return demo_replies() + HAND_MADE


def pairs() -> list[tuple[int, int, bool]]:
    """(i, j, same fix?) over replies(), every unordered pair once."""
    labels = [label for label, _ in replies()]
    return [(i, j, labels[i] == labels[j]) for i, j in combinations(range(len(labels)), 2)]
