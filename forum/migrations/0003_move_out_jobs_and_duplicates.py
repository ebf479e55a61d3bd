# forum gives away two groups of models, keeping every row:
#
# - PendingJob and NotificationSent go to `jobs`. jobs must not depend on any app of
#   ours (not even in its migrations), so its 0001 makes fresh tables and THIS migration
#   (forum may depend on jobs) copies the rows over with their ids — queued Celery
#   messages carry job ids — resets the id sequences, and drops forum's tables.
# - DuplicateLink, Cluster, ClusterMembership, Fix, ThreadMerge and LinkCheckpoint go to
#   `duplicates`, which depends on forum: its 0001 adopts and renames the tables. Here
#   forum only forgets them (state only; no table is touched).
#
# tests/duplicates/test_migrations.py builds a database at the old migrations, fills
# it, and migrates through this on SQLite and PostgreSQL.

from django.core.management.color import no_style
from django.db import migrations

JOB_MODELS = ["pendingjob", "notificationsent"]


def _copy(apps, schema_editor, source_app, target_app):
    connection = schema_editor.connection
    quote = schema_editor.quote_name
    targets = []
    for name in JOB_MODELS:
        source = apps.get_model(source_app, name)
        target = apps.get_model(target_app, name)
        columns = ", ".join(quote(f.column) for f in source._meta.concrete_fields)
        schema_editor.execute(
            f"INSERT INTO {quote(target._meta.db_table)} ({columns}) "
            f"SELECT {columns} FROM {quote(source._meta.db_table)}"
        )
        targets.append(target)
    for sql in connection.ops.sequence_reset_sql(no_style(), targets):
        schema_editor.execute(sql)
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = connection.alias
    for name in JOB_MODELS:
        if not ContentType.objects.using(db).filter(app_label=target_app, model=name).exists():
            ContentType.objects.using(db).filter(app_label=source_app, model=name).update(app_label=target_app)


def copy_to_jobs(apps, schema_editor):
    _copy(apps, schema_editor, "forum", "jobs")


def copy_back_from_jobs(apps, schema_editor):
    _copy(apps, schema_editor, "jobs", "forum")


class Migration(migrations.Migration):

    dependencies = [
        ('forum', '0002_duplicate_links'),
        ('jobs', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.RunPython(copy_to_jobs, copy_back_from_jobs),
        migrations.DeleteModel(name='PendingJob'),
        migrations.DeleteModel(name='NotificationSent'),
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name='ThreadMerge'),
                migrations.DeleteModel(name='Fix'),
                migrations.DeleteModel(name='DuplicateLink'),
                migrations.DeleteModel(name='ClusterMembership'),
                migrations.DeleteModel(name='Cluster'),
                migrations.DeleteModel(name='LinkCheckpoint'),
            ],
        ),
    ]
