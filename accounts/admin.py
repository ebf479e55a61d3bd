"""People in the admin. A role is changed only by the "Make …" actions, which call
accounts.actions.set_role (role and admin access together) and are offered to those
accounts.rules.may_change_roles allows (superusers). A staff member or moderator's
admin permissions come with the role (accounts.backends): "Groups" below is for
anything more one person should have."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts import actions, rules
from accounts.admin_tools import run_action
from accounts.models import User


def _make(role: str):
    def make(modeladmin, request, queryset):
        def set_role(user, by):
            if user.role == role:
                return False
            actions.set_role(user, role, by=by)
            return True

        run_action(request, queryset, set_role, f"{{n}} person(s) made {role.label.lower()}.", (ValueError,))

    make.__name__ = f"make_{role.value}"
    return admin.action(description=f"Make {role.label.lower()}", permissions=["change_role"])(make)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["id"]
    list_display = ["email", "display_name", "role", "is_staff", "is_active", "date_joined"]
    list_filter = ["role", "is_active", "is_staff"]
    search_fields = ["email", "display_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Public profile", {"fields": ["display_name"]}),
        ("Role", {"fields": ["role", "is_staff", "is_active", "is_superuser", "groups"]}),
        ("Moderation", {"fields": ["suspended_until", "suspension_reason"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "display_name", "role", "password1", "password2"]}),
    ]
    actions = [_make(r) for r in User.Role]

    def get_readonly_fields(self, request, obj=None):
        # The role and the admin access it brings change together, by the actions above.
        # A suspension is set by a moderator's action, with a reason, an email and an audit
        # entry (moderation.actions): never typed in here.
        owned = ["role", "is_staff", "last_login", "date_joined", "suspended_until", "suspension_reason"]
        return owned if obj else []

    def has_change_role_permission(self, request) -> bool:
        return rules.may_change_roles(request.user)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:  # the add form names a role: give the admin access that goes with it
            actions.set_role(obj, obj.role, by=request.user)
