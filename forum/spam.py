"""Spam defence that needs no outside service (issue 11, item 4).

Checked by the actions, so a view, a task or a script cannot post around them:
- **links from new accounts**: an account younger than NEW_ACCOUNT_HOURS may put at most
  SPAM_NEW_ACCOUNT_MAX_LINKS links (and images) in a post - Discourse's newuser_max_links;
- **the same text again**: one author posting a body they already posted in the last
  SPAM_REPEAT_HOURS is refused (flooding one text into many threads);
- **an optional outside check**: SPAM_CHECK_HOOK names a callable
  `fn(kind, author, text) -> bool` (an Akismet client, say); off by default. True refuses.

The honeypot and the minimum fill time are the forms' part (forum.forms.HumanCheckMixin):
they need the request, which actions never see.

The team is exempt. What a moderator hides as spam is not fed back into any of these
rules: they are fixed and documented (docs/security.md), so hidden posts train nothing.
"""

from __future__ import annotations

import re
from datetime import timedelta
from functools import lru_cache

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from accounts import rules
from forum.errors import InvalidAction

_LINK = re.compile(r"<(?:a|img)\s", re.IGNORECASE)


def check(kind: str, author, body_md: str, body_html: str, *, new_text: bool = True) -> None:
    """Refuse (InvalidAction with a message) a post that looks like spam. Precondition:
    `body_html` is `body_md` rendered by forum.markdown. `new_text=False` for an edit:
    the link cap and the outside hook apply, the repeat check does not."""
    if rules.is_team(author):
        return
    if author.is_new_account:
        links = len(_LINK.findall(body_html))
        limit = settings.SPAM_NEW_ACCOUNT_MAX_LINKS
        if links > limit:
            raise InvalidAction(
                f"New accounts can include at most {limit} links or images in a post during their first "
                f"{settings.NEW_ACCOUNT_HOURS} hours (this one has {links}). Remove some, or write the "
                "addresses without the link."
            )
    if new_text and _posted_before(author, body_md):
        raise InvalidAction(
            "You posted this same text a moment ago. If it belongs in another question too, "
            "link to your first post instead of copying it."
        )
    hook = _hook()
    if hook is not None and hook(kind, author, body_md):
        raise InvalidAction(
            "Our spam filter held this post. If it is not spam, change the wording a little or "
            "ask a moderator for help."
        )


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def _posted_before(author, body_md: str) -> bool:
    from forum.models import Comment, Post, Thread

    since = timezone.now() - timedelta(hours=settings.SPAM_REPEAT_HOURS)
    text = _normal(body_md)
    if len(text) < 20:  # "Same here", "Thanks!" are fine to repeat
        return False
    recent = [
        *Post.objects.filter(author=author, created_at__gte=since).values_list("body_md", flat=True),
        *Thread.objects.filter(author=author, created_at__gte=since).values_list("body_md", flat=True),
        *Comment.objects.filter(author=author, created_at__gte=since).values_list("body_md", flat=True),
    ]
    return any(_normal(body) == text for body in recent)


@lru_cache(maxsize=4)
def _load(path: str):
    return import_string(path)


def _hook():
    return _load(settings.SPAM_CHECK_HOOK) if settings.SPAM_CHECK_HOOK else None
