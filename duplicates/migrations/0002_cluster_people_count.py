"""A cluster's people affected, stored for the staff desk's queue (issue 10, item 2).

Filled in for existing clusters with the rule of duplicates.clusters.people_affected
(written again here: a migration must not import app code)."""

from django.db import migrations, models

TEAM_ROLES = ("staff", "moderator")


def backfill(apps, schema_editor):
    Cluster = apps.get_model("duplicates", "Cluster")
    Thread = apps.get_model("forum", "Thread")
    MeToo = apps.get_model("forum", "MeToo")
    Follow = apps.get_model("forum", "Follow")
    for cluster in Cluster.objects.all():
        threads = list(
            Thread.objects.filter(cluster_membership__cluster_id=cluster.pk, is_deleted=False).values_list(
                "pk", "author_id"
            )
        )
        ids = [pk for pk, _ in threads]
        people = (
            {author for _, author in threads}
            | set(MeToo.objects.filter(thread_id__in=ids).values_list("user_id", flat=True))
            | set(
                Follow.objects.filter(thread_id__in=ids)
                .exclude(user__role__in=TEAM_ROLES)
                .values_list("user_id", flat=True)
            )
        )
        Cluster.objects.filter(pk=cluster.pk).update(people_count=len(people))


class Migration(migrations.Migration):
    dependencies = [
        ("duplicates", "0001_move_from_forum"),
        ("forum", "0005_thread_waiting_since"),
    ]

    operations = [
        migrations.AddField(
            model_name="cluster",
            name="people_count",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
