"""Email each person once per event: `send_once`.

The promise "a retried job never emails anyone twice" is kept by a unique row per
(person, event key) in NotificationSent. The row is written and **committed before**
the mail server is contacted, so no database transaction is open while SMTP talks
(on SQLite an open write transaction holds the whole database's write lock, and a slow
mail server would stall every writer of the site for as long as it takes).

The order: (1) skip the person if a row exists; (2) render the message (templates may
be slow, and a worker killed while rendering has promised nothing yet); (3) insert and
commit the row (the unique constraint settles a race between two runs); (4) send. If
the send raises, the row is deleted again and the error propagates, so the job's retry
sends it (see jobs.outbox for which errors are retried). One consequence, chosen on
purpose: a process killed between (3) and the end of (4) leaves that person not
emailed for that event — at most once, never twice.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction

from jobs.models import NotificationSent


def send_once(user_id: int, event_key: str, build: Callable[[], EmailMessage]) -> bool:
    """Send `build()` to the person `user_id` unless they were already told about
    `event_key`. Returns True when this call sent it.

    Precondition: not inside a transaction (a job handler), so that the row is committed
    before sending; `build` is only called for people not told yet.
    """
    if NotificationSent.objects.filter(user_id=user_id, event_key=event_key).exists():
        return False  # told already, by an earlier run
    message = build()
    try:
        with transaction.atomic():
            row = NotificationSent.objects.create(user_id=user_id, event_key=event_key)
    except IntegrityError:
        return False  # told meanwhile, by a run racing this one
    try:
        message.send()
    except BaseException:
        NotificationSent.objects.filter(pk=row.pk).delete()
        raise
    return True
