"""Why an action refused. Views turn these into 403/400 pages or form errors."""


class ForumError(Exception):
    """Base class: the message is written for the person who tried."""


class NotAllowed(ForumError):  # noqa: N818 - the name other apps rely on (brief)
    """This person may not do this (role, ownership, unverified email)."""


class InvalidAction(ForumError):  # noqa: N818 - the name other apps rely on (brief)
    """Nobody could do this to this thing in its current state (locked, deleted, wrong thread)."""
