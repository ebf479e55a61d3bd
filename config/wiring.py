"""Connections between apps that neither side may make itself (config may import all).

- A person's data (accounts.privacy): `search`, `jobs` and `audit` know no app of ours,
  so config registers how their rows about a person are exported and erased, and
  records a deleted account in the audit log (with no personal data).
- Role changes (accounts.actions.set_role announces them; accounts may not import
  audit): written to the audit log with the old and the new role.
- Email preferences: jobs.notices (which sends every customer email) asks accounts how
  each person wants each kind, and puts accounts' settings and "stop all" links in the
  footer of the emails it combines; neither app may import the other.
- The anonymous cache (config/anoncache.py) ends a generation when an outbox job ran:
  a link job its thread's, a mail job none, any other the site's.
"""

from __future__ import annotations

import functools

from celery.signals import task_postrun

from accounts import actions as account_actions
from accounts import notifications, privacy
from accounts.models import EmailPreference
from audit.actions import describe, record
from audit.models import AuditEntry
from jobs import notices
from jobs.models import Notice, NotificationSent
from search.models import AskAttempt

ACCOUNT_DELETED = "account.delete"
ROLE_CHANGED = "user.role"
AUDIT_ACTIONS = {ACCOUNT_DELETED: "An account was deleted", ROLE_CHANGED: "Changed someone's role"}


def _export_attempts(user) -> list[dict]:
    return [
        {"created_at": a.created_at.isoformat(), "suggestions_shown": a.suggestions_shown,
         "opened_url": a.opened_url, "posted": a.posted_at is not None}
        for a in AskAttempt.objects.filter(user=user).order_by("pk")
    ]  # fmt: skip


def _export_notifications(user) -> list[dict]:
    return list(NotificationSent.objects.filter(user=user).order_by("pk").values("event_key", "sent_at"))


def _export_notices(user) -> list[dict]:
    return [
        {"kind": n.kind, "subject": n.subject, "link": n.link, "created_at": n.created_at.isoformat(),
         "sent_at": n.sent_at.isoformat() if n.sent_at else None}
        for n in Notice.objects.filter(user=user).order_by("pk")
    ]  # fmt: skip


def _export_email_preferences(user) -> list[dict]:
    return list(EmailPreference.objects.filter(user=user).order_by("kind").values("kind", "choice"))


def _export_audit(user) -> list[dict]:
    return [
        {"action": e.action, "target": f"{e.target_kind} {e.target_id or ''}".strip(), "reason": e.reason,
         "created_at": e.created_at.isoformat()}
        for e in AuditEntry.objects.filter(actor=user).order_by("pk")
    ]  # fmt: skip


def _erase(user) -> None:
    AskAttempt.objects.filter(user=user).update(user=None)  # the deflection figures stay
    NotificationSent.objects.filter(user=user).delete()
    Notice.objects.filter(user=user).delete()
    EmailPreference.objects.filter(user=user).delete()


def _audit_deletion(user_id: int) -> None:
    record(None, ACCOUNT_DELETED, kind="user", target_id=user_id, label=privacy.FORMER_MEMBER)


def _audit_role_change(user, old_role: str, by) -> None:
    if old_role and old_role != user.role:
        record(by, ROLE_CHANGED, user, kind="user", old=old_role, new=user.role)


def connect() -> None:
    describe(AUDIT_ACTIONS)
    account_actions.register_role_changed(_audit_role_change)
    privacy.register_export("search.AskAttempt.user", _export_attempts)
    privacy.register_export("jobs.NotificationSent.user", _export_notifications)
    privacy.register_export("jobs.Notice.user", _export_notices)
    privacy.register_export("accounts.EmailPreference.user", _export_email_preferences)
    privacy.register_export("audit.AuditEntry.actor", _export_audit)
    privacy.register_erase(_erase)
    privacy.register_after_delete(_audit_deletion)
    notices.register_preferences(notifications.preference)
    notices.register_links(notifications.email_links)
    task_postrun.connect(_job_ran, dispatch_uid="onefix-anon-cache")


@functools.cache
def _mail_only_jobs() -> frozenset[str]:
    """Outbox jobs that only send and record emails and notices (the mail queue's, and
    the topic matching that decides who is told): no page shows what they write."""
    from desk import notifications as desk_mail
    from forum import topics
    from forum.notifications import NOTIFY_JOB
    from kb.actions import PUBLISHED_JOB
    from moderation.notifications import NOTICE_JOB

    return frozenset(
        {
            notices.FLUSH_JOB,
            notices.DIGEST_JOB,
            NOTIFY_JOB,
            topics.MATCH_JOB,  # matches followed topics, records their notices
            PUBLISHED_JOB,
            NOTICE_JOB,
            desk_mail.REPLY_JOB,
            desk_mail.REMINDER_JOB,
            desk_mail.NEW_THREAD_JOB,
            desk_mail.SPIKE_JOB,
        }
    )


def _job_ran(sender=None, args=None, **kwargs) -> None:
    """An outbox job may have changed pages: a link job its thread's page and the lists
    (suggested links), a mail job nothing; any other (threads solved through a linked
    fix, a kind added later) every page (config/anoncache.py)."""
    if getattr(sender, "name", "") != "jobs.tasks.run_job":
        return
    from config import anoncache
    from duplicates.linking import LINK_JOB
    from jobs.models import PendingJob

    job = PendingJob.objects.filter(pk=(args or [None])[0]).values_list("kind", "payload").first()
    kind, payload = job or (None, {})
    if kind in _mail_only_jobs():
        return
    if kind == LINK_JOB and payload.get("thread_id"):
        anoncache.invalidate_thread(int(payload["thread_id"]))
    else:
        anoncache.invalidate()
