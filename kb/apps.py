from django.apps import AppConfig


class KbConfig(AppConfig):
    name = "kb"

    def ready(self) -> None:
        from forum import outbox
        from forum.hooks import register_answer_tools, register_thread_panel
        from kb import indexing, panels
        from kb.notifications import handle_published
        from search import index as search_index
        from search.query import register_kind_label

        outbox.register("kb_published", handle_published)
        search_index.register_source(indexing.KIND, indexing.iter_documents, indexing.count)
        register_kind_label(indexing.KIND, "Articles")
        register_answer_tools(panels.promote_tools)
        register_thread_panel("after_question", panels.thread_banner)
