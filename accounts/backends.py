"""A person's role brings the admin permissions of its group.

The data migration accounts/0002 creates the groups "Staff" and "Moderators" with
the admin permissions each role needs (mostly "view": every write that matters is
an admin action that calls an action, and the actions ask accounts.rules). This
backend grants an active team member the permissions of their role's group, so the
role stays the one fact to change (accounts.actions.set_role): no group membership
to keep in step with it, whoever created the account (sign-up, the demo, a test,
createsuperuser). A superuser can still tune what each group may do in the admin,
or give one person more through their own groups.

It authenticates nobody: ModelBackend and allauth do that.
"""

from __future__ import annotations

from django.contrib.auth.models import Permission

from accounts import rules
from accounts.models import User

ROLE_GROUPS = {User.Role.STAFF: "Staff", User.Role.MODERATOR: "Moderators"}
_CACHE = "_role_perm_cache"


class RoleBackend:
    def authenticate(self, request, **credentials):
        return None

    def get_user(self, user_id):
        return None

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        if obj is not None or not rules.is_team(user_obj):
            return set()
        if not hasattr(user_obj, _CACHE):
            rows = Permission.objects.filter(group__name=ROLE_GROUPS[user_obj.role]).values_list(
                "content_type__app_label", "codename"
            )
            setattr(user_obj, _CACHE, {f"{app}.{codename}" for app, codename in rows})
        return getattr(user_obj, _CACHE)

    def get_group_permissions(self, user_obj, obj=None) -> set[str]:
        return self.get_all_permissions(user_obj, obj)

    def has_perm(self, user_obj, perm: str, obj=None) -> bool:
        return perm in self.get_all_permissions(user_obj, obj)

    def has_module_perms(self, user_obj, app_label: str) -> bool:
        return any(p.startswith(f"{app_label}.") for p in self.get_all_permissions(user_obj))
