"""The developer's email backends: nothing leaves the machine.

`EmlFileBackend` writes each message to its own `.eml` file under EMAIL_FILE_PATH (a
mail client opens it; links are clickable). `ConsoleAndFileBackend`, the default of
`make run`, does that and logs one line per message (who, subject, which file) at INFO:
a developer can open a verification link after the terminal scrolled on, and the
terminal does not fill with whole messages (in the worker, Celery logged every printed
email as a WARNING).
"""

from __future__ import annotations

import logging
import uuid
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

log = logging.getLogger("onefix.mail")


class EmlFileBackend(BaseEmailBackend):
    """One `<time>-<random>.eml` file per message, in RFC 5322 form, under EMAIL_FILE_PATH."""

    def __init__(self, fail_silently: bool = False, file_path: str | None = None, **kwargs):
        super().__init__(fail_silently=fail_silently)
        self.folder = Path(file_path or settings.EMAIL_FILE_PATH)

    def write(self, message) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"{timezone.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:8]}.eml"
        path = self.folder / name
        path.write_bytes(message.message().as_bytes(linesep="\r\n"))
        return path

    def send_messages(self, email_messages):
        sent = 0
        for message in email_messages or ():
            if not message.recipients():
                continue
            try:
                self.write(message)
            except OSError:
                if not self.fail_silently:
                    raise
                continue
            sent += 1
        return sent


class ConsoleAndFileBackend(EmlFileBackend):
    """An .eml file per message and one log line saying where it is."""

    def send_messages(self, email_messages):
        sent = 0
        for message in email_messages or ():
            if not message.recipients():
                continue
            try:
                path = self.write(message)
            except OSError:
                if not self.fail_silently:
                    raise
                continue
            log.info("Email to %s: “%s” — saved as %s", ", ".join(message.to), message.subject, path)
            sent += 1
        return sent
