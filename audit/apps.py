from django.apps import AppConfig


class AuditConfig(AppConfig):
    """Who did what, when and why: the audit log of staff and moderator actions.
    Knows no app of ours; every app that acts on behalf of the team records here."""

    name = "audit"
    verbose_name = "Audit log"
