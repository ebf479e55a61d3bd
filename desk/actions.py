"""Every write the desk makes: claims (to a person or a team), the on-duty switch and
email settings, staff-only notes, saved replies, duplicate decisions from the desk.

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
from desk import priority, queries, replies
from desk.models import Claim, Note, SavedReply, StaffProfile, Team
from desk.permissions import may_change_reply
from duplicates import clusters
from duplicates.models import ClusterMembership, DuplicateLink
from forum import actions as forum_actions
from forum.errors import InvalidAction, NotAllowed
from forum.markdown import render_markdown
from forum.models import Thread

NOTE_MAX = 5_000


def _require_desk(user) -> None:
    if not rules.may_work_desk(user):
        raise NotAllowed("Only staff can use the desk.")


def _locked_profile(user) -> StaffProfile:
    """The person's profile row, locked: one person's takes are serialised on it, so
    two tabs cannot both pass the cap. One statement once the profile exists."""
    profile = StaffProfile.objects.select_for_update().filter(user=user).first()
    if profile is None:
        StaffProfile.objects.get_or_create(user=user)
        profile = StaffProfile.objects.select_for_update().get(user=user)
    return profile


def _item_threads(thread_id: int) -> list[Thread]:
    """What "Take it" on this thread takes, in one query, each with its claim (if any,
    with holder and team): the thread itself (first; whatever its state) and, in a
    cluster, the cluster's other waiting threads (answer once, reach all). Read by
    primary key from the thread and its cluster's memberships (a few rows)."""
    cluster = ClusterMembership.objects.filter(thread_id=thread_id).values("cluster_id")
    ids = (
        ClusterMembership.objects.filter(cluster_id__in=cluster)
        .order_by()
        .values("thread_id")
        .union(Thread.objects.filter(pk=thread_id).order_by().values("pk"))
    )
    threads = list(
        Thread.objects.filter(pk__in=ids)
        .select_related("desk_claim__holder", "desk_claim__team")
        .order_by("pk")
    )
    threads.sort(key=lambda t: t.pk != thread_id)
    return [t for t in threads if t.pk == thread_id or (t.waiting_since is not None and not t.is_deleted)]


def _follow(user, threads: list[Thread]) -> None:
    """The holder follows what they hold, to hear the customer's reply (the forum's
    team follow: two statements for the whole item; a team follower is not counted among
    the people affected)."""
    forum_actions.follow_as_team(user, threads)


def take(user, thread: Thread, *, now: datetime | None = None) -> list[int]:
    """Claim a thread (and the waiting threads of its cluster) for `user`, who then
    follows them. A member of a team that holds it takes it from the team.

    Preconditions: staff; a visible thread no other person or team holds; under the cap
    (settings.DESK_CLAIM_CAP items). Returns the ids of the threads claimed. Two people
    taking at once: the unique claim per thread lets exactly one insert win."""
    _require_desk(user)
    return _take(user, thread.pk, now or timezone.now())[1]


def _take(user, thread_id: int, now: datetime) -> tuple[Thread, list[int]]:
    """take(), by id; returns the thread as read and the ids claimed. In the usual case
    (nobody holds it, a person under the cap) five statements and the follows: lock the
    profile, read the item's threads with their claims, count open claims, insert the
    claims, audit."""
    with transaction.atomic():
        _locked_profile(user)
        item_threads = _item_threads(thread_id)
        current = item_threads[0] if item_threads and item_threads[0].pk == thread_id else None
        if current is None or current.is_deleted:
            raise InvalidAction("This question was deleted.")
        ids = [t.pk for t in item_threads]
        held = {t.pk: t.desk_claim for t in item_threads if getattr(t, "desk_claim", None) is not None}
        my_teams = (
            set(user.desk_teams.values_list("pk", flat=True))
            if any(c.team_id for c in held.values())
            else set()
        )
        others = [c for c in held.values() if c.holder_id != user.pk and c.team_id not in my_teams]
        if others:
            raise InvalidAction(f"{others[0].held_by_name} has already taken this.")
        from_team = [c for c in held.values() if c.team_id is not None]
        free = [pk for pk in ids if pk not in held]
        if not free and not from_team:
            raise InvalidAction("You have already taken this.")
        item = next(iter({c.item for c in held.values()}), current.pk)
        mine = any(c.holder_id == user.pk for c in held.values())
        if not mine and queries.open_claims(user) >= settings.DESK_CLAIM_CAP:
            raise InvalidAction(
                f"You hold {settings.DESK_CLAIM_CAP} open claims, your cap. "
                "Finish or release one before taking another."
            )
        if from_team:
            # Conditional on the team still holding it: of two members taking at once, one wins.
            moved = Claim.objects.filter(pk__in=[c.pk for c in from_team], team__isnull=False).update(
                holder=user, team=None, handed_by=None, claimed_at=now
            )
            if moved != len(from_team):
                raise InvalidAction("Someone else took this a moment ago.")
        try:
            # No savepoint of its own: a refusal rolls the whole take back anyway.
            Claim.objects.bulk_create(
                [Claim(thread_id=pk, holder=user, item=item, claimed_at=now) for pk in free]
            )
        except IntegrityError:
            raise InvalidAction("Someone else took this a moment ago.") from None
        taken = sorted([*free, *(c.thread_id for c in from_team)])
        extra = {"from_team": from_team[0].team_id} if from_team else {}
        record(user, "desk.take", current, threads=taken, **extra)
        _follow(user, [t for t in item_threads if t.pk in set(taken)])
    return current, taken


def _claims_of_item(thread: Thread):
    claim = Claim.objects.filter(thread_id=thread.pk).select_related("team").first()
    if claim is None:
        return None, Claim.objects.none()
    return claim, Claim.objects.filter(holder_id=claim.holder_id, team_id=claim.team_id, item=claim.item)


def _may_pass_on(user, claim: Claim) -> bool:
    """Release or hand over: the holder, a member of the holding team, or a team lead
    (accounts.rules.may_manage_claims)."""
    if claim.holder_id == user.pk or rules.may_manage_claims(user):
        return True
    return claim.team_id is not None and claim.team.members.filter(pk=user.pk).exists()


def release(user, thread: Thread) -> int:
    """Give a claim back to the queue: its holder (a member, for a team's claim), or
    whoever manages claims. Releases the whole item (a cluster's threads)."""
    _require_desk(user)
    with transaction.atomic():
        claim, claims = _claims_of_item(thread)
        if claim is None:
            raise InvalidAction("Nobody holds this: there is nothing to release.")
        if not _may_pass_on(user, claim):
            raise NotAllowed("Only the person who took this (or a team lead) can release it.")
        count, _ = claims.delete()
        record(user, "desk.release", thread, holder=claim.holder_id, team=claim.team_id)
    return count


def hand_over(user, thread: Thread, to: User | Team) -> int:
    """Give a held claim to a colleague, who must be staff, on duty and under the cap
    (and then follows the thread), or to a team with members (a team's claims count
    against nobody's cap). By its holder, a member of the holding team, or a team lead."""
    _require_desk(user)
    if isinstance(to, Team):
        return _hand_to_team(user, thread, to)
    if not rules.may_work_desk(to):
        raise InvalidAction("Claims can only be handed to a member of staff.")
    with transaction.atomic():
        profile = _locked_profile(to)
        claim, claims = _claims_of_item(thread)
        if claim is None:
            raise InvalidAction("Nobody holds this: take it first.")
        if not _may_pass_on(user, claim):
            raise NotAllowed("Only the person who took this (or a team lead) can hand it over.")
        if claim.holder_id == to.pk:
            raise InvalidAction(f"{to.display_name} already holds this.")
        if not profile.on_duty:
            raise InvalidAction(f"{to.display_name} is off duty.")
        if queries.open_claims(to) >= settings.DESK_CLAIM_CAP:
            raise InvalidAction(f"{to.display_name} is at the cap of {settings.DESK_CLAIM_CAP} open claims.")
        ids = list(claims.values_list("thread_id", flat=True))
        count = claims.update(holder=to, team=None, handed_by=user, claimed_at=timezone.now())
        record(user, "desk.hand_over", thread, to=to.pk, from_team=claim.team_id)
        _follow(to, list(Thread.objects.filter(pk__in=ids)))
    return count


def _hand_to_team(user, thread: Thread, team: Team) -> int:
    with transaction.atomic():
        claim, claims = _claims_of_item(thread)
        if claim is None:
            raise InvalidAction("Nobody holds this: take it first.")
        if not _may_pass_on(user, claim):
            raise NotAllowed("Only the person who took this (or a team lead) can hand it over.")
        if claim.team_id == team.pk:
            raise InvalidAction(f"{team.name} already holds this.")
        if not team.members.filter(is_active=True, role=User.Role.STAFF).exists():
            raise InvalidAction(f"{team.name} has no members yet.")
        count = claims.update(holder=None, team=team, handed_by=user, claimed_at=timezone.now())
        record(user, "desk.hand_over", thread, team=team.pk, from_team=claim.team_id)
    return count


def take_next(user, *, now: datetime | None = None) -> Thread | None:
    """Take the highest-priority unclaimed row in the person's areas (all areas if they
    chose none). None when nothing is waiting there. Reads only the top row of the queue
    (queries.queue_page, no count); if someone takes it in between, reads the top again
    (a few times at most)."""
    _require_desk(user)
    now = now or timezone.now()
    areas = queries.areas_of(user)
    filters = queries.Filters(show="unclaimed", areas=areas or None)
    for _ in range(5):
        t = priority.tiers(now)
        top, _total = queries.queue_page(user, filters, t, 1, 1, count=False)
        if not top:
            return None
        key = top[0]["key"]
        if key < 0:  # a cluster: take its longest-waiting thread (and with it the others)
            thread_id = (
                Thread.objects.waiting()
                .filter(cluster_membership__cluster_id=-key)
                .order_by("waiting_since", "pk")
                .values_list("pk", flat=True)
                .first()
            )
            if thread_id is None:
                continue
        else:
            thread_id = key
        try:
            return _take(user, thread_id, now)[0]
        except InvalidAction as error:
            if "cap" in str(error):
                raise
            continue
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


def end_claim_on_solved(thread_id: int) -> int:
    """forum's "thread solved" hook: the claim on a solved question ends at once (the
    sweep used to drop it up to ten minutes later). Inside the solver's transaction. Only
    that thread's claim: the rest of a cluster's item stays held while it still waits."""
    claims = Claim.objects.filter(thread_id=thread_id)
    ended = list(claims.values_list("holder_id", "team_id"))
    claims.delete()
    for holder_id, team_id in ended:
        record(
            None, "desk.solved_release", kind="thread", target_id=thread_id, holder=holder_id, team=team_id
        )
    return len(ended)


def release_stale(now: datetime | None = None) -> int:
    """The sweep (desk.tasks.release_stale_claims, on the beat schedule). Idempotent:
    a second run finds nothing left to release."""
    now = now or timezone.now()
    with transaction.atomic():
        stale = list(
            stale_claims(now).select_for_update().values_list("pk", "thread_id", "holder_id", "team_id")
        )
        Claim.objects.filter(pk__in=[pk for pk, *_ in stale]).delete()
        for _, thread_id, holder_id, team_id in stale:
            record(
                None, "desk.auto_release", kind="thread", target_id=thread_id, holder=holder_id, team=team_id
            )
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


def save_settings(
    user,
    *,
    areas: list[int],
    notify_new_threads: bool,
    notify_reminders: bool,
    notify_replies: bool,
    notify_spikes: bool = True,
) -> None:
    """The person's own desk settings on /desk/team/: the product areas they cover ("Next"
    and new-question emails; none: all) and which desk emails they get."""
    _require_desk(user)
    with transaction.atomic():
        profile = _locked_profile(user)
        profile.notify_new_threads = notify_new_threads
        profile.notify_reminders = notify_reminders
        profile.notify_replies = notify_replies
        profile.notify_spikes = notify_spikes
        profile.updated_at = timezone.now()
        profile.save(
            update_fields=[
                "notify_new_threads",
                "notify_reminders",
                "notify_replies",
                "notify_spikes",
                "updated_at",
            ]
        )
        profile.areas.set(areas)


def stop_emails(user, kind: str) -> bool:
    """One-click unsubscribe from one kind of desk email (StaffProfile.EMAILS). No staff
    check: the signed link in the email is the credential, and it keeps working for
    someone who has left the staff since. Returns False if it was off already."""
    field = StaffProfile.EMAILS[kind]
    with transaction.atomic():
        StaffProfile.objects.get_or_create(user=user)
        done = StaffProfile.objects.filter(user=user, **{field: True}).update(
            **{field: False}, updated_at=timezone.now()
        )
    return bool(done)


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


# --- saved replies (docs/desk.md#saved-replies) -------------------------------------------

REPLY_TITLE_MAX = 100
REPLY_BODY_MAX = 10_000
REPLY_LIMIT = 100  # per person, private and shared together


def _clean_reply(title: str, body: str) -> tuple[str, str]:
    title = " ".join(title.split())
    body = body.replace("\r\n", "\n").strip()
    if not title:
        raise InvalidAction("Give the reply a title, so you can find it in the list.")
    if len(title) > REPLY_TITLE_MAX:
        raise InvalidAction(
            f"A title can have at most {REPLY_TITLE_MAX} characters (this one has {len(title)})."
        )
    if not body:
        raise InvalidAction("Write the text of the reply first.")
    if len(body) > REPLY_BODY_MAX:
        raise InvalidAction(
            f"A reply can have at most {REPLY_BODY_MAX:,} characters (this one has {len(body):,})."
        )
    if found := replies.problems(body):
        raise InvalidAction(" ".join(found))
    return title, body


def create_reply(user, title: str, body: str, *, shared: bool = False) -> SavedReply:
    """Save a reply text for `user` (staff), private or shared with the team. Refused past
    REPLY_LIMIT replies of theirs, and when the text names an unknown placeholder or an
    article that is not published (desk.replies.problems). One person's saves are
    serialised on their desk profile, so two tabs cannot both pass the limit."""
    _require_desk(user)
    title, body = _clean_reply(title, body)
    with transaction.atomic():
        _locked_profile(user)
        if SavedReply.objects.filter(owner=user).count() >= REPLY_LIMIT:
            raise InvalidAction(
                f"You have {REPLY_LIMIT} saved replies, the most one person can keep. "
                "Delete one you no longer use, then save this one."
            )
        return SavedReply.objects.create(owner=user, title=title, body_md=body, shared=shared)


def edit_reply(user, reply: SavedReply, title: str, body: str, *, shared: bool) -> SavedReply:
    """Change a saved reply: its owner, or a team lead for a shared one (may_change_reply)."""
    _require_desk(user)
    title, body = _clean_reply(title, body)
    with transaction.atomic():
        current = SavedReply.objects.select_for_update().filter(pk=reply.pk).first()
        if current is None:
            raise InvalidAction("This saved reply was deleted in the meantime.")
        if not may_change_reply(user, current):
            raise NotAllowed(
                "Only the person who saved this reply (or a team lead, if it is shared) can change it."
            )
        current.title, current.body_md, current.shared = title, body, shared
        current.updated_at = timezone.now()
        current.save(update_fields=["title", "body_md", "shared", "updated_at"])
    return current


def delete_reply(user, reply: SavedReply) -> None:
    """Delete a saved reply: its owner, or a team lead for a shared one."""
    _require_desk(user)
    if not may_change_reply(user, reply):
        raise NotAllowed(
            "Only the person who saved this reply (or a team lead, if it is shared) can delete it."
        )
    SavedReply.objects.filter(pk=reply.pk).delete()


# --- duplicate decisions from /desk/links/ ------------------------------------------------

LINK_DECISIONS = {"confirm": clusters.confirm_link, "reject": clusters.reject_link}


def _already_decided(link: DuplicateLink) -> str:
    who = link.decided_by.display_name if link.decided_by_id else "Someone"
    what = "confirmed it" if link.state == DuplicateLink.State.CONFIRMED else "marked it as not the same"
    return f"Someone already decided this link: {who} {what}."


def decide_link(user, link_id: int, decision: str) -> DuplicateLink:
    """ "Same problem" (confirm) or "Not the same" (reject) on a suggested duplicate link,
    through the duplicates app's own decision (which joins the clusters and tells people).

    Preconditions: staff; the link is still a suggestion. A link someone decided in the
    meantime is refused with who decided what: on its own, a second decision would quietly
    flip the first. The link is locked while it is checked and decided, so of two people
    deciding at once the second is told."""
    _require_desk(user)
    decide = LINK_DECISIONS.get(decision)
    if decide is None:
        raise InvalidAction("Choose “Same problem” or “Not the same”.")
    with transaction.atomic():
        link = DuplicateLink.objects.select_for_update().filter(pk=link_id).first()
        if link is None:
            raise InvalidAction("This link no longer exists.")
        if link.state != DuplicateLink.State.SUGGESTED:
            raise InvalidAction(_already_decided(link))
        decide(link.pk, user)
    return DuplicateLink.objects.select_related("low", "high").get(pk=link_id)
