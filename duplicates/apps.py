from django.apps import AppConfig
from django.conf import settings


class DuplicatesConfig(AppConfig):
    """Links between threads that ask the same thing, clusters, fixes, merge.

    Sits between forum and kb: it reads and writes forum's threads, and subscribes to
    forum's hooks (forum.hooks) instead of forum importing it.
    """

    name = "duplicates"

    def ready(self) -> None:
        from accounts import privacy
        from audit.actions import describe
        from duplicates import clusters, fixes, linking, merge, panels
        from duplicates import privacy as duplicates_privacy
        from forum import hooks
        from jobs import outbox

        outbox.register(
            linking.LINK_JOB,
            linking.handle_link,
            time_limit=settings.DUPLICATE_LINK_TIME_LIMIT,
            queue=outbox.LINKING_QUEUE,
        )
        outbox.register(fixes.FIX_JOB, fixes.handle_fix, time_limit=settings.JOBS_EMAIL_TIME_LIMIT)
        fixes.register_email_kinds()
        describe({**clusters.AUDIT_ACTIONS, **merge.AUDIT_ACTIONS})
        hooks.register_thread_written(linking.enqueue_link)
        hooks.register_fix_published(fixes.record_fix)
        hooks.register_thread_redirect(merge.merged_into)
        hooks.register_restore_check(merge.restore_refusal)
        hooks.register_people_changed(clusters.people_changed)
        hooks.register_thread_panel("after_question", panels.fix_banner)
        hooks.register_thread_panel("sidebar", panels.similar_threads_panel)
        hooks.register_panel_data("duplicates_links", panels.similar_links_data)
        hooks.register_panel_data("duplicates_cluster", panels.cluster_data)
        hooks.register_panel_data("duplicates_fixes", panels.fixes_data)
        for label, export in duplicates_privacy.EXPORTS.items():
            privacy.register_export(label, export)
