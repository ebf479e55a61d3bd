"""The forum in the admin: the team reaches it, every field is read-only, and lock or
delete run the actions (so the search index and counters follow)."""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client

from accounts.actions import set_role
from forum import actions
from forum.models import Thread
from search.models import SearchEntry

THREADS = "/admin/forum/thread/"
POSTS = "/admin/forum/post/"

pytestmark = pytest.mark.usefixtures("role_groups")


def admin_client(user) -> Client:
    set_role(user, user.role)  # the admin access that goes with the role
    client = Client()
    client.force_login(user)
    return client


def run(client, url, action, *rows):
    return client.post(url, {"action": action, ACTION_CHECKBOX_NAME: [r.pk for r in rows]})


@pytest.fixture
def bob_admin(bob):
    return admin_client(bob)


@pytest.fixture
def carol_admin(carol):
    return admin_client(carol)


def test_staff_opens_the_threads_and_locks_one_through_the_action(bob_admin, bob, thread):
    page = bob_admin.get(THREADS)
    assert page.status_code == 200 and thread.title in page.content.decode()
    response = run(bob_admin, THREADS, "lock", thread)
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.is_locked and thread.locked_by == bob and thread.locked_at is not None
    run(bob_admin, THREADS, "unlock", thread)
    thread.refresh_from_db()
    assert not thread.is_locked and thread.locked_by is None


def test_a_customer_cannot_reach_the_admin_or_lock(alice, thread):
    client = Client()
    client.force_login(alice)
    assert client.get(THREADS).status_code == 302  # to the admin's sign-in
    assert client.get("/admin/").status_code == 302
    run(client, THREADS, "lock", thread)
    thread.refresh_from_db()
    assert not thread.is_locked


def test_nobody_edits_a_threads_text_status_or_counters_in_the_admin(bob_admin, thread):
    form = bob_admin.get(f"{THREADS}{thread.pk}/change/").content.decode()
    assert 'name="body_md"' not in form and 'name="status"' not in form and 'name="is_deleted"' not in form
    response = bob_admin.post(
        f"{THREADS}{thread.pk}/change/",
        {"body_md": "call me at 555-0100", "is_deleted": "on", "answer_count": 9},
    )
    assert response.status_code == 403
    thread.refresh_from_db()
    assert "555" not in thread.body_md and not thread.is_deleted and thread.answer_count == 0


def test_even_a_superuser_gets_read_only_fields_and_no_add_or_hard_delete(thread, db):
    from accounts.models import User

    root = User.objects.create_superuser(email="root@example.com", password="x", display_name="Root")
    client = Client()
    client.force_login(root)
    form = client.get(f"{THREADS}{thread.pk}/change/").content.decode()
    assert 'name="body_md"' not in form and 'name="accepted_post"' not in form
    client.post(f"{THREADS}{thread.pk}/change/", {"title": "Changed", "body_md": "Changed"})
    thread.refresh_from_db()
    assert thread.title == "Notes stop syncing after the update"
    assert client.get(f"{THREADS}add/").status_code == 403
    assert client.get(f"{THREADS}{thread.pk}/delete/").status_code == 403


def test_a_moderator_deletes_and_restores_a_thread_and_search_follows(carol_admin, thread):
    run(carol_admin, THREADS, "delete", thread)
    thread.refresh_from_db()
    assert thread.is_deleted
    assert not SearchEntry.objects.get(kind="thread", object_id=thread.pk).is_public
    run(carol_admin, THREADS, "restore", thread)
    assert SearchEntry.objects.get(kind="thread", object_id=thread.pk).is_public


def test_a_moderator_deletes_an_answer_and_the_counter_follows(carol_admin, thread, answer):
    run(carol_admin, POSTS, "delete", answer)
    thread.refresh_from_db()
    assert thread.answer_count == 0 and thread.status == Thread.Status.WAITING


def test_staff_are_not_offered_delete_and_cannot_run_it(bob_admin, thread):
    page = bob_admin.get(THREADS).content.decode()
    assert 'value="lock"' in page and 'value="delete"' not in page
    run(bob_admin, THREADS, "delete", thread)
    thread.refresh_from_db()
    assert not thread.is_deleted


def test_running_an_action_again_changes_nothing_and_says_so(carol_admin, carol, thread):
    actions.delete_thread(thread, carol)
    response = run(carol_admin, THREADS, "delete", thread)
    assert [str(m) for m in response.wsgi_request._messages] == ["Deleted 0 thread(s)."]


def test_a_refusal_is_reported_per_row(rf, carol, thread):
    from django.contrib.messages.storage.fallback import FallbackStorage

    from accounts.admin_tools import run_action
    from forum.errors import InvalidAction

    def refuse(row, by):
        raise InvalidAction("This thread was merged; it cannot come back.")

    request = rf.post(THREADS)
    request.session = {}
    request._messages = FallbackStorage(request)
    request.user = carol
    run_action(request, Thread.objects.all(), refuse, "Restored {n} thread(s).", (InvalidAction,))
    assert [str(m) for m in request._messages] == [
        f"{thread.title}: This thread was merged; it cannot come back.",
        "Restored 0 thread(s).",
    ]
