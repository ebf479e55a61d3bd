"""Every write the desk makes: claims, the on-duty switch, staff-only notes.

Plain functions (no request). Each refuses with forum.errors.NotAllowed or
InvalidAction and a message meant for the person who tried; a refusal changes nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts import rules
from accounts.models import User
from audit.actions import record
from desk import priority, queries
from desk.models import Claim, Note, StaffProfile
from duplicates.models import ClusterMembership
from forum.errors import InvalidAction, NotAllowed
from forum.markdown import render_markdown
from forum.models import Thread

NOTE_MAX = 5_000


def _require_desk(user) -> None:
    if not rules.may_work_desk(user):
        raise NotAllowed("Only staff can use the desk.")


def _locked_profile(user) -> StaffProfile:
    """The person's profile row, locked: one person's takes are serialised on it, so
    two tabs cannot both pass the cap."""
    StaffProfile.objects.get_or_create(user=user)
    return StaffProfile.objects.select_for_update().get(user=user)


def _item_threads(thread: Thread) -> list[int]:
    """What "Take it" on this thread takes: the thread and, in a cluster, the cluster's
    other waiting threads (answer once, reach all)."""
    membership = ClusterMembership.objects.filter(thread_id=thread.pk).first()
    if membership is None:
        return [thread.pk]
    others = Thread.objects.waiting().filter(cluster_membership__cluster_id=membership.cluster_id)
    return sorted({thread.pk, *others.values_list("pk", flat=True)})


def take(user, thread: Thread, *, now: datetime | None = None) -> list[int]:
    """Claim a thread (and the waiting threads of its cluster) for `user`.

    Preconditions: staff; a visible thread nobody else holds; under the cap
    (settings.DESK_CLAIM_CAP items). Returns the ids of the threads claimed. Two people
    taking at once: the unique claim per thread lets exactly one insert win."""
    _require_desk(user)
    now = now or timezone.now()
    with transaction.atomic():
        _locked_profile(user)
        current = Thread.objects.filter(pk=thread.pk, is_deleted=False).first()
        if current is None:
            raise InvalidAction("This question was deleted.")
        ids = _item_threads(current)
        held = {c.thread_id: c for c in Claim.objects.filter(thread_id__in=ids).select_related("holder")}
        others = [c for c in held.values() if c.holder_id != user.pk]
        if others:
            raise InvalidAction(f"{others[0].holder.display_name} has already taken this.")
        free = [pk for pk in ids if pk not in held]
        if not free:
            raise InvalidAction("You have already taken this.")
        item = next(iter({c.item for c in held.values()}), current.pk)
        if not held and queries.open_claims(user) >= settings.DESK_CLAIM_CAP:
            raise InvalidAction(
                f"You hold {settings.DESK_CLAIM_CAP} open claims, your cap. "
                "Finish or release one before taking another."
            )
        try:
            with transaction.atomic():
                Claim.objects.bulk_create(
                    [Claim(thread_id=pk, holder=user, item=item, claimed_at=now) for pk in free]
                )
        except IntegrityError:
            raise InvalidAction("Someone else took this a moment ago.") from None
        record(user, "desk.take", current, threads=free)
    return free


def _claims_of_item(thread: Thread):
    claim = Claim.objects.filter(thread_id=thread.pk).first()
    if claim is None:
        return None, Claim.objects.none()
    return claim, Claim.objects.filter(holder_id=claim.holder_id, item=claim.item)


def release(user, thread: Thread) -> int:
    """Give a claim back to the queue: its holder, or whoever manages claims
    (accounts.rules.may_manage_claims). Releases the whole item (a cluster's threads)."""
    _require_desk(user)
    with transaction.atomic():
        claim, claims = _claims_of_item(thread)
        if claim is None:
            raise InvalidAction("Nobody holds this: there is nothing to release.")
        if claim.holder_id != user.pk and not rules.may_manage_claims(user):
            raise NotAllowed("Only the person who took this (or a team lead) can release it.")
        count, _ = claims.delete()
        record(user, "desk.release", thread, holder=claim.holder_id)
    return count


def hand_over(user, thread: Thread, to: User) -> int:
    """Give a held claim to a colleague, who must be staff, on duty and under the cap."""
    _require_desk(user)
    if not rules.may_work_desk(to):
        raise InvalidAction("Claims can only be handed to a member of staff.")
    with transaction.atomic():
        profile = _locked_profile(to)
        claim, claims = _claims_of_item(thread)
        if claim is None:
            raise InvalidAction("Nobody holds this: take it first.")
        if claim.holder_id != user.pk and not rules.may_manage_claims(user):
            raise NotAllowed("Only the person who took this (or a team lead) can hand it over.")
        if claim.holder_id == to.pk:
            raise InvalidAction(f"{to.display_name} already holds this.")
        if not profile.on_duty:
            raise InvalidAction(f"{to.display_name} is off duty.")
        if queries.open_claims(to) >= settings.DESK_CLAIM_CAP:
            raise InvalidAction(f"{to.display_name} is at the cap of {settings.DESK_CLAIM_CAP} open claims.")
        count = claims.update(holder=to, handed_by=user, claimed_at=timezone.now())
        record(user, "desk.hand_over", thread, to=to.pk)
    return count


def take_next(user, *, now: datetime | None = None) -> Thread | None:
    """Take the highest-priority unclaimed row in the person's areas (all areas if they
    chose none). None when nothing is waiting there. A row someone takes in between
    is skipped."""
    _require_desk(user)
    now = now or timezone.now()
    profile = queries.profile_for(user)
    areas = [c.pk for c in profile.areas.all()] if profile else []
    t = priority.tiers(now)
    rows = queries.queue_rows(user, queries.Filters(show="unclaimed", areas=areas or None), t)
    for value in rows[:5]:
        key = value["key"]
        found = Thread.objects.waiting().order_by("waiting_since", "pk")
        found = found.filter(cluster_membership__cluster_id=-key) if key < 0 else found.filter(pk=key)
        thread = found.first()
        if thread is None:
            continue
        try:
            take(user, thread, now=now)
        except InvalidAction as error:
            if "cap" in str(error):
                raise
            continue
        return thread
    return None


def stale_claims(now: datetime):
    """Claims whose holder has not replied: the thread is waiting and both its wait and
    the claim began longer than DESK_CLAIM_RELEASE_HOURS ago. And claims on threads
    that are solved or deleted: finished."""
    limit = now - timedelta(hours=settings.DESK_CLAIM_RELEASE_HOURS)
    waiting_too_long = Q(
        thread__waiting_since__isnull=False, thread__waiting_since__lt=limit, claimed_at__lt=limit
    )
    finished = Q(thread__is_deleted=True) | Q(thread__status=Thread.Status.SOLVED)
    return Claim.objects.filter(waiting_too_long | finished)


def release_stale(now: datetime | None = None) -> int:
    """The sweep (desk.tasks.release_stale_claims, on the beat schedule). Idempotent:
    a second run finds nothing left to release."""
    now = now or timezone.now()
    with transaction.atomic():
        stale = list(stale_claims(now).select_for_update().values_list("pk", "thread_id", "holder_id"))
        Claim.objects.filter(pk__in=[pk for pk, _, _ in stale]).delete()
        for _, thread_id, holder_id in stale:
            record(None, "desk.auto_release", kind="thread", target_id=thread_id, holder=holder_id)
    return len(stale)


def set_on_duty(user, on_duty: bool) -> bool:
    """The on-duty switch: off-duty staff are handed nothing and alerted about nothing."""
    _require_desk(user)
    with transaction.atomic():
        profile = _locked_profile(user)
        if profile.on_duty == on_duty:
            return False
        profile.on_duty = on_duty
        profile.updated_at = timezone.now()
        profile.save(update_fields=["on_duty", "updated_at"])
    return True


def set_areas(user, category_ids: list[int]) -> None:
    _require_desk(user)
    with transaction.atomic():
        profile = _locked_profile(user)
        profile.areas.set(category_ids)


def add_note(user, thread: Thread, body: str) -> Note:
    """A staff-only note (an order number, "refund issued", a bug-tracker link). Never
    shown publicly, indexed or emailed to customers; kept unmasked on purpose: it is
    where the private details go."""
    _require_desk(user)
    body = body.strip()
    if not body:
        raise InvalidAction("Write the note first.")
    if len(body) > NOTE_MAX:
        raise InvalidAction(f"A note can have at most {NOTE_MAX} characters.")
    if thread.is_deleted:
        raise InvalidAction("This question was deleted.")
    with transaction.atomic():
        note = Note.objects.create(
            thread=thread, author=user, body_md=body, body_html=render_markdown(body, mask_personal=False)
        )
        record(user, "desk.note", thread)
    return note
