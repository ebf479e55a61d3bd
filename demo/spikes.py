"""One past spike for the insights page (issue 13, item 3): nine days ago, the morning the
web app's sign-in broke, four questions and eight me-toos in "Sync & accounts" within the
hour. The alert is what the detector (desk.spikes.judge) computed at the end of that hour,
stored as ended: no banner today, and nobody is emailed about it. Each question got its
answer from Bob, so none waits on the desk."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from desk import spikes
from desk.models import Alert
from forum import actions
from forum.models import Category, MeToo

TITLE = "Can't sign in on the web app this morning"

# (author, minutes into the hour, title, body, me-too voters)
BURST = [
    ("lena", 4, TITLE,
     "Since about 9:00 the web app says *Something went wrong* after I type my password. "
     "The desktop app still syncs.",
     ["marco", "sam", "yuki"]),
    ("jonas", 11, "Web app login loops back to the sign-in page",
     "I sign in, the page reloads and asks me to sign in again. Chrome and Firefox, same thing.",
     ["ana", "kwame"]),
    ("olivia", 19, "Sign-in error on app.brightdesk.example",
     "Error 502 after entering my password on the web. Is the service down?",
     ["nadia", "felix"]),
    ("tom", 27, "Web version won't let me log in",
     "Tried resetting my password, the reset works but signing in still fails on the web.",
     ["priya"]),
]  # fmt: skip
ANSWER = (
    "Thanks for reporting it. A change to our sign-in service this morning broke signing in "
    "on the web app; it was rolled back at 10:20 and signing in works again. Your notes were "
    "never affected. Sorry for the trouble."
)


def load(cast: dict[str, User]) -> None:
    """Precondition: inside the loader's transaction (demo.load), after demo.forum."""
    area = Category.objects.filter(slug="sync").first()
    if area is None or Alert.objects.filter(kind="category", group_id=area.pk).exists():
        return
    people = {
        **cast,
        **{u.email.split("@")[0]: u for u in User.objects.filter(email__endswith="@example.com")},
    }
    start = (timezone.now() - timedelta(days=9)).replace(hour=9, minute=0, second=0, microsecond=0)
    for author, minutes, title, body, voters in BURST:
        asked = start + timedelta(minutes=minutes)
        thread = actions.create_thread(people[author], title, body, area, ["sign-in"], created_at=asked)
        for n, voter in enumerate(voters):
            actions.me_too(people[voter], thread)
            # me_too has no "when" (people vote now); the story's votes are backdated.
            MeToo.objects.filter(user=people[voter], thread=thread).update(
                created_at=asked + timedelta(minutes=5 + 3 * n)
            )
        actions.add_answer(thread, people["bob"], ANSWER, created_at=start + timedelta(hours=1, minutes=25))
    end = start + timedelta(hours=1)
    verdict = spikes.judge(spikes.slot_counts(end).get(("category", area.pk), []))
    if not verdict.is_spike:
        return
    Alert.objects.create(
        kind="category",
        group_id=area.pk,
        label=area.name,
        window=verdict.window,
        observed=verdict.observed,
        peak_observed=verdict.observed,
        expected=verdict.expected,
        p_value=verdict.p_value,
        started_at=end,
        last_seen_at=end + timedelta(minutes=30),
        ended_at=end + timedelta(minutes=30) + spikes.QUIET,
    )
