"""Every email to a customer about the site's events goes through here: `notify()`.

Instead of sending at once, the app that knows about an event records a Notice for each
person (`notify(user_id, kind, event_key, build, ...)`), and a per-person *flush* job,
delayed by NOTIFY_COALESCE_SECONDS, sends one email with everything that person was told
within that window:

    handler (worker) ── notify() ─► Notice row (unique per person and event key)
                                  └► FLUSH_JOB for the person, run_after = now + window
                                     (unless one is already waiting)
    FLUSH_JOB ── claims the person's unsent notices ─► one email ─► done
                 (one notice: its own email; several: "3 updates on questions you follow")

- **Once per event.** Notice is unique per (person, event key): a retried or repeated
  job records nothing twice (the promise jobs.mail.send_once keeps for the desk's mail).
- **Topics.** Notices about the same thing (one answer: "new answer", then "official
  answer", then "accepted") share a `topic`; a combined email keeps only the latest of
  each, so one fix is one line, and alone it is one email.
- **Race-safe.** A flush claims the notices it sends with one conditional update
  (`sent_at` set where it is empty, stamped with a batch id); of two flushes for one
  person, the second finds nothing to claim. A send that raises un-claims its batch and
  re-raises, so the outbox's retry sends it, once. A process killed during the send
  leaves that batch unsent: at most once, never twice (as send_once).
- **Preferences.** `register_preferences(fn)`: `fn(user_id, kind)` returns "now",
  "digest" or "never" (accounts owns them; config wires it, jobs knows no app). Read when
  a notice is recorded and again when it is sent, so "never" or "stop all" chosen in the
  window holds. "digest" notices wait for the day's DIGEST_JOB (beat, hourly from
  NOTIFY_DIGEST_HOUR; one email per person per day: send-once key `digest:<date>`).
- **Footer links.** `register_links(fn)`: `fn(user_id)` returns {"email_settings_url": ...,
  "stop_all_url": ...} for the combined emails' footer and their one-click
  List-Unsubscribe header (which stops all).
- **Withdrawn.** `register_withdrawn(kind, fn)`: `fn(event_keys)` names the notices of
  `kind` that should no longer go out (a new question hidden since); asked when sending.
- **Stranded notices.** A notice recorded while its person's flush was finishing finds a
  flush job that will not see it; `sweep()` (with the outbox sweep, every minute) gives
  such a person a new flush.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from jobs import outbox
from jobs.mail import send_once
from jobs.models import Notice, PendingJob

log = logging.getLogger(__name__)

FLUSH_JOB = "notice_flush"  # jobs' own kinds, registered in jobs/apps.py
DIGEST_JOB = "notice_digest"

NOW, DIGEST, NEVER = "now", "digest", "never"
# A subject longer than this is cut at a word boundary, with an ellipsis (never mid-word).
SUBJECT_MAX = 200

PreferenceLookup = Callable[[int, str], str]
LinksLookup = Callable[[int], dict]
_preferences: list[PreferenceLookup] = []
_links: list[LinksLookup] = []
WithdrawnCheck = Callable[[list[str]], set[str]]
_withdrawn: dict[str, WithdrawnCheck] = {}


def register_preferences(fn: PreferenceLookup) -> None:
    """`fn(user_id, kind) -> "now" | "digest" | "never"`; the last registered answers."""
    _preferences[:] = [fn]


def register_links(fn: LinksLookup) -> None:
    """`fn(user_id) -> {"email_settings_url", "stop_all_url"}` for every customer email."""
    _links[:] = [fn]


def register_withdrawn(kind: str, fn: WithdrawnCheck) -> None:
    """`fn(event_keys) -> the keys no longer to be sent`, asked when notices of `kind` go
    out (e.g. the forum: a new question hidden since it was recorded is in nobody's
    digest). Those notices are dropped, never sent."""
    _withdrawn[kind] = fn


def preference(user_id: int, kind: str) -> str:
    return _preferences[0](user_id, kind) if _preferences else NOW


def links(user_id: int) -> dict:
    return _links[0](user_id) if _links else {}


def whole_subject(text: str, limit: int = SUBJECT_MAX) -> str:
    """One line, whitespace collapsed; past `limit` cut at the last word boundary before
    it, with an ellipsis, never in the middle of a word."""
    line = " ".join(str(text).split())
    if len(line) <= limit:
        return line
    cut = line[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-\u2013\u2014") + "…"


# --- recording ----------------------------------------------------------------------------


def notify(
    user_id: int,
    kind: str,
    event_key: str,
    build: Callable[[], EmailMessage],
    *,
    summary: str = "",
    link: str = "",
    topic: str = "",
) -> bool:
    """Tell `user_id` about `event_key` (once, ever): record a Notice from the email
    `build()` renders, to be sent by the person's next flush (or digest). Returns True when
    this call recorded it; False if they were told already or chose "never" for `kind`.

    Precondition: in a job handler, not inside a transaction (the flush job it queues
    is sent to the broker at once); `build` is called only for people not told yet.
    """
    delivery = preference(user_id, kind)
    if delivery == NEVER:
        return False
    if Notice.objects.filter(user_id=user_id, event_key=event_key).exists():
        return False
    message = build()
    html = next((body for body, mime in getattr(message, "alternatives", []) if mime == "text/html"), "")
    unsubscribe = str(message.extra_headers.get("List-Unsubscribe", "")).strip("<>")
    try:
        with transaction.atomic():
            Notice.objects.create(
                user_id=user_id,
                kind=kind,
                event_key=event_key,
                topic=topic[:120],
                delivery=DIGEST if delivery == DIGEST else NOW,
                subject=whole_subject(message.subject)[:300],
                summary=" ".join(summary.split())[:500],
                link=link[:500],
                body_text=message.body,
                body_html=html,
                unsubscribe_url=unsubscribe[:500],
            )
    except IntegrityError:
        return False  # recorded meanwhile, by a run racing this one
    if delivery != DIGEST:
        schedule_flush(user_id)
    return True


def _flush_prefix(user_id: int) -> str:
    return f"notice-flush:{user_id}:"


def schedule_flush(user_id: int, *, exclude_key: str | None = None) -> PendingJob | None:
    """Queue the person's flush, NOTIFY_COALESCE_SECONDS from now, unless one is waiting
    already (`exclude_key`: the flush calling this, which is finishing)."""
    first = Notice.objects.unsent().filter(user_id=user_id, delivery=NOW).order_by("pk").first()
    if first is None:
        return None
    waiting = PendingJob.objects.waiting().filter(dedupe_key__startswith=_flush_prefix(user_id))
    if exclude_key:
        waiting = waiting.exclude(dedupe_key=exclude_key)
    if waiting.exists():
        return None
    key = f"{_flush_prefix(user_id)}{first.pk}"
    run_after = timezone.now() + timedelta(seconds=settings.NOTIFY_COALESCE_SECONDS)
    return outbox.enqueue(FLUSH_JOB, {"user_id": user_id, "key": key}, dedupe_key=key, run_after=run_after)


def sweep(now: datetime | None = None) -> int:
    """Give a flush to everyone with notices left unsent well after their window (see the
    module doc, "Stranded notices"); returns how many were queued."""
    now = now or timezone.now()
    late = now - timedelta(seconds=settings.NOTIFY_COALESCE_SECONDS) - outbox.GRACE
    people = (
        Notice.objects.unsent()
        .filter(delivery=NOW, created_at__lt=late)
        .values_list("user_id", flat=True)
        .distinct()
    )
    return sum(schedule_flush(user_id) is not None for user_id in list(people)[:500])


# --- sending --------------------------------------------------------------------------------


def handle_flush(payload: dict) -> int:
    """Outbox handler for FLUSH_JOB: one email with the person's unsent notices."""
    user_id = int(payload.get("user_id") or 0)
    sent = deliver(user_id, NOW)
    schedule_flush(user_id, exclude_key=payload.get("key"))  # recorded while this one ran
    return sent


def deliver(user_id: int, delivery: str, day: str = "") -> int:
    """Claim the person's unsent notices of `delivery` ("now" or "digest") and send them
    as one email (returns 1), or nothing (0). Preferences are read again: a kind turned to
    "never" since is dropped, one turned to "digest" waits for the digest."""
    person = get_user_model().objects.filter(pk=user_id).first()
    pending = list(Notice.objects.unsent().filter(user_id=user_id, delivery=delivery).order_by("pk"))
    if not pending:
        return 0
    if person is None or not person.is_active:
        Notice.objects.filter(pk__in=[n.pk for n in pending], sent_at__isnull=True).update(
            sent_at=timezone.now(), batch="dropped"
        )
        return 0
    pending = _drop_withdrawn(pending)
    if not pending:
        return 0
    wanted = _sort_by_preference(pending, delivery)
    if not wanted:
        return 0
    batch = uuid.uuid4().hex
    claimed = Notice.objects.filter(pk__in=[n.pk for n in wanted], sent_at__isnull=True).update(
        sent_at=timezone.now(), batch=batch
    )
    if not claimed:
        return 0  # another flush took them
    notices = list(Notice.objects.filter(batch=batch).order_by("created_at", "pk"))
    message = build_message(person, notices, digest=delivery == DIGEST)
    try:
        if delivery == DIGEST:
            if not send_once(user_id, f"digest:{day}", lambda: message):
                _unclaim(batch)  # today's digest went out already: these wait for tomorrow's
                return 0
        else:
            message.send()
    except BaseException:
        _unclaim(batch)
        raise
    return 1


def _unclaim(batch: str) -> None:
    Notice.objects.filter(batch=batch).update(sent_at=None, batch="")


def _drop_withdrawn(pending: list[Notice]) -> list[Notice]:
    """The notices whose app still wants them sent (register_withdrawn); the rest dropped."""
    gone: set[int] = set()
    for kind, check in _withdrawn.items():
        of_kind = [n for n in pending if n.kind == kind]
        if of_kind:
            keys = check([n.event_key for n in of_kind])
            gone.update(n.pk for n in of_kind if n.event_key in keys)
    if not gone:
        return pending
    Notice.objects.filter(pk__in=gone, sent_at__isnull=True).update(sent_at=timezone.now(), batch="withdrawn")
    return [n for n in pending if n.pk not in gone]


def _sort_by_preference(pending: list[Notice], delivery: str) -> list[Notice]:
    """The notices still wanted by this delivery; the rest dropped or moved to the digest."""
    choice = {kind: preference(pending[0].user_id, kind) for kind in {n.kind for n in pending}}
    dropped = [n.pk for n in pending if choice[n.kind] == NEVER]
    if dropped:
        Notice.objects.filter(pk__in=dropped, sent_at__isnull=True).update(
            sent_at=timezone.now(), batch="never"
        )
    if delivery == NOW:
        later = [n.pk for n in pending if choice[n.kind] == DIGEST]
        if later:
            Notice.objects.filter(pk__in=later, sent_at__isnull=True).update(delivery=DIGEST)
        return [n for n in pending if choice[n.kind] not in (NEVER, DIGEST)]
    return [n for n in pending if choice[n.kind] != NEVER]


def latest_per_topic(notices: list[Notice]) -> list[Notice]:
    """In time order, each topic once: its latest notice, at that notice's place."""
    last: dict[str, int] = {}
    for notice in notices:
        if notice.topic:
            last[notice.topic] = notice.pk
    return [n for n in notices if not n.topic or last[n.topic] == n.pk]


def build_message(person, notices: list[Notice], *, digest: bool = False) -> EmailMultiAlternatives:
    """One notice: the email its app rendered. Several: one email listing them."""
    items = latest_per_topic(notices)
    if len(items) == 1 and not digest:
        item = items[0]
        headers = {}
        if item.unsubscribe_url:
            headers = {
                "List-Unsubscribe": f"<{item.unsubscribe_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            }
        message = EmailMultiAlternatives(item.subject, item.body_text, to=[person.email], headers=headers)
        if item.body_html:
            message.attach_alternative(item.body_html, "text/html")
        return message
    context = {
        "person": person,
        "items": items,
        "count": len(items),
        "digest": digest,
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        **links(person.pk),
    }
    headers = {}
    if context.get("stop_all_url"):
        headers = {
            "List-Unsubscribe": f"<{context['stop_all_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    subject = whole_subject(render_to_string("emails/notices-subject.txt", context))
    message = EmailMultiAlternatives(
        subject, render_to_string("emails/notices-body.txt", context), to=[person.email], headers=headers
    )
    message.attach_alternative(render_to_string("emails/notices-body.html", context), "text/html")
    return message


# --- the daily digest -----------------------------------------------------------------------


def local_now(now: datetime | None = None) -> datetime:
    return timezone.localtime(now or timezone.now(), ZoneInfo(settings.NOTIFY_DIGEST_TIME_ZONE))


def queue_digest(now: datetime | None = None) -> PendingJob | None:
    """Beat's hourly call (jobs.tasks.queue_notice_digest): from NOTIFY_DIGEST_HOUR in
    NOTIFY_DIGEST_TIME_ZONE, record the day's DIGEST_JOB once (its dedupe key: the date)."""
    local = local_now(now)
    if local.hour < settings.NOTIFY_DIGEST_HOUR:
        return None
    day = local.date().isoformat()
    if not Notice.objects.unsent().filter(delivery=DIGEST).exists():
        return None
    with transaction.atomic():
        return outbox.enqueue(DIGEST_JOB, {"day": day}, dedupe_key=f"notice-digest:{day}")


def handle_digest(payload: dict) -> int:
    """Outbox handler for DIGEST_JOB: each person's digest notices, one email each."""
    day = str(payload.get("day") or "")
    people = Notice.objects.unsent().filter(delivery=DIGEST).values_list("user_id", flat=True).distinct()
    return sum(deliver(user_id, DIGEST, day) for user_id in sorted(set(people)))
