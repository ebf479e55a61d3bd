"""Roles and the admin: set_role changes the role and the admin access together; the
role brings its group's permissions (accounts.backends); only superusers change roles."""

from __future__ import annotations

import pytest
from django.apps import apps as django_apps
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group
from django.test import Client

from accounts.actions import set_role
from accounts.models import User
from tests.conftest import make_user

USERS = "/admin/accounts/user/"

pytestmark = pytest.mark.usefixtures("role_groups")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def root(db) -> User:
    return User.objects.create_superuser(email="root@example.com", password="x", display_name="Root")


def test_the_migration_makes_the_role_groups_with_view_permissions_only(db):
    import importlib

    from django.db.migrations import RunPython

    migration = importlib.import_module("accounts.migrations.0002_role_groups")
    (operation,) = migration.Migration.operations
    assert isinstance(operation, RunPython) and operation.code is migration.create_groups
    Group.objects.all().delete()
    migration.add_groups(django_apps)  # the function create_groups ends with
    staff = set(Group.objects.get(name="Staff").permissions.values_list("codename", flat=True))
    moderators = set(Group.objects.get(name="Moderators").permissions.values_list("codename", flat=True))
    assert {"view_thread", "view_post", "view_article", "view_duplicatelink"} <= staff
    assert {"view_thread", "view_post"} <= moderators and "view_article" not in moderators
    assert not any(codename.startswith(("change_", "delete_", "add_")) for codename in staff | moderators)


def test_set_role_gives_and_takes_admin_access(alice):
    set_role(alice, User.Role.STAFF)
    alice.refresh_from_db()
    assert alice.role == "staff" and alice.is_staff
    set_role(alice, User.Role.CUSTOMER)
    alice.refresh_from_db()
    assert alice.role == "customer" and not alice.is_staff


def test_a_superuser_keeps_admin_access_whatever_the_role(root):
    set_role(root, User.Role.CUSTOMER)
    root.refresh_from_db()
    assert root.is_staff


def test_set_role_refuses_an_unknown_role(alice):
    with pytest.raises(ValueError, match="unknown role"):
        set_role(alice, "admin")


@pytest.mark.parametrize(("role", "allowed", "refused"), [
    ("staff", ["/admin/forum/thread/", "/admin/kb/article/", "/admin/duplicates/duplicatelink/"], ["/admin/auth/group/"]),
    ("moderator", ["/admin/forum/thread/", "/admin/forum/post/"], ["/admin/kb/article/", "/admin/auth/group/"]),
])  # fmt: skip
def test_the_role_brings_its_groups_admin_pages_and_no_others(db, role, allowed, refused):
    person = make_user(f"{role}@example.com", role.title(), role)
    set_role(person, role)
    client = client_for(person)
    index = client.get("/admin/").content.decode()
    assert "have permission to view or edit anything" not in index
    for url in allowed:
        assert client.get(url).status_code == 200, url
    for url in refused:
        assert client.get(url).status_code == 403, url


def test_an_account_made_without_set_role_still_gets_its_roles_pages(db):
    # e.g. the demo creates its staff with role=staff and is_staff=True directly
    person = User.objects.create_user(email="x@example.com", password="x", role="staff", is_staff=True)
    assert client_for(person).get("/admin/forum/thread/").status_code == 200


def test_a_deactivated_team_member_loses_the_admin(bob):
    set_role(bob, User.Role.STAFF)
    bob.is_active = False
    assert not bob.has_perm("forum.view_thread")
    assert not bob.has_module_perms("forum")


def test_a_customer_with_admin_access_by_mistake_sees_nothing(alice):
    alice.is_staff = True
    alice.save(update_fields=["is_staff"])
    assert client_for(alice).get("/admin/forum/thread/").status_code == 403


def test_a_superuser_changes_a_role_with_the_admin_action(root, alice):
    response = client_for(root).post(USERS, {"action": "make_staff", ACTION_CHECKBOX_NAME: [alice.pk]})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.role == "staff" and alice.is_staff
    assert client_for(alice).get("/admin/forum/thread/").status_code == 200


def test_staff_cannot_change_roles_or_edit_people(bob, alice):
    set_role(bob, User.Role.STAFF)
    client = client_for(bob)
    page = client.get(USERS).content.decode()
    assert 'value="make_staff"' not in page
    client.post(USERS, {"action": "make_staff", ACTION_CHECKBOX_NAME: [alice.pk]})
    alice.refresh_from_db()
    assert alice.role == "customer"
    assert client.post(f"{USERS}{alice.pk}/change/", {"role": "staff"}).status_code == 403


def test_the_role_is_read_only_on_the_person_page_even_for_superusers(root, alice):
    form = client_for(root).get(f"{USERS}{alice.pk}/change/").content.decode()
    assert 'name="role"' not in form and 'name="is_staff"' not in form
    assert 'value="make_moderator"' in client_for(root).get(USERS).content.decode()


def test_adding_a_person_with_a_team_role_gives_them_admin_access(root):
    client_for(root).post(
        f"{USERS}add/",
        {
            "email": "new@example.com",
            "display_name": "New Staff",
            "role": "moderator",
            "password1": "a-long-enough-passphrase-1",
            "password2": "a-long-enough-passphrase-1",
        },
    )
    person = User.objects.get(email="new@example.com")
    assert person.role == "moderator" and person.is_staff


def test_the_admin_link_is_shown_to_the_team_and_not_to_customers(alice, bob):
    set_role(bob, User.Role.STAFF)
    assert 'href="/admin/"' in client_for(bob).get("/").content.decode()
    assert 'href="/admin/"' not in client_for(alice).get("/").content.decode()
