"""Following a topic: a tag, a product area or a saved search (forum/topics.py says
what follows from it). One row per person per topic, closed by the model's unique
constraints; at most TopicFollow.MAX_PER_PERSON per person."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from accounts import rules
from accounts.models import User
from forum.errors import InvalidAction, NotAllowed
from forum.models import Category, Tag, TopicFollow
from search.parse import parse


def normalize_query(text: str) -> str:
    """A search as people follow it: whitespace collapsed, lowercased (the search matches
    regardless of case), at most QUERY_MAX characters."""
    return " ".join(str(text or "").split()).lower()[: TopicFollow.QUERY_MAX].strip()


def _target(tag: Tag | None, category: Category | None, query: str) -> dict:
    given = [tag is not None, category is not None, bool(query)]
    if sum(given) != 1:
        raise InvalidAction("Choose one tag, product area or search to follow.")
    if tag is not None:
        return {"kind": TopicFollow.Kind.TAG, "tag": tag}
    if category is not None:
        return {"kind": TopicFollow.Kind.AREA, "category": category}
    return {"kind": TopicFollow.Kind.SEARCH, "query": normalize_query(query)}


def follow_topic(
    user, *, tag: Tag | None = None, category: Category | None = None, query: str = ""
) -> tuple[TopicFollow, bool]:
    """Follow one tag, area or search (exactly one given). Returns (the follow, created).
    Precondition: none; refuses who may not post (signed out, unverified, suspended),
    a search with no searchable word, and a person at the cap."""
    if not rules.may_post(user):
        raise NotAllowed(rules.posting_refusal(user, "follow topics"))
    target = _target(tag, category, query)
    if target["kind"] == TopicFollow.Kind.SEARCH and parse(target["query"]).empty:
        raise InvalidAction("That search has no word to look for: add a word that describes the problem.")
    with transaction.atomic():
        existing = TopicFollow.objects.filter(user=user, **target).first()
        if existing is not None:
            return existing, False
        # The person's row, locked: two requests at once cannot both pass the cap.
        User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True).first()
        if TopicFollow.objects.filter(user=user).count() >= TopicFollow.MAX_PER_PERSON:
            raise InvalidAction(
                f"You follow {TopicFollow.MAX_PER_PERSON} topics, the most one person can. "
                "Stop following one in your email settings first."
            )
        try:
            with transaction.atomic():
                return TopicFollow.objects.create(user=user, **target), True
        except IntegrityError:  # followed meanwhile, by a request racing this one
            return TopicFollow.objects.get(user=user, **target), False


def unfollow_topic(
    user, *, tag: Tag | None = None, category: Category | None = None, query: str = ""
) -> bool:
    """Stop following one tag, area or search. Needs no verified email. False if not followed."""
    target = _target(tag, category, query)
    deleted, _ = TopicFollow.objects.filter(user=user, **target).delete()
    return bool(deleted)


def unfollow_topic_by_id(user_id: int, follow_id: int) -> bool:
    """The unsubscribe link's stop: that follow of that person only (the signed link says
    both). False if it was stopped already."""
    deleted, _ = TopicFollow.objects.filter(pk=follow_id, user_id=user_id).delete()
    return bool(deleted)
