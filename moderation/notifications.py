"""Telling people what a moderator decided about their post or their account.

The action records an outbox job in its own transaction (`tell_author`, `tell_person`);
after commit a worker sends one email (jobs.mail.send_once, keyed by a token made when
the job was recorded, so a retried job never sends twice). The job carries the words the
email needs (what, the reason, the post's title and address as they were then), so it
reads the same whatever happens to the post meanwhile. A ban for spam sends nothing
(moderation.actions.ban): a spam robot learns nothing from us.
"""

from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.dateparse import parse_datetime

from accounts.models import User
from jobs import outbox
from jobs.mail import send_once

log = logging.getLogger(__name__)

NOTICE_JOB = "moderation_notice"  # the outbox kind, registered in moderation/apps.py
# What happened, for the emails' subject lines (the bodies say it in full).
SUBJECTS = {
    "hide": "A moderator hid your {noun}",
    "restore": "Your {noun} is visible again",
    "redact": "A moderator removed personal data from your {noun}",
    "lock": "A moderator locked your question",
    "unlock": "Your question takes answers again",
    "suspend": "Your Onefix account is suspended",
    "unsuspend": "Your Onefix account can post again",
    "ban": "Your Onefix account is closed",
}


def _enqueue(person_id: int, payload: dict) -> None:
    outbox.enqueue(NOTICE_JOB, {"user_id": person_id, "key": uuid.uuid4().hex, **payload})


def tell_author(target, what: str, reason: str) -> None:
    """Queue the email to the author of `target` (a moderation.targets.Target)."""
    _enqueue(
        target.author.pk,
        {"what": what, "reason": reason, "noun": target.noun, "title": target.title, "url": target.url},
    )


def tell_person(person, what: str, reason: str, *, until=None) -> None:
    _enqueue(person.pk, {"what": what, "reason": reason, "until": until.isoformat() if until else None})


def build_email(person: User, payload: dict) -> EmailMultiAlternatives:
    what = payload["what"]
    context = {
        "person": person,
        "what": what,
        "reason": payload.get("reason", ""),
        "noun": payload.get("noun", ""),
        "title": payload.get("title", ""),
        # A hidden post's address answers 404 to its author: only link what they can open.
        "link": settings.SITE_URL + payload["url"] if payload.get("url") and what != "hide" else "",
        "until": parse_datetime(payload["until"]) if payload.get("until") else None,
        "SITE_URL": settings.SITE_URL,
        "SITE_NAME": settings.SITE_NAME,
    }
    context["subject"] = SUBJECTS[what].format(noun=context["noun"] or "post")
    message = EmailMultiAlternatives(
        subject=" ".join(render_to_string("emails/moderation_notice-subject.txt", context).split()),
        body=render_to_string("emails/moderation_notice-body.txt", context),
        to=[person.email],
    )
    message.attach_alternative(render_to_string("emails/moderation_notice-body.html", context), "text/html")
    return message


def handle_notice(payload: dict) -> int:
    """Outbox handler: one email. Returns how many were sent (0 or 1)."""
    if payload.get("what") not in SUBJECTS:
        log.warning("moderation notice: unknown kind %r", payload.get("what"))
        return 0
    person = User.objects.filter(pk=payload.get("user_id")).first()
    if person is None or (not person.is_active and not person.has_usable_password()):
        return 0  # gone, or a deleted account: there is no address to write to
    key = f"moderation:{payload['key']}"
    return int(send_once(person.pk, key, lambda: build_email(person, payload)))
