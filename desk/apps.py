from django.apps import AppConfig


class DeskConfig(AppConfig):
    """The staff side: the queue, claims, workload, staff-only notes, saved replies (docs/desk.md).

    Sits on top of every other app; it reads the forum's waiting fact and the
    duplicates' clusters, adds thread-page panels and the answer prefill (saved replies)
    through forum.hooks, and listens to forum's "thread written" and "post written"
    events for its emails to staff, and "thread solved" to end the claim on a solved
    question.
    """

    name = "desk"

    def ready(self) -> None:
        from django.conf import settings

        from accounts import notifications as email_settings
        from accounts import privacy, rules
        from desk import actions, notifications, panels
        from desk import privacy as desk_privacy
        from forum import hooks
        from jobs import outbox

        hooks.register_thread_panel("after_question", panels.claim_banner)
        hooks.register_thread_panel("sidebar", panels.staff_panel)
        hooks.register_panel_data("desk_claimed", panels.claimed_data)
        hooks.register_answer_prefill(panels.answer_prefill)
        hooks.register_post_written(notifications.record_reply)
        hooks.register_thread_written(notifications.record_new_thread)
        hooks.register_thread_solved(actions.end_claim_on_solved)
        email_limit = settings.JOBS_EMAIL_TIME_LIMIT
        outbox.register(
            notifications.REPLY_JOB,
            notifications.handle_reply,
            time_limit=email_limit,
            queue=outbox.MAIL_QUEUE,
        )
        outbox.register(
            notifications.REMINDER_JOB,
            notifications.handle_reminders,
            time_limit=email_limit,
            queue=outbox.MAIL_QUEUE,
        )
        outbox.register(
            notifications.NEW_THREAD_JOB,
            notifications.handle_new_thread,
            time_limit=email_limit,
            queue=outbox.MAIL_QUEUE,
        )
        outbox.register(
            notifications.SPIKE_JOB,
            notifications.handle_spike,
            time_limit=email_limit,
            queue=outbox.MAIL_QUEUE,
        )
        for label, export in desk_privacy.EXPORTS.items():
            privacy.register_export(label, export)
        privacy.register_erase(desk_privacy.erase)
        privacy.register_deletion_blocker(desk_privacy.open_claims_block_deletion)
        # The desk's emails to staff keep their own switches, on the team page.
        email_settings.register_elsewhere(
            "Your desk emails (replies, reminders, new questions)", "desk:team", rules.is_team
        )
