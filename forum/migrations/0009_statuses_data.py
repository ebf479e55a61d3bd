"""Statuses that tell the truth (issue 12, item 3; docs/forum.md, "Statuses").

Before: open / answered / solved, where any visible official answer made a question
"solved" without its asker. After: open / waiting for staff / answered by staff / solved.
Each row is mapped from its facts:

- solved by an accepted answer, or through a linked question: stays "solved";
- "solved" only because an answer is official (the asker accepted nothing): becomes
  "answered by staff", and its asker is asked "Did this fix it?" from now
  (`fix_asked_at` = the migration's time, so the auto-solve window starts now: the asker
  was never asked before, and an old official answer must not be solved at once);
- otherwise: "waiting for staff" when a wait is under way (`waiting_since`, unchanged),
  else "answered by staff" with a visible official answer or an answer by the team,
  else "open".

Threads that keep "solved" and have an official answer get `fix_asked_at` = that
answer's `official_at` (nothing is asked while solved; it matters if the solution is
taken back). The search index entries of threads get the new status words too.
"""

from django.db import migrations
from django.db.models import Max, Q
from django.utils import timezone

TEAM_ROLES = ("staff", "moderator")  # accounts.models.TEAM_ROLES, frozen here


def forward(apps, schema_editor):
    Thread = apps.get_model("forum", "Thread")
    Post = apps.get_model("forum", "Post")
    SearchEntry = apps.get_model("search", "SearchEntry")
    labels = {
        "open": "Open",
        "waiting": "Waiting for staff",
        "staff_answered": "Answered by staff",
        "solved": "Solved",
    }
    now = timezone.now()
    visible = Post.objects.filter(is_deleted=False)
    official_at = dict(
        visible.filter(is_official=True).values("thread_id").annotate(at=Max("official_at")).values_list("thread_id", "at")
    )
    staff_answered = set(
        visible.filter(Q(is_official=True) | Q(author__role__in=TEAM_ROLES)).values_list("thread_id", flat=True)
    )
    rows = Thread.objects.values_list("pk", "status", "accepted_post_id", "linked_fix", "waiting_since")
    for pk, old, accepted, linked_fix, waiting_since in rows.iterator(chunk_size=2000):
        fields = {}
        if accepted or linked_fix in ("pending", "confirmed"):
            status = "solved"
            if pk in official_at:
                fields["fix_asked_at"] = official_at[pk]
        elif old == "solved" and pk in official_at:
            status = "staff_answered"
            fields["fix_asked_at"] = now
        elif waiting_since is not None:
            status = "waiting"
        elif pk in staff_answered:
            status = "staff_answered"
            if pk in official_at:
                fields["fix_asked_at"] = now
        else:
            status = "open"
        if status != old or fields:
            Thread.objects.filter(pk=pk).update(status=status, **fields)
        SearchEntry.objects.filter(kind="thread", object_id=pk).update(status=status, status_label=labels[status])


def backward(apps, schema_editor):
    """The old rule: solved with an accepted answer, a linked fix or any visible official
    answer; answered with an answer; open otherwise."""
    Thread = apps.get_model("forum", "Thread")
    Post = apps.get_model("forum", "Post")
    official = set(Post.objects.filter(is_deleted=False, is_official=True).values_list("thread_id", flat=True))
    for thread in Thread.objects.only("pk", "accepted_post_id", "linked_fix", "answer_count").iterator():
        if thread.accepted_post_id or thread.linked_fix in ("pending", "confirmed") or thread.pk in official:
            status = "solved"
        elif thread.answer_count:
            status = "answered"
        else:
            status = "open"
        Thread.objects.filter(pk=thread.pk).update(status=status)


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0008_statuses_told_once"),
        ("search", "0004_hit_status"),
        ("accounts", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward)]
