"""The desk's emails to staff (docs/desk.md, "Notifications for staff").

Four kinds. Each is an outbox job (jobs.outbox) recorded in the transaction that caused
it, sent by a worker, one email per person per event (jobs.mail.send_once), and each
email has a one-click link that turns its own kind off (StaffProfile.EMAILS):

| job kind | when | to whom | send-once key | stopped by |
|---|---|---|---|---|
| REPLY_JOB | a customer answers a thread someone holds | the holder, or the holding team's members; never the writer | desk-reply:<post> | notify_replies |
| REMINDER_JOB | once a day, from DESK_REMINDER_HOUR in DESK_TIME_ZONE | everyone holding (alone or with a team) claims on threads still waiting | desk-reminder:<date> | notify_reminders |
| NEW_THREAD_JOB | a customer asks a question | staff who chose these emails and cover its product area | desk-new:<thread> | notify_new_threads |
| SPIKE_JOB | a spike alert opens (desk/spikes.py) | staff with spike emails on (the default) | desk-spike:<alert> | notify_spikes |

Off-duty staff get none of them (checked when the job runs).

One email per person per answer: the holder follows the threads they take (as staff
follow what they answer), so a customer's answer would also bring the forum's "New
answer" follower email. The desk's subscriber to forum's "post written" hook returns the
people it tells itself, and the forum's follower email leaves them out (forum.hooks).
It returns all the claim's people (but the writer), also those off duty or with
`notify_replies` off: for a thread you hold, customer replies are the desk's to tell
you about, and "off duty" or "stop these emails" means none, not the forum's instead.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts import rules
from accounts.models import User
from desk.models import Claim, StaffProfile, Team
from forum.markdown import plain_text
from forum.models import Post, Thread
from forum.notifications import thread_email
from forum.templatetags.forum_tags import waited_words
from jobs import outbox
from jobs.mail import send_once
from jobs.models import PendingJob

log = logging.getLogger(__name__)

# The outbox kinds, registered in desk/apps.py.
REPLY_JOB = "desk_reply"
REMINDER_JOB = "desk_reminder"
NEW_THREAD_JOB = "desk_new_thread"
SPIKE_JOB = "desk_spike"

UNSUBSCRIBE_SALT = "desk.unsubscribe"
# A question counts as new for these emails only when it is written, not on an edit,
# and dated within this long: backdated questions (the demo, an import) email nobody.
NEW_WITHIN = timedelta(hours=1)


# --- one-click unsubscribe ----------------------------------------------------------------


def unsubscribe_token(user_id: int, kind: str) -> str:
    """A signed, non-expiring token for one person and one kind of desk email
    (StaffProfile.EMAILS): an old email's link still works, and nobody can forge one."""
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        user_id, kind = int(data["u"]), str(data["k"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    return (user_id, kind) if kind in StaffProfile.EMAILS else None


def unsubscribe_url(user_id: int, kind: str) -> str:
    return settings.SITE_URL + reverse("desk:unsubscribe", args=[unsubscribe_token(user_id, kind)])


# --- who gets them ------------------------------------------------------------------------


def reachable(user_ids, kind: str):
    """Of `user_ids`, the active staff on duty who have this kind of email on (a person
    without a desk profile yet has the defaults: on duty, reminders and replies on)."""
    field = StaffProfile.EMAILS[kind]
    wanted = Q(desk_profile__on_duty=True, **{f"desk_profile__{field}": True})
    if StaffProfile._meta.get_field(field).default:
        wanted |= Q(desk_profile__isnull=True)
    return User.objects.filter(wanted, pk__in=list(user_ids), is_active=True, role=User.Role.STAFF).order_by(
        "pk"
    )


def claim_people(claim: Claim) -> set[int]:
    """The people a claim belongs to: its holder, or its team's active staff members."""
    if claim.holder_id is not None:
        return {claim.holder_id}
    members = Team.members.through.objects.filter(
        team_id=claim.team_id, user__is_active=True, user__role=User.Role.STAFF
    )
    return set(members.values_list("user_id", flat=True))


def _email(template: str, person: User, kind: str, context: dict):
    unsubscribe = unsubscribe_url(person.pk, kind)
    context = {
        **context,
        "person": person,
        "kind": kind,
        "unsubscribe_url": unsubscribe,
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "settings_url": settings.SITE_URL + reverse("desk:team") + "#my-desk",
    }
    return thread_email(template, person, unsubscribe, context, settings_links=False)


# --- a customer replied on a question you're handling ---------------------------------------


def record_reply(post: Post, thread: Thread) -> set[int]:
    """forum's "post written" hook, in the writer's transaction: a customer's answer on a
    thread someone holds queues one REPLY_JOB. Returns the people the desk tells (see the
    module doc); nothing for an answer by staff or a moderator."""
    if rules.is_team(post.author):
        return set()
    claim = Claim.objects.filter(thread_id=thread.pk).first()
    if claim is None:
        return set()
    people = claim_people(claim) - {post.author_id}
    if people:
        payload = {"post_id": post.pk, "people": sorted(people)}
        outbox.enqueue(REPLY_JOB, payload, dedupe_key=f"desk-reply:{post.pk}")
    return people


def handle_reply(payload: dict) -> int:
    """Outbox handler for REPLY_JOB. Returns how many emails this run sent."""
    post = Post.objects.select_related("thread", "author").filter(pk=payload.get("post_id")).first()
    if post is None or post.is_deleted or post.thread.is_deleted:
        return 0  # gone since the job was queued
    context = {
        "post": post,
        "thread": post.thread,
        "excerpt": plain_text(post.body_html, 400),
        "link": settings.SITE_URL + post.get_absolute_url(),
    }
    sent = 0
    for person in reachable(payload.get("people") or [], "reply"):
        build = lambda p=person: _email("desk_reply", p, "reply", context)  # noqa: E731
        sent += send_once(person.pk, f"desk-reply:{post.pk}", build)
    return sent


# --- the daily reminder -----------------------------------------------------------------------


def local_day(now: datetime | None = None) -> datetime:
    return timezone.localtime(now or timezone.now(), ZoneInfo(settings.DESK_TIME_ZONE))


def queue_reminders(now: datetime | None = None) -> PendingJob | None:
    """The beat's hourly call (desk.tasks.queue_claim_reminders): from DESK_REMINDER_HOUR
    in DESK_TIME_ZONE, record the day's REMINDER_JOB. Once a day however often it runs:
    the job's dedupe key is the date (and each email's send-once key too)."""
    local = local_day(now)
    if local.hour < settings.DESK_REMINDER_HOUR:
        return None
    day = local.date().isoformat()
    with transaction.atomic():
        return outbox.enqueue(REMINDER_JOB, {"day": day}, dedupe_key=f"desk-reminder:{day}")


def waiting_claims_by_person() -> dict[int, dict]:
    """{person id: {"own": [threads], "teams": {team name: [threads]}}} for every claim on a
    thread still waiting for staff, longest wait first. Two queries."""
    claims = (
        Claim.objects.filter(thread__is_deleted=False, thread__waiting_since__isnull=False)
        .select_related("thread", "team")
        .order_by("thread__waiting_since", "thread_id")
    )
    by_team: dict[int, list[Claim]] = defaultdict(list)
    found: dict[int, dict] = defaultdict(lambda: {"own": [], "teams": defaultdict(list)})
    for claim in claims:
        if claim.holder_id is not None:
            found[claim.holder_id]["own"].append(claim.thread)
        else:
            by_team[claim.team_id].append(claim)
    members = Team.members.through.objects.filter(team_id__in=list(by_team)).values_list("team_id", "user_id")
    for team_id, user_id in members.order_by("team__name", "user_id"):
        for claim in by_team[team_id]:
            found[user_id]["teams"][claim.team.name].append(claim.thread)
    return found


def handle_reminders(payload: dict) -> int:
    """Outbox handler for REMINDER_JOB: "Your claims still waiting (N)" to each person on
    duty with reminders on who holds (alone or with a team) claims on waiting threads;
    nothing to anyone whose claims are all answered."""
    day = str(payload.get("day") or "")
    now = timezone.now()
    found = waiting_claims_by_person()
    sent = 0
    for person in reachable(found, "reminder"):
        mine = found[person.pk]
        own = [(t, waited_words(t.waiting_since, now)) for t in mine["own"]]
        teams = [
            (name, [(t, waited_words(t.waiting_since, now)) for t in threads])
            for name, threads in sorted(mine["teams"].items())
        ]
        count = len(own) + sum(len(rows) for _, rows in teams)
        context = {
            "own": own,
            "teams": teams,
            "count": count,
            "day": day,
            "desk_url": settings.SITE_URL + reverse("desk:queue") + "?show=mine",
        }
        build = lambda p=person, c=context: _email("desk_reminder", p, "reminder", c)  # noqa: E731
        sent += send_once(person.pk, f"desk-reminder:{day}", build)
    return sent


# --- a new question in your areas ------------------------------------------------------------


def record_new_thread(thread: Thread, tags=(), category: str = "") -> None:
    """forum's "thread written" hook (on asking and on edits), in the writer's transaction:
    a question a customer has just asked queues one NEW_THREAD_JOB. An edit is told apart
    by `edited_at` (an edit of the text sets it) and the job's dedupe key (an edit of only
    the category or tags finds the job of the asking)."""
    if thread.edited_at is not None or thread.waiting_since is None:
        return  # edited, or asked by the team (not waiting for staff)
    if thread.created_at < timezone.now() - NEW_WITHIN:
        return
    if not StaffProfile.objects.filter(notify_new_threads=True, on_duty=True).exists():
        return  # nobody would be emailed: a small read instead of a job for every question
    outbox.enqueue(NEW_THREAD_JOB, {"thread_id": thread.pk}, dedupe_key=f"desk-new:{thread.pk}")


def handle_new_thread(payload: dict) -> int:
    """Outbox handler for NEW_THREAD_JOB: one email to each member of staff on duty who
    chose these emails and covers the thread's product area (no areas chosen: all)."""
    thread = (
        Thread.objects.visible()
        .select_related("category", "author")
        .filter(pk=payload.get("thread_id"))
        .first()
    )
    if thread is None:
        return 0  # deleted or hidden since
    covering = (
        StaffProfile.objects.filter(Q(areas__isnull=True) | Q(areas=thread.category_id))
        .values_list("user_id", flat=True)
        .distinct()
    )
    context = {
        "thread": thread,
        "excerpt": plain_text(thread.body_html, 400),
        "link": settings.SITE_URL + thread.get_absolute_url(),
    }
    sent = 0
    for person in reachable(list(covering), "new"):
        if person.pk == thread.author_id:
            continue
        build = lambda p=person: _email("desk_new_thread", p, "new", context)  # noqa: E731
        sent += send_once(person.pk, f"desk-new:{thread.pk}", build)
    return sent


# --- a spike alert opened (desk/spikes.py) ------------------------------------------------------


def record_spike(alert) -> None:
    """In the detector's transaction: the alert just opened queues one SPIKE_JOB (dedupe
    key: the alert). The people are chosen when it runs: staff on duty with spike emails on."""
    outbox.enqueue(SPIKE_JOB, {"alert_id": alert.pk}, dedupe_key=f"desk-spike:{alert.pk}")


def handle_spike(payload: dict) -> int:
    """Outbox handler for SPIKE_JOB: one email per person on duty per alert (send-once key
    desk-spike:<alert>), however often the job runs."""
    from desk.models import Alert

    alert = Alert.objects.filter(pk=payload.get("alert_id")).first()
    if alert is None:
        return 0
    staff = User.objects.filter(is_active=True, role=User.Role.STAFF).values_list("pk", flat=True)
    context = {"alert": alert, "desk_url": settings.SITE_URL + reverse("desk:insights") + "#spikes"}
    sent = 0
    for person in reachable(list(staff), "spike"):
        build = lambda p=person: _email("desk_spike", p, "spike", context)  # noqa: E731
        sent += send_once(person.pk, f"desk-spike:{alert.pk}", build)
    return sent
