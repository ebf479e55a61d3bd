from django.apps import AppConfig


class ForumConfig(AppConfig):
    name = "forum"

    def ready(self) -> None:
        from accounts.profile import register_stats
        from forum import indexing, outbox
        from forum.notifications import handle_notify
        from forum.stats import profile_stats
        from search import index as search_index

        outbox.register("notify", handle_notify)
        register_stats(profile_stats)
        search_index.register_source(indexing.KIND, indexing.iter_documents)
