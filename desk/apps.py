from django.apps import AppConfig


class DeskConfig(AppConfig):
    """The staff side: the queue, claims, workload, staff-only notes (docs/desk.md).

    Sits on top of every other app; it reads the forum's waiting fact and the
    duplicates' clusters, and adds thread-page panels through forum.hooks.
    """

    name = "desk"

    def ready(self) -> None:
        from accounts import privacy
        from desk import panels
        from desk import privacy as desk_privacy
        from forum import hooks

        hooks.register_thread_panel("after_question", panels.claim_banner)
        hooks.register_thread_panel("sidebar", panels.staff_panel)
        for label, export in desk_privacy.EXPORTS.items():
            privacy.register_export(label, export)
        privacy.register_deletion_blocker(desk_privacy.open_claims_block_deletion)
