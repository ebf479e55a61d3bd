"""Demo duplicates: the linking job really runs over the demo threads, and staff
confirm some of its suggestions.

The forum demo queues a link job per thread, as asking does. `load()` runs those jobs
now, inline, through the outbox (the same handler a worker runs), so the links exist
on the first page a newcomer opens; then Bob (staff) confirms the pairs in CONFIRMED
through duplicates' own action, which makes a cluster. The earlier thread of each pair
already has its fix (official answer, accepted solution, KB article), so the later one
shows the "fixed on a linked question" banner and is solved through it (issue 10,
item 5) — until its asker says "No, still broken" (STILL_BROKEN): then it is back in the
staff queue at its old wait, and the desk's day has its cluster row.
"""

from __future__ import annotations

from accounts.models import User
from duplicates import clusters, linking
from duplicates.models import DuplicateLink
from forum import actions as forum_actions
from forum.models import Thread
from jobs import outbox

# (earlier thread, later thread) that staff confirmed as the same problem. Both are in
# demo/forum.py; the linking job must have suggested the pair (tests/demo checks it).
CONFIRMED = [
    (
        "Notes stop syncing after updating to 4.2 on Windows",
        "Windows laptop stopped uploading notes since the 4.2 update",
    ),
]
# Later threads whose askers answered "Did this fix it for you too?" with "No, still
# broken": skipping the stalled upload did not help Nadia, so staff look again.
STILL_BROKEN = ["Windows laptop stopped uploading notes since the 4.2 update"]


def run_link_jobs(jobs) -> int:
    """Run the waiting link jobs among `jobs` (a PendingJob queryset) inline, oldest
    first; return how many finished."""
    # IDF comes from the threads there are now (a process that linked other data
    # before, e.g. a test run, would otherwise score the demo with stale statistics).
    linking.reset_background_stats()
    waiting = jobs.waiting().filter(kind=linking.LINK_JOB).order_by("pk")
    return sum(outbox.run(pk) for pk in list(waiting.values_list("pk", flat=True)))


def confirm(staff: User, earlier: str, later: str) -> bool:
    """Staff confirm the suggested link between two demo threads; False if the job did
    not suggest it (the demo then shows no cluster for it rather than invent a link)."""
    a = Thread.objects.filter(title=earlier).values_list("pk", flat=True).first()
    b = Thread.objects.filter(title=later).values_list("pk", flat=True).first()
    if a is None or b is None:
        return False
    low, high = sorted([a, b])
    link = DuplicateLink.objects.filter(low_id=low, high_id=high).first()
    if link is None:
        return False
    return clusters.confirm_link(link.pk, staff)


def load(people: dict[str, User], jobs) -> None:
    """Precondition: inside the loader's transaction (demo.load), after demo.forum;
    `jobs` are the outbox rows this load queued."""
    run_link_jobs(jobs)
    for earlier, later in CONFIRMED:
        confirm(people["bob"], earlier, later)
    for thread in Thread.objects.filter(title__in=STILL_BROKEN, linked_fix=Thread.LinkedFix.PENDING):
        forum_actions.answer_linked_fix(thread.author, thread, fixed=False)
