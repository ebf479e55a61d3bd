# The duplicate-linking models move from forum to this app WITH their rows: the state
# moves (forum's 0003 forgets them, this creates them over the existing tables), then
# AlterModelTable renames each table forum_* -> duplicates_*. No row is copied, ids and
# constraints stay. On a fresh database forum's 0002 has just created the (empty) tables,
# so the same steps apply. tests/duplicates/test_migrations.py proves it on both engines.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MODELS = ["duplicatelink", "cluster", "clustermembership", "fix", "threadmerge", "linkcheckpoint"]


def move_content_types(apps, schema_editor, old="forum", new="duplicates"):
    """Admin history and permissions point at content types: carry them over."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MODELS:
        if not ContentType.objects.using(db).filter(app_label=new, model=model).exists():
            ContentType.objects.using(db).filter(app_label=old, model=model).update(app_label=new)


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, old="duplicates", new="forum")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('forum', '0002_duplicate_links'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Cluster',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                    ],
                    options={'db_table': 'forum_cluster'},
                ),
                migrations.CreateModel(
                    name='LinkCheckpoint',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=40, unique=True)),
                        ('last_thread_id', models.BigIntegerField(default=0)),
                        ('updated_at', models.DateTimeField(default=django.utils.timezone.now)),
                    ],
                    options={'db_table': 'forum_linkcheckpoint'},
                ),
                migrations.CreateModel(
                    name='ClusterMembership',
                    fields=[
                        ('thread', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='cluster_membership', serialize=False, to='forum.thread')),
                        ('cluster', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='duplicates.cluster')),
                    ],
                    options={'db_table': 'forum_clustermembership'},
                ),
                migrations.CreateModel(
                    name='Fix',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.CharField(max_length=80, unique=True)),
                        ('kind', models.CharField(choices=[('official', 'Official answer'), ('accepted', 'Accepted solution'), ('article', 'Knowledge-base article')], max_length=12)),
                        ('url', models.CharField(max_length=500)),
                        ('title', models.CharField(max_length=300)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('post', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='forum.post')),
                        ('thread', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='fixes', to='forum.thread')),
                    ],
                    options={'ordering': ['created_at', 'id'], 'db_table': 'forum_fix'},
                ),
                migrations.CreateModel(
                    name='ThreadMerge',
                    fields=[
                        ('thread', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='merge', serialize=False, to='forum.thread')),
                        ('merged_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('into', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='merged_from', to='forum.thread')),
                        ('merged_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={'db_table': 'forum_threadmerge'},
                ),
                migrations.CreateModel(
                    name='DuplicateLink',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('score', models.FloatField()),
                        ('method', models.CharField(max_length=20)),
                        ('state', models.CharField(choices=[('suggested', 'Suggested'), ('confirmed', 'Confirmed'), ('rejected', 'Rejected')], default='suggested', max_length=12)),
                        ('decided_at', models.DateTimeField(blank=True, null=True)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('high', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='forum.thread')),
                        ('low', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='forum.thread')),
                    ],
                    options={
                        'db_table': 'forum_duplicatelink',
                        'indexes': [models.Index(fields=['high', 'state'], name='duplicatelink_high_state')],
                        'constraints': [models.CheckConstraint(condition=models.Q(('low__lt', models.F('high'))), name='duplicatelink_low_lt_high'), models.UniqueConstraint(fields=('low', 'high'), name='uniq_duplicatelink_pair')],
                    },
                ),
            ],
        ),
        # Real renames of the existing tables (and their rows) to this app's names.
        migrations.AlterModelTable(name='cluster', table=None),
        migrations.AlterModelTable(name='linkcheckpoint', table=None),
        migrations.AlterModelTable(name='clustermembership', table=None),
        migrations.AlterModelTable(name='fix', table=None),
        migrations.AlterModelTable(name='threadmerge', table=None),
        migrations.AlterModelTable(name='duplicatelink', table=None),
        migrations.RunPython(move_content_types, move_content_types_back, elidable=True),
    ]
