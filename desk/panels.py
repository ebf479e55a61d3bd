"""The desk's thread-page panels (registered in desk/apps.py through forum.hooks).

- after_question, for everyone: "A staff member is looking into it" while a claim is
  held (no name: the public sees that someone is on it, not who).
- sidebar, for staff only: who holds it (a person or a team), Take it / Release / Hand
  over (to a colleague or a team), "your answer will reach N people in M threads" for a
  cluster, the saved replies to insert into the answer box, and the staff-only notes.
  Nothing of it is rendered for anyone else, so notes and saved replies cannot reach
  public HTML.

And the answer prefill (forum.hooks): `?reply=<id>` on the thread page puts that saved
reply, filled in for the thread, in the answer box - staff only; anyone else's answer
box stays empty and nothing about saved replies is read.

Queries: none of their own for the public banner (whether a claim is held is read with
the other apps' panels in the page's one panel query, `desk_claimed`, forum.paneldata;
issue 14, item 4); staff add the claim with its holder, the notes, the saved replies
(and, when they name articles, those articles), the colleagues and teams for "Hand
over", and for a team's claim whether they are in that team. The cluster's reach is the
duplicates panel's data (`duplicates_cluster`), read in the same panel query.
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string

from accounts import rules
from desk import replies
from desk.forms import HandOverForm, NoteForm
from desk.models import Claim, Note, SavedReply
from forum.paneldata import panel_data


def _claim(thread) -> Claim | None:
    if not hasattr(thread, "_desk_claim_memo"):
        thread._desk_claim_memo = (
            Claim.objects.filter(thread_id=thread.pk).select_related("holder", "team").first()
        )
    return thread._desk_claim_memo


def claimed_data():
    """Panel data: is a claim held on the thread?"""
    return Exists(Claim.objects.filter(thread_id=OuterRef("pk")))


def claim_banner(request, thread) -> str | None:
    if not panel_data(thread)["desk_claimed"] or thread.is_deleted or thread.status == "solved":
        return None
    return render_to_string("desk/includes/claim_banner.html", {"thread": thread})


def staff_panel(request, thread) -> str | None:
    if not rules.may_work_desk(request.user):
        return None
    claim = _claim(thread)
    context = {
        "thread": thread,
        "claim": claim,
        # A member of the holding team may take it to themselves, release or hand it on.
        "in_team": bool(claim and claim.team_id and claim.team.members.filter(pk=request.user.pk).exists()),
        "notes": list(Note.objects.filter(thread=thread).select_related("author")),
        # Its own ids: the answer box on the same page is the forum's "id_body".
        "note_form": NoteForm(auto_id="note_%s"),
        "hand_form": HandOverForm(),
        "reach": None,
        "saved_replies": None,
    }
    if _answerable(thread):
        filled = replies.expand_for_thread(SavedReply.objects.visible_to(request.user), thread)
        context["saved_replies"] = {
            "mine": [(r, x) for r, x in filled if r.owner_id == request.user.pk],
            "team": [(r, x) for r, x in filled if r.owner_id != request.user.pk],
        }
    if cluster := panel_data(thread).get("duplicates_cluster"):
        context["reach"] = {"people": cluster[0]["people"], "threads": cluster[0]["threads"]}
    return render_to_string("desk/includes/staff_panel.html", context, request=request)


def _answerable(thread) -> bool:
    return not thread.is_locked and not thread.is_deleted


def answer_prefill(request, thread) -> str | None:
    """forum.hooks' answer prefill: `?reply=<id>`, the saved reply filled in for this thread
    (the no-JavaScript way to insert one). Staff only, asked before anything is read: for
    anyone else the parameter means nothing and the answer box stays empty."""
    raw = request.GET.get("reply", "")
    if not (raw.isascii() and raw.isdigit() and len(raw) < 19) or not rules.may_work_desk(request.user):
        return None
    if not _answerable(thread):
        return None
    reply = SavedReply.objects.visible_to(request.user).filter(pk=int(raw)).first()
    if reply is None:
        messages.warning(request, "That saved reply is not there any more.")
        return None
    [(_, filled)] = replies.expand_for_thread([reply], thread)
    messages.info(request, f"“{reply.title}” is in the answer box below: read it over before you post.")
    for left in filled.left:
        messages.warning(request, left)
    return filled.text
