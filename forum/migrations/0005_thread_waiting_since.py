"""Waiting for staff and people affected, stored on the thread (issue 10, items 1 and 10).

Both are recomputed by forum.actions from the rows; this migration fills them in for
existing threads with the same rules (forum/actions/threads.py: waiting_since_from_rows,
people_from_rows), written again here because a migration must not import app code.
"""

from django.conf import settings
from django.db import migrations, models

TEAM_ROLES = ("staff", "moderator")


def backfill(apps, schema_editor):
    Thread = apps.get_model("forum", "Thread")
    Post = apps.get_model("forum", "Post")
    MeToo = apps.get_model("forum", "MeToo")
    Follow = apps.get_model("forum", "Follow")
    for thread in Thread.objects.select_related("author").iterator(chunk_size=2000):
        people = (
            {thread.author_id}
            | set(MeToo.objects.filter(thread_id=thread.pk).values_list("user_id", flat=True))
            | set(
                Follow.objects.filter(thread_id=thread.pk)
                .exclude(user__role__in=TEAM_ROLES)
                .values_list("user_id", flat=True)
            )
        )
        since = None
        if not (thread.is_deleted or thread.is_locked or thread.status == "solved" or thread.author.role in TEAM_ROLES):
            posts = Post.objects.filter(thread_id=thread.pk, is_deleted=False)
            last_team = posts.filter(author__role__in=TEAM_ROLES).aggregate(at=models.Max("created_at"))["at"]
            if last_team is None:
                since = thread.created_at
            else:
                voters = set(MeToo.objects.filter(thread_id=thread.pk).values_list("user_id", flat=True))
                since = (
                    posts.filter(created_at__gt=last_team, author_id__in=voters | {thread.author_id})
                    .aggregate(at=models.Min("created_at"))["at"]
                )
        Thread.objects.filter(pk=thread.pk).update(people_count=len(people), waiting_since=since)


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0004_revision_redaction"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="thread",
            name="people_count",
            field=models.PositiveIntegerField(default=1),
        ),
        migrations.AddField(
            model_name="thread",
            name="waiting_since",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name="thread",
            index=models.Index(
                condition=models.Q(("waiting_since__isnull", False)), fields=["waiting_since"], name="thread_waiting"
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
