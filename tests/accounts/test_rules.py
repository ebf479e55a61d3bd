"""accounts.rules: what each role may do, asked by every app. Each rule is checked for
the role that may and for everyone who may not: the visitor, customers, the other
team role, and a deactivated holder of the right role."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts import rules
from accounts.models import User
from tests.conftest import make_user

# rule -> the roles that may
RULES = {
    rules.is_team: {"staff", "moderator"},
    rules.is_staff_member: {"staff"},
    rules.is_moderator: {"moderator"},
    rules.may_see_hidden: {"staff", "moderator"},
    rules.may_edit_any_text: {"staff", "moderator"},
    rules.may_lock: {"staff", "moderator"},
    rules.may_delete: {"moderator"},
    rules.may_mark_official: {"staff"},
    rules.may_mark_solved: {"staff"},
    rules.may_accept_any: {"staff"},
    rules.may_write_articles: {"staff"},
    rules.may_decide_any_link: {"staff", "moderator"},
    rules.may_merge: {"staff", "moderator"},
    rules.may_see_figures: {"staff", "moderator"},
}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.__name__)
def test_each_rule_allows_its_roles_and_refuses_everyone_else(rule, alice, bob, carol):
    people = {"customer": alice, "staff": bob, "moderator": carol}
    for role, person in people.items():
        assert rule(person) is (role in RULES[rule]), f"{rule.__name__}({role})"
    assert rule(AnonymousUser()) is False
    assert rule(None) is False


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.__name__)
def test_a_deactivated_account_loses_every_power(rule, bob, carol):
    for person in (bob, carol):
        person.is_active = False
        assert rule(person) is False


def test_may_post_needs_an_active_account_with_a_verified_email(alice, db, settings):
    settings.ONEFIX_REQUIRE_VERIFIED_EMAIL = True
    unverified = make_user("new@example.com", "New", verified=False)
    assert rules.may_post(alice) is True
    assert rules.may_post(unverified) is False
    assert rules.may_post(AnonymousUser()) is False
    alice.is_active = False
    assert rules.may_post(alice) is False


def test_may_post_asks_the_database_once_per_user_object(alice, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert rules.may_post(alice) and rules.may_post(alice)


def test_only_an_active_superuser_changes_roles(alice, bob, db):
    root = User.objects.create_superuser(email="root@example.com", password="x", display_name="Root")
    assert rules.may_change_roles(root) is True
    assert rules.may_change_roles(bob) is False  # staff, not superuser
    assert rules.may_change_roles(alice) is False
    assert rules.may_change_roles(AnonymousUser()) is False
    root.is_active = False
    assert rules.may_change_roles(root) is False
