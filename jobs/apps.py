from django.apps import AppConfig


class JobsConfig(AppConfig):
    """Background work for the other apps: the outbox and send-once email. Knows no app
    of ours; apps register their job kinds here in their own ready()."""

    name = "jobs"

    def ready(self) -> None:
        # Registers the Celery tasks in every process (web too): jobs.outbox.send finds
        # the run task by name in the app's registry.
        from django.conf import settings

        from jobs import notices, outbox, tasks  # noqa: F401

        # jobs' own kinds: the coalesced emails (jobs/notices.py).
        outbox.register(
            notices.FLUSH_JOB,
            notices.handle_flush,
            time_limit=settings.JOBS_EMAIL_TIME_LIMIT,
            queue=outbox.MAIL_QUEUE,
        )
        outbox.register(
            notices.DIGEST_JOB,
            notices.handle_digest,
            time_limit=settings.JOBS_EMAIL_TIME_LIMIT,
            queue=outbox.MAIL_QUEUE,
        )
