from django.apps import AppConfig


class JobsConfig(AppConfig):
    """Background work for the other apps: the outbox and send-once email. Knows no app
    of ours; apps register their job kinds here in their own ready()."""

    name = "jobs"

    def ready(self) -> None:
        # Registers the Celery tasks in every process (web too): jobs.outbox.send finds
        # the run task by name in the app's registry.
        from jobs import tasks  # noqa: F401
