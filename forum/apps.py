from django.apps import AppConfig
from django.conf import settings


class ForumConfig(AppConfig):
    name = "forum"

    def ready(self) -> None:
        from accounts import privacy
        from accounts.profile import register_stats
        from forum import indexing
        from forum import privacy as forum_privacy
        from forum.notifications import NOTIFY_JOB, handle_notify
        from forum.stats import profile_stats
        from jobs import outbox
        from search import index as search_index

        outbox.register(NOTIFY_JOB, handle_notify, time_limit=settings.JOBS_EMAIL_TIME_LIMIT)
        register_stats(profile_stats)
        search_index.register_source(indexing.KIND, indexing.iter_documents)
        for label, export in forum_privacy.EXPORTS.items():
            privacy.register_export(label, export)
        privacy.register_erase(forum_privacy.erase)
