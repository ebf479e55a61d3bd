from django.apps import AppConfig
from django.conf import settings


class ForumConfig(AppConfig):
    name = "forum"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.urls import reverse_lazy

        from accounts import notifications as email_settings
        from accounts import privacy
        from accounts.profile import register_section, register_stats
        from audit.actions import describe
        from forum import indexing, pending, suggestions, topics
        from forum import privacy as forum_privacy
        from forum.actions.auditing import ACTIONS
        from forum.notifications import NOTIFY_JOB, handle_notify, register_email_kinds
        from forum.stats import profile_stats
        from forum.views.mine import profile_lists
        from jobs import notices, outbox
        from search import index as search_index
        from search.kinds import register_kind, register_results_tool

        outbox.register(
            NOTIFY_JOB, handle_notify, time_limit=settings.JOBS_EMAIL_TIME_LIMIT, queue=outbox.MAIL_QUEUE
        )
        register_email_kinds()
        # Following a topic (forum/topics.py): the match records notices, whose flush or
        # digest jobs send the mail, so it runs with the fix fan-out, not on the mail queue.
        outbox.register(topics.MATCH_JOB, topics.handle_match, time_limit=settings.JOBS_EMAIL_TIME_LIMIT)
        topics.register_email_kind()
        notices.register_withdrawn(topics.TOPICS, topics.withdrawn)
        email_settings.register_section(topics.settings_section)
        register_results_tool(topics.search_tool)
        register_stats(profile_stats)
        register_section(profile_lists)
        describe(ACTIONS)
        search_index.register_source(indexing.KIND, indexing.iter_documents)
        for label, export in forum_privacy.EXPORTS.items():
            privacy.register_export(label, export)
        privacy.register_erase(forum_privacy.erase)
        register_kind(
            indexing.KIND,
            label="Thread",
            plural="Threads",
            position=2,
            browse_url=reverse_lazy("forum:list"),
            browse_name="recent questions",
            solved_label="Solved",
            ask_url=reverse_lazy("forum:ask"),  # its ?title= fills in the question's title
            ask_text="Ask the community and our staff",
            open_label="Open question",  # the ask page suggests open questions to join
            review_suggestions=suggestions.review,
            popular=indexing.popular_ids,
        )
        # A me-too pressed while signed out is done once the person signs in.
        user_logged_in.connect(pending.apply_after_sign_in, dispatch_uid="forum.pending_me_too")
