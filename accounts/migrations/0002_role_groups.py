"""The groups whose admin permissions each team role brings (accounts.backends.RoleBackend).

Mostly "view": in the admin every field an action owns is read-only, and the writes
that matter are admin actions that call the actions, which ask accounts.rules
(lock/unlock and delete/restore threads and answers, publish/archive articles,
decide duplicate links; role changes are for superusers). The lists are frozen here,
as a migration's data should be; a superuser can change a group in the admin later.
"""

from django.db import migrations

VIEW_STAFF = [
    "accounts.user",
    "forum.category",
    "forum.tag",
    "forum.thread",
    "forum.post",
    "forum.revision",
    "forum.metoo",
    "forum.follow",
    "kb.article",
    "kb.revision",
    "kb.articlesource",
    "kb.articleslug",
    "kb.helpfulvote",
    "duplicates.duplicatelink",
    "duplicates.cluster",
    "duplicates.clustermembership",
    "duplicates.fix",
    "duplicates.threadmerge",
    "jobs.pendingjob",
]
VIEW_MODERATORS = [
    "accounts.user",
    "forum.thread",
    "forum.post",
    "forum.revision",
    "duplicates.duplicatelink",
    "duplicates.cluster",
    "duplicates.clustermembership",
    "duplicates.threadmerge",
]
GROUPS = {"Staff": VIEW_STAFF, "Moderators": VIEW_MODERATORS}


def add_groups(apps) -> None:
    """The groups and their permissions (which must exist); leaves other grants alone.
    `apps`: the migration's historical registry, or django.apps.apps (tests, after a
    flush has emptied the tables and post_migrate has made the permissions again)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, models in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for model in models:
            app_label, model_name = model.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=f"view_{model_name}")
            )


def create_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Django creates permissions after the last migration (post_migrate); these need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    add_groups(apps)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        # The models whose permissions the groups get (names only: no import).
        ("forum", "0003_move_out_jobs_and_duplicates"),
        ("kb", "0001_initial"),
        ("duplicates", "0001_move_from_forum"),
        ("jobs", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
