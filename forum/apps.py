from django.apps import AppConfig


class ForumConfig(AppConfig):
    name = "forum"

    def ready(self) -> None:
        from accounts.profile import register_stats
        from forum import indexing, outbox
        from forum.duplicates import fixes, linking, panels
        from forum.hooks import register_thread_panel
        from forum.notifications import handle_notify
        from forum.signals import fix_published
        from forum.stats import profile_stats
        from search import index as search_index

        outbox.register("notify", handle_notify)
        outbox.register(linking.KIND, linking.handle_link)
        outbox.register(fixes.KIND, fixes.handle_fix)
        fix_published.connect(fixes.on_fix_published, dispatch_uid="forum.duplicates.fixes")
        register_thread_panel("after_question", panels.fix_banner)
        register_thread_panel("sidebar", panels.similar_threads_panel)
        register_stats(profile_stats)
        search_index.register_source(indexing.KIND, indexing.iter_documents)
