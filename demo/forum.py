"""Demo forum: a fictional product, Brightdesk (notes that sync between desktop and
phone), with questions a newcomer would recognise.

Everything is written through forum.actions, as a real user would, then the
timestamps are moved into the past (the one thing the actions do not take) so
the list shows a forum that has been alive for a few weeks. Some threads ask what
an earlier one asked, in other words (the pairs in demo/duplicates.py): the linking
job finds them. Does nothing if the demo categories exist.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from forum import actions
from forum.models import Category, Comment, Post, Tag, Thread

CATEGORIES = [
    (
        "installation",
        "Installation & updates",
        "Installing Brightdesk, updating it, moving to a new computer.",
    ),
    ("sync", "Sync & accounts", "Syncing notes between devices, signing in, two-factor authentication."),
    ("billing", "Billing", "Plans, invoices, refunds and payment methods."),
    ("mobile", "Mobile app", "Brightdesk for iPhone, iPad and Android."),
    ("bugs", "Bugs & feedback", "Something broken, or an idea to make Brightdesk better."),
]

# Each thread: category, author, days ago, title, body, tags, answers, accepted
# answer index (or None), me-too voters, and optionally comments. An answer: (author,
# hours after the question, body, official?, people who found it helpful). A comment:
# (author, hours after the question, body, the index of the answer it is under or None
# for the question).
THREADS = [
    {
        "category": "sync",
        "author": "alice",
        "days": 2,
        "title": "Notes stop syncing after updating to 4.2 on Windows",
        "body": (
            "Since the 4.2 update yesterday my notes no longer sync from my Windows laptop to my phone. "
            "The sync icon spins forever and then shows *Sync paused*.\n\n"
            "- Brightdesk 4.2.0 on Windows 11\n- Phone: Android 14, app 4.1.3\n\n"
            "Notes I write on the phone do show up on Windows, only the other direction is broken. "
            "I already restarted both devices."
        ),
        "tags": ["windows", "sync", "4-2"],
        "answers": [
            (
                "priya",
                3,
                "Same here. Signing out and back in on Windows made it sync once, then it stopped again.",
                False,
                ["dave"],
            ),
            (
                "bob",
                5,
                "Thanks for the details, this is a known problem in 4.2.0 on Windows when a note has an "
                "attachment larger than 25 MB: the upload queue stalls behind it.\n\n"
                "**Workaround until 4.2.1 (out this week):**\n\n"
                "1. Open *Settings → Sync → Upload queue*.\n"
                "2. Find the item marked *waiting* and choose **Skip for now**.\n"
                "3. Press **Sync now**.\n\n"
                "Everything else syncs right away; the large attachment will go up once 4.2.1 is installed.",
                True,
                ["alice", "priya", "tom", "lena", "marco"],
            ),
        ],
        "accepted": 1,
        "me_too": ["priya", "tom", "lena", "marco", "sam", "yuki", "jonas", "dave"],
        "comments": [
            ("priya", 8, "*Skip for now* worked here too. Is 4.2.1 out for the Microsoft Store version?", 1),
            ("bob", 9, "Yes, the Store has 4.2.1 since this morning.", 1),
        ],
    },
    {
        "category": "billing",
        "author": "dave",
        "days": 1,
        "title": "Charged twice for the annual Pro plan",
        "body": (
            "I upgraded to Pro (annual) on Monday and my card statement shows two identical charges "
            "a minute apart. The app says I have one Pro subscription. How do I get the second one refunded? "
            "My order number is BD-2026-118842."
        ),
        "tags": ["refund", "pro-plan"],
        "answers": [],
        "accepted": None,
        "me_too": ["kwame"],
    },
    {
        "category": "mobile",
        "author": "erin",
        "days": 6,
        "title": "iPhone widget shows an empty note list",
        "body": (
            "The *Recent notes* widget on my iPhone home screen is empty, although the app itself lists "
            "all my notes. I removed and re-added the widget. iOS 17.4, Brightdesk 4.1.3."
        ),
        "tags": ["ios", "widget"],
        "answers": [
            (
                "yuki",
                20,
                "The widget can only read notes once the app has been opened after a restart of the phone "
                "(iOS keeps the data locked until then). Open Brightdesk once, then wait a minute.",
                False,
                ["erin", "ana"],
            ),
            (
                "olivia",
                30,
                "For me it was *Settings → Privacy → Show note previews in widgets*, which was off.",
                False,
                ["erin", "sam", "tom"],
            ),
        ],
        "accepted": 1,
        "me_too": ["ana", "sam"],
    },
    {
        "category": "installation",
        "author": "tom",
        "days": 9,
        "title": "Installer fails with error 0x80070643 on Windows 10",
        "body": (
            "The 4.2 installer stops at 80% with **error 0x80070643**. I have admin rights, and the old 4.1 "
            "is still installed and works.\n\n```\nMSI (s) (A4:2C) Product: Brightdesk -- Installation failed.\n"
            "Error 1603. A fatal error occurred during installation.\n```"
        ),
        "tags": ["windows", "installer", "error-1603"],
        "answers": [
            (
                "bob",
                2,
                "Error 1603 / 0x80070643 almost always means the old version could not be closed. Please:\n\n"
                "1. Quit Brightdesk from the tray icon (right-click → **Quit**, not just closing the window).\n"
                "2. In Task Manager, end any `brightdesk-helper.exe` that is still running.\n"
                "3. Run the installer again.\n\n"
                "Your notes are stored in your account and in `%APPDATA%\\Brightdesk`, the installer never "
                "touches them.",
                True,
                ["tom", "marco", "jonas"],
            ),
        ],
        "accepted": 0,
        "me_too": ["marco", "jonas", "kwame"],
    },
    {
        "category": "sync",
        "author": "lena",
        "days": 4,
        "title": "Two-factor codes from my authenticator are always rejected",
        "body": (
            "I switched on two-factor authentication last week. Now every 6-digit code from my authenticator "
            "app is rejected with *Invalid code*, on the web and in the desktop app. I still have the recovery "
            "codes but I'd like to understand what's wrong before using one."
        ),
        "tags": ["two-factor", "sign-in"],
        "answers": [
            (
                "jonas",
                4,
                "Check the clock of the phone that runs the authenticator. Codes are time-based; if the phone is "
                "a couple of minutes off they are all rejected. Set the time to *automatic*.",
                False,
                ["lena", "ana"],
            ),
        ],
        "accepted": 0,
        "me_too": ["ana"],
    },
    {
        "category": "mobile",
        "author": "marco",
        "days": 3,
        "title": "Android app drains the battery in the background",
        "body": (
            "Since 4.1.3 the Android app is at the top of my battery usage (18% yesterday) although I barely "
            "opened it. Pixel 7, Android 14. Is background sync supposed to run all the time?"
        ),
        "tags": ["android", "battery"],
        "answers": [
            (
                "carol",
                6,
                "Thanks for reporting. Could you tell us whether *Settings → Sync → Sync attachments on mobile "
                "data* is on? That helps staff narrow it down.",
                False,
                [],
            ),
        ],
        "accepted": None,
        "me_too": ["priya", "sam", "olivia", "kwame", "yuki"],
    },
    {
        "category": "billing",
        "author": "ana",
        "days": 12,
        "title": "How do I download invoices for my company's accounting?",
        "body": (
            "We pay for five Team seats. Our accountant needs a PDF invoice for every month with our VAT "
            "number on it. Where can I find them?"
        ),
        "tags": ["invoice", "team-plan", "vat"],
        "answers": [
            (
                "bob",
                1,
                "Invoices are under **Account → Billing → Invoices** on the web (not in the apps). Each one has a "
                "PDF download.\n\nTo add your VAT number, open **Billing details**, fill in *Tax ID*, and use "
                "**Regenerate invoice** on the months that are missing it.",
                True,
                ["ana", "kwame"],
            ),
        ],
        "accepted": None,
        "me_too": [],
    },
    {
        "category": "bugs",
        "author": "sam",
        "days": 5,
        "title": "Markdown tables lose their alignment when exported to PDF",
        "body": (
            "A table like this one looks fine in the editor:\n\n| Item | Price |\n|:-----|------:|\n"
            "| Coffee | 3.20 |\n| Bagel | 2.50 |\n\n"
            "but in the exported PDF the prices are left-aligned. Export from the desktop app, 4.2.0 on macOS."
        ),
        "tags": ["export", "pdf", "markdown"],
        "answers": [
            (
                "bob",
                26,
                "Reproduced, thank you — the PDF exporter ignores column alignment. It is fixed for 4.3. "
                "Until then, exporting to HTML and printing that to PDF keeps the alignment.",
                True,
                ["sam"],
            ),
        ],
        "accepted": None,
        "me_too": ["lena"],
    },
    {
        "category": "sync",
        "author": "kwame",
        "days": 0,
        "title": "Conflicted copy notes appear every time I edit on two devices",
        "body": (
            "Whenever I edit the same note on my laptop and then on my tablet, I end up with "
            "*Shopping list (conflicted copy)*. I never edit both at the same time. Is there a setting to "
            "merge instead?"
        ),
        "tags": ["sync", "conflicts"],
        "answers": [],
        "accepted": None,
        "me_too": ["tom", "olivia"],
    },
    {
        "category": "installation",
        "author": "olivia",
        "days": 15,
        "title": "Moving Brightdesk to a new Mac without losing offline notebooks",
        "body": (
            "I have two notebooks set to *offline only* (they never sync). I'm getting a new MacBook. "
            "How do I move them? Migration Assistant didn't bring them along last time."
        ),
        "tags": ["macos", "offline-notebooks", "migration"],
        "answers": [
            (
                "priya",
                5,
                "Offline notebooks live in `~/Library/Application Support/Brightdesk/offline`. Copy that "
                "folder to the same place on the new Mac **before** opening Brightdesk there.",
                False,
                ["olivia", "jonas"],
            ),
            (
                "bob",
                9,
                "Priya's way works. The simpler option since 4.1: **File → Export notebook → Brightdesk archive "
                "(.bdarchive)** on the old Mac, then **File → Import** on the new one. It keeps attachments, "
                "tags and note history.",
                True,
                ["olivia", "priya", "marco"],
            ),
        ],
        "accepted": 1,
        "me_too": ["jonas"],
    },
    {
        "category": "mobile",
        "author": "jonas",
        "days": 8,
        "title": "Can I lock the app with Face ID?",
        "body": "I keep private notes on my phone. Is there a way to require Face ID when opening Brightdesk?",
        "tags": ["ios", "security"],
        "answers": [
            (
                "erin",
                2,
                "Yes: *Settings → Privacy → App lock*. You can choose Face ID or a passcode, and how quickly it "
                "locks after you leave the app.",
                False,
                ["jonas", "yuki", "sam"],
            ),
        ],
        "accepted": 0,
        "me_too": [],
    },
    {
        "category": "bugs",
        "author": "yuki",
        "days": 1,
        "title": "Search doesn't find words with accents (café, naïve)",
        "body": (
            "Searching for `cafe` doesn't find my note titled *Café opening hours*, and `naive` doesn't find "
            "*naïve*. Typing the accent works. Could search ignore accents?"
        ),
        "tags": ["search", "feature-request"],
        "answers": [],
        "accepted": None,
        "me_too": ["lena", "marco", "ana"],
    },
    {
        "category": "billing",
        "author": "priya",
        "days": 20,
        "title": "Student discount: does it apply to the Pro plan?",
        "body": "I'm a university student. Is there a discount for Pro, and how do I prove I'm a student?",
        "tags": ["pro-plan", "discount"],
        "answers": [
            (
                "bob",
                3,
                "Yes, 50% off Pro for as long as you're a student. Sign up with your university email address "
                "and apply from **Account → Billing → Student discount**; we re-check once a year.",
                True,
                ["priya", "yuki"],
            ),
        ],
        "accepted": 0,
        "me_too": [],
    },
    {
        "category": "sync",
        "author": "erin",
        "days": 11,
        "title": "Shared notebook: my colleague can't see the latest changes",
        "body": (
            "I share a notebook with a colleague. My edits from this morning still don't appear for her, "
            "even after she pressed *Sync now*. Her edits reach me fine."
        ),
        "tags": ["sharing", "sync"],
        "answers": [
            (
                "tom",
                4,
                "Check whether she has the notebook as *view only* with *offline copy* on: offline copies of "
                "shared notebooks only refresh every 6 hours on the free plan.",
                False,
                ["erin"],
            ),
        ],
        "accepted": None,
        "me_too": ["kwame"],
    },
    {
        "category": "installation",
        "author": "sam",
        "days": 0,
        "title": "Linux AppImage won't start on Ubuntu 24.04",
        "body": (
            "Double-clicking the AppImage does nothing. From a terminal:\n\n```\n$ ./Brightdesk-4.2.0.AppImage\n"
            "dlopen(): error loading libfuse.so.2\n```\n\nWhat do I need to install?"
        ),
        "tags": ["linux", "ubuntu", "appimage"],
        "answers": [],
        "accepted": None,
        "me_too": ["jonas"],
    },
    {
        "category": "bugs",
        "author": "lena",
        "days": 14,
        "title": "Dark mode: code blocks are unreadable",
        "body": "In dark mode, code blocks in notes are dark grey text on a black background. Screenshots on request.",
        "tags": ["dark-mode", "accessibility"],
        "answers": [
            (
                "bob",
                8,
                "Fixed in 4.2.0 — code blocks now follow the theme. If you still see it after updating, switch "
                "the theme to light and back once to refresh the cached styles.",
                True,
                ["lena", "ana"],
            ),
        ],
        "accepted": 0,
        "me_too": ["sam", "olivia"],
    },
    {
        "category": "mobile",
        "author": "kwame",
        "days": 7,
        "title": "Voice notes are not transcribed on Android",
        "body": (
            "On iPhone my voice notes get a transcript underneath. On my Android phone they don't. "
            "Is transcription iOS-only?"
        ),
        "tags": ["android", "voice-notes"],
        "answers": [
            (
                "marco",
                12,
                "I think transcription needs the Pro plan on Android, but works on the free plan on iOS?",
                False,
                [],
            ),
        ],
        "accepted": None,
        "me_too": ["priya"],
    },
    {
        "category": "sync",
        "author": "ana",
        "days": 17,
        "title": "Changed my email address and now I can't sign in on the desktop app",
        "body": (
            "I changed the email on my account on the website. The web works with the new address, but the "
            "desktop app says *Account not found* with the new one and *Wrong password* with the old one."
        ),
        "tags": ["sign-in", "email-change"],
        "answers": [
            (
                "bob",
                2,
                "The desktop app keeps a sign-in token for the old address. Choose **Sign out** from the "
                "account menu (your notes stay on the computer), then sign in with the new address. "
                "Everything syncs again within a minute.",
                True,
                ["ana"],
            ),
        ],
        "accepted": 0,
        "me_too": ["tom"],
    },
    {
        "category": "bugs",
        "author": "olivia",
        "days": 3,
        "title": "Idea: reminders on notes with a date",
        "body": (
            'It would be great to set a reminder on a note ("remind me Friday 9:00"). Right now I keep a '
            "separate to-do app only for that."
        ),
        "tags": ["feature-request", "reminders"],
        "answers": [
            (
                "carol",
                10,
                "Thanks Olivia — I've passed this on to the product team. Everyone who wants this: press "
                "**I have this problem too**, it's how we count interest.",
                False,
                ["olivia"],
            ),
        ],
        "accepted": None,
        "me_too": ["alice", "dave", "priya", "yuki", "jonas", "kwame"],
    },
    {
        "category": "installation",
        "author": "dave",
        "days": 22,
        "title": "Is there a portable version that runs from a USB stick?",
        "body": "My work laptop doesn't let me install software. Can Brightdesk run without installing?",
        "tags": ["windows", "portable"],
        "answers": [
            (
                "lena",
                6,
                "There is no portable build, but the web app at app.brightdesk.example works in any browser "
                "and has the same editor.",
                False,
                ["dave"],
            ),
        ],
        "accepted": 0,
        "me_too": [],
    },
    # Later threads that ask what an earlier one asked, in their own words: the
    # linking job pairs them (demo/duplicates.py confirms the first pair).
    {
        "category": "sync",
        "author": "nadia",
        "days": 1,
        "title": "Windows laptop stopped uploading notes since the 4.2 update",
        "body": (
            "Notes I write on my Windows laptop no longer reach my iPad or my phone. It started right "
            "after Brightdesk updated itself to 4.2 on Tuesday. After a few minutes the status bar says "
            "*Sync paused*; **Sync now** starts it again and then it pauses again.\n\n"
            "Notes from the iPad do arrive on the laptop. Last week I attached two big scanned PDFs to a "
            "note, in case that matters."
        ),
        "tags": ["windows", "sync", "upload"],
        "answers": [
            (
                "tom",
                3,
                "Have a look at *Settings → Sync → Upload queue*: mine had one item that never moved.",
                False,
                ["nadia"],
            ),
        ],
        "accepted": None,
        "me_too": ["felix", "ana", "olivia"],
    },
    {
        "category": "mobile",
        "author": "felix",
        "days": 0,
        "title": "Brightdesk uses a lot of battery on my Android phone",
        "body": (
            "The battery page of my phone says Brightdesk used 21% today, more than the camera or maps, "
            "and I only opened it once to check a shopping list. Galaxy S23, Android 14, Brightdesk "
            "4.1.3. Can I stop it from running in the background?"
        ),
        "tags": ["android", "battery"],
        "answers": [],
        "accepted": None,
        "me_too": ["lena"],
        "comments": [("lena", 1, "Same on my Pixel 7 with 4.1.3: 15% yesterday.", None)],
    },
    {
        "category": "installation",
        "author": "nadia",
        "days": 5,
        "title": "Update to 4.2 fails with error 1603 on Windows 10",
        "body": (
            "Brightdesk offered the 4.2 update, but the installer rolls back near the end with "
            "*Error 1603: a fatal error occurred during installation*. Version 4.1 still opens fine. "
            "I'm an administrator on this PC and I restarted it first."
        ),
        "tags": ["windows", "installer"],
        "answers": [],
        "accepted": None,
        "me_too": [],
        # Staff ask for details in a comment (the team's reply: the wait ends), the asker
        # answers in a comment (the wait starts again, from her reply).
        "comments": [
            (
                "bob",
                3,
                "Sorry about that. Which Windows 10 build is it (*Settings → System → About*), and is "
                "any antivirus besides Defender installed? Error 1603 usually means a file was held open.",
                None,
            ),
            (
                "nadia",
                20,
                "Windows 10 22H2, build 19045. Only Defender. The installer log ends at `InstallFiles`, "
                "if that helps.",
                None,
            ),
        ],
    },
]


def load(people: dict[str, User]) -> None:
    """Precondition: inside the loader's transaction (demo.load)."""
    if Category.objects.filter(slug__in=[slug for slug, _, _ in CATEGORIES]).exists():
        return
    categories = {
        slug: Category.objects.create(slug=slug, name=name, description=description, position=i)
        for i, (slug, name, description) in enumerate(CATEGORIES)
    }
    now = timezone.now()
    for i, spec in enumerate(THREADS):
        _load_thread(spec, people, categories, asked=now - timedelta(days=spec["days"], hours=2 + i))
    # Alice watches a tag, an area and a search (docs/forum.md, "Following a topic"): her
    # email settings list them; new questions asked later reach her in the daily digest.
    actions.follow_topic(people["alice"], tag=Tag.objects.get(slug="sync"))
    actions.follow_topic(people["alice"], category=categories["sync"])
    actions.follow_topic(people["alice"], query="android battery")


def _load_thread(spec: dict, cast: dict[str, User], categories: dict[str, Category], asked) -> None:
    thread = actions.create_thread(
        cast[spec["author"]],
        spec["title"],
        spec["body"],
        categories[spec["category"]],
        spec["tags"],
        created_at=asked,
    )
    posts = []
    for author, hours, body, official, helpful in spec["answers"]:
        post = actions.add_answer(thread, cast[author], body, created_at=asked + timedelta(hours=hours))
        if official:
            actions.mark_official(post, cast["bob"])
        for voter in helpful:
            if cast[voter].pk != post.author_id:
                actions.vote_helpful(cast[voter], post)
        posts.append(post)
    if spec["accepted"] is not None:
        actions.accept_solution(thread, posts[spec["accepted"]], cast[spec["author"]])
    for name in spec["me_too"]:
        actions.me_too(cast[name], thread)
    for author, hours, body, under in spec.get("comments", ()):
        post = posts[under] if under is not None else None
        actions.add_comment(thread, cast[author], body, post=post, created_at=asked + timedelta(hours=hours))
    # Backdate what the actions stamped "now" (demo only): official times and last activity.
    Post.objects.filter(thread=thread, is_official=True).update(official_at=asked + timedelta(hours=12))
    last = max(
        Post.objects.filter(thread=thread).aggregate(last=Max("created_at"))["last"] or asked,
        Comment.objects.filter(thread=thread).aggregate(last=Max("created_at"))["last"] or asked,
    )
    Thread.objects.filter(pk=thread.pk).update(last_activity_at=last, view_count=len(spec["me_too"]) * 7 + 23)
