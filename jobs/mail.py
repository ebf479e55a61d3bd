"""Email each person once per event: `send_once`.

The promise "a retried job never emails anyone twice" is kept by a unique row per
(person, event key) in NotificationSent. The row is written and **committed before**
the mail server is contacted, so no database transaction is open while SMTP talks
(on SQLite an open write transaction holds the whole database's write lock, and a slow
mail server would stall every writer of the site for as long as it takes).

The order has one consequence, chosen on purpose: if the process dies between the
commit and the send, that person is not emailed for that event (at most once). If the
send raises, the row is deleted again and the error propagates, so the job's retry
sends it (see jobs.outbox for which errors are retried).
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
    try:
        with transaction.atomic():
            row = NotificationSent.objects.create(user_id=user_id, event_key=event_key)
    except IntegrityError:
        return False  # told already, by an earlier run
    try:
        build().send()
    except BaseException:
        NotificationSent.objects.filter(pk=row.pk).delete()
        raise
    return True
