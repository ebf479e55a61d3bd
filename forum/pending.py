""" "I have this problem too" pressed while signed out: done once the person signs in.

The me-too view remembers the thread in the visitor's session (signed, one thread id,
the latest press wins) before sending them to sign in or sign up. Django's
`user_logged_in` signal (sent by a password sign-in and by allauth's sign-in on email
confirmation, ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION) runs `apply_after_sign_in`, which
checks the thread again - it may have been deleted or locked meanwhile, or be the
person's own - applies the me-too through the action and says what happened.

accounts knows nothing of this: forum connects the receiver in ForumConfig.ready.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core import signing
from django.urls import reverse

from accounts.drafts import save_draft
from forum import actions
from forum.errors import ForumError
from forum.forms import ASK_FIELDS
from forum.models import Thread

SESSION_KEY = "forum_pending_me_too"
UNSENT = "unsent"  # marks an ask draft kept from the suggestion panel, never posted
SALT = "forum.pending.me-too"
# Long enough to sign up and open the confirmation email, short enough that a press
# forgotten in a shared browser does not come back weeks later.
MAX_AGE = dt.timedelta(days=2)


def remember_me_too(request, thread_id: int, **_) -> None:
    """sign_in_first's on_visitor for the me-too view. From the ask page (the button
    sits inside the ask form, so its fields come along), what was typed is kept as
    the ask page's draft too, so nothing is lost on the way through sign-in."""
    request.session[SESSION_KEY] = signing.dumps(int(thread_id), salt=SALT)
    keep_the_question(request, request.POST.get("next", ""))


def keep_the_question(request, back: str) -> None:
    """A POST from the suggestion panel carries the ask form's fields (the button is in
    that form): going `back` to the ask page, keep them as its draft."""
    typed = {field: request.POST.get(field, "") for field in ASK_FIELDS}
    if back == reverse("forum:ask") and (typed["title"].strip() or typed["body"].strip()):
        # Not sent: the ask page fills it back in without judging it (no "required" errors).
        save_draft(request, back, {**typed, UNSENT: "1"})


def pending_thread_id(request) -> int | None:
    """The thread id remembered for this session, or None (none, tampered with, expired)."""
    token = request.session.get(SESSION_KEY)
    if not token:
        return None
    try:
        return int(signing.loads(token, salt=SALT, max_age=MAX_AGE))
    except (signing.BadSignature, TypeError, ValueError):
        return None


def apply_after_sign_in(sender, request, user, **kwargs) -> None:
    """Receiver of django.contrib.auth's user_logged_in."""
    session = getattr(request, "session", None)
    if session is None or SESSION_KEY not in session:
        return
    thread_id = pending_thread_id(request)
    del session[SESSION_KEY]
    if thread_id is None:
        return
    level, text = apply_me_too(user, thread_id)
    messages.add_message(request, level, text)


def apply_me_too(user, thread_id: int) -> tuple[int, str]:
    """Check the remembered thread again and add the me-too; returns the message to show."""
    thread = Thread.objects.visible().filter(pk=thread_id).first()
    if thread is None:
        return (
            messages.WARNING,
            "The question you said you have too was removed meanwhile, so nothing was added. "
            "You can still ask your own.",
        )
    if thread.author_id == user.pk:
        return messages.INFO, f"“{thread.title}” is your own question, so you are already counted."
    if thread.is_locked:
        return messages.WARNING, f"“{thread.title}” was locked meanwhile, so nothing was added."
    try:
        added = actions.me_too(user, thread)
    except ForumError as error:
        return messages.ERROR, f"We could not add you to “{thread.title}”: {error}"
    if not added:
        return messages.INFO, f"You had already said you have “{thread.title}” too. You are following it."
    return (
        messages.SUCCESS,
        f"Signed in, and added: you have “{thread.title}” too. You are following it, "
        "so we'll email you when it is answered or fixed.",
    )
