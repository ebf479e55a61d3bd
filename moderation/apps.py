from django.apps import AppConfig
from django.conf import settings


class ModerationConfig(AppConfig):
    """Reports, the moderators' queue, their actions on posts and people, the audit log page.

    Sits on top of forum, duplicates and kb (it reads their rows and calls their actions);
    nothing below imports it. It plugs into the thread page through forum.hooks (a
    "Report" tool beside the question, each answer and each comment), runs its emails
    through the outbox, and tells accounts.privacy what it holds about a person.
    """

    name = "moderation"

    def ready(self) -> None:
        from accounts import privacy
        from audit.actions import describe
        from forum import hooks
        from jobs import outbox
        from moderation import actions, notifications, panels
        from moderation import privacy as moderation_privacy

        describe(actions.AUDIT_ACTIONS)
        outbox.register(
            notifications.NOTICE_JOB,
            notifications.handle_notice,
            time_limit=settings.JOBS_EMAIL_TIME_LIMIT,
            queue=outbox.MAIL_QUEUE,
        )
        hooks.register_answer_tools(panels.answer_tools)
        hooks.register_comment_tools(panels.comment_tools)
        hooks.register_thread_panel("question_tools", panels.question_tools)
        for label, export in moderation_privacy.EXPORTS.items():
            privacy.register_export(label, export)
        privacy.register_erase(moderation_privacy.erase)
