from django.apps import AppConfig
from django.conf import settings


class KbConfig(AppConfig):
    name = "kb"

    def ready(self) -> None:
        from django.urls import reverse_lazy

        from accounts import privacy
        from audit.actions import describe
        from duplicates.clusters import register_clusters_changed
        from forum.hooks import register_answer_tools, register_panel_data, register_thread_panel
        from jobs import outbox
        from kb import health, indexing, panels
        from kb import privacy as kb_privacy
        from kb.actions import AUDIT_ACTIONS, PUBLISHED_JOB
        from kb.notifications import handle_published, register_email_kinds
        from search import index as search_index
        from search.kinds import register_kind

        describe(AUDIT_ACTIONS)
        outbox.register(
            PUBLISHED_JOB,
            handle_published,
            time_limit=settings.JOBS_EMAIL_TIME_LIMIT,
            queue=outbox.MAIL_QUEUE,
        )
        register_email_kinds()
        search_index.register_source(indexing.KIND, indexing.iter_documents, indexing.count)
        register_kind(
            indexing.KIND,
            label="Article",
            plural="Articles",
            position=1,
            browse_url=reverse_lazy("kb:home"),
            browse_name="the knowledge base",
            highlight=True,  # solved says nothing more: only published articles are public
        )
        register_answer_tools(panels.promote_tools)
        register_thread_panel("after_question", panels.thread_banner)
        register_panel_data("kb_article", panels.article_data)
        for label, export in kb_privacy.EXPORTS.items():
            privacy.register_export(label, export)
        privacy.register_erase(kb_privacy.erase)
        register_clusters_changed(health.clusters_changed)
