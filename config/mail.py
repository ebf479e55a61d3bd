"""The developer's default email backend: print to the console and keep a copy."""

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.console import EmailBackend as ConsoleBackend
from django.core.mail.backends.filebased import EmailBackend as FileBackend


class ConsoleAndFileBackend(BaseEmailBackend):
    """Writes each message to stdout and to an .eml file under EMAIL_FILE_PATH.

    The folder lets a developer open a verification link after the console
    scrolled away; nothing leaves the machine.
    """

    def __init__(self, fail_silently: bool = False, **kwargs):
        super().__init__(fail_silently=fail_silently)
        self._console = ConsoleBackend(fail_silently=fail_silently, **kwargs)
        self._file = FileBackend(fail_silently=fail_silently, **kwargs)

    def send_messages(self, email_messages):
        if not email_messages:
            return 0
        self._console.send_messages(email_messages)
        return self._file.send_messages(email_messages)
