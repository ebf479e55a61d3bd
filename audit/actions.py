"""Writing to the audit log. Call `record` inside the transaction of the action it
describes, so the log and the change commit (or roll back) together."""

from __future__ import annotations

from django.urls import NoReverseMatch

from audit.models import AuditEntry

LABEL_MAX = 200


def record(
    actor,
    action: str,
    target=None,
    *,
    kind: str = "",
    target_id: int | None = None,
    label: str = "",
    url: str = "",
    reason: str = "",
    **details,
) -> AuditEntry:
    """Log that `actor` did `action` to `target` (a model instance: its kind, id, label
    and address are read from it) or to what kind/target_id/label/url name. `details`
    must be JSON-serialisable and hold no personal data."""
    if target is not None:
        kind = kind or target._meta.model_name
        target_id = target_id if target_id is not None else target.pk
        label = label or str(target)
        if not url and hasattr(target, "get_absolute_url"):
            try:
                url = target.get_absolute_url()
            except NoReverseMatch:  # a row whose address needs what it no longer has (a deleted slug)
                url = ""
    actor_id = getattr(actor, "pk", None) if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor_id=actor_id,
        actor_role=getattr(actor, "role", "") if actor_id else "",
        action=action,
        target_kind=kind,
        target_id=target_id,
        target_label=label[:LABEL_MAX],
        target_url=url[:300],
        reason=reason,
        details=details,
    )


def relabel(kind: str, target_id: int, label: str, url: str | None = None) -> int:
    """The one change the log allows: when a moderator edits personal data out of a title,
    the entries that repeat that title (and the address made from it) get the new one.
    Who did what, when and why stay as they were. Returns how many entries changed."""
    fields = {"target_label": label[:LABEL_MAX]}
    if url is not None:
        fields["target_url"] = url[:300]
    return AuditEntry.objects.for_target(kind, target_id).update(**fields)


# --- what the actions are called ----------------------------------------------------------
#
# Each app that writes entries names its actions for people reading the log, in its
# AppConfig.ready(): `describe({"thread.lock": "Locked a question", ...})`. The log page
# (moderation) shows these words and offers them as a filter.
_descriptions: dict[str, str] = {}


def describe(actions: dict[str, str]) -> None:
    _descriptions.update(actions)


def described() -> dict[str, str]:
    """Every action name an app registered, with its words, sorted by the words."""
    return dict(sorted(_descriptions.items(), key=lambda item: item[1]))


def description(action: str) -> str:
    return _descriptions.get(action, action)
