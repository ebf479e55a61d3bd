"""Every staff and moderator action that already existed writes its audit entry, in its
own transaction: locks, deletes and restores, official answers, accepting for the asker,
merges, duplicate-link decisions, the knowledge base's publish/archive/restore/promote/
link, and role changes. A customer doing what customers may do writes nothing."""

from __future__ import annotations

import pytest

from accounts.actions import set_role
from accounts.models import User
from audit.models import AuditEntry
from duplicates import clusters, merge
from duplicates.models import DuplicateLink
from forum import actions
from kb import actions as kb_actions


def _actions(**filters) -> list[str]:
    return list(AuditEntry.objects.filter(**filters).order_by("pk").values_list("action", flat=True))


def test_lock_unlock_delete_restore_of_a_thread(thread, bob, carol):
    actions.lock_thread(thread, bob)
    actions.lock_thread(thread, bob)  # no change: no entry
    actions.unlock_thread(thread, bob)
    actions.delete_thread(thread, carol, reason="Spam")
    actions.restore_thread(thread, carol)
    assert _actions() == ["thread.lock", "thread.unlock", "thread.delete", "thread.restore"]
    entry = AuditEntry.objects.get(action="thread.delete")
    assert (entry.actor, entry.actor_role, entry.target_kind, entry.target_id) == (
        carol,
        "moderator",
        "thread",
        thread.pk,
    )
    assert (entry.target_label, entry.target_url, entry.reason) == (
        thread.title,
        thread.get_absolute_url(),
        "Spam",
    )


def test_delete_restore_official_and_accept_of_an_answer(thread, answer, alice, bob, carol):
    actions.mark_official(answer, bob)
    actions.unmark_official(answer, bob)
    actions.delete_post(answer, carol)
    actions.restore_post(answer, carol)
    actions.accept_solution(thread, answer, bob)  # staff, for the asker
    actions.unaccept_solution(thread, bob)
    assert _actions() == [
        "post.official",
        "post.unofficial",
        "post.delete",
        "post.restore",
        "post.accept",
        "post.unaccept",
    ]
    entry = AuditEntry.objects.get(action="post.accept")
    assert (entry.target_kind, entry.target_id, entry.details) == (
        "post",
        answer.pk,
        {"thread_id": thread.pk},
    )
    assert entry.target_url == f"{thread.get_absolute_url()}#post-{answer.pk}"


def test_the_asker_accepting_is_not_a_team_action(thread, answer, alice):
    actions.accept_solution(thread, answer, alice)
    actions.unaccept_solution(thread, alice)
    assert _actions() == []


def test_duplicate_link_decisions_and_merge(alice, dave, bob, category):
    a = actions.create_thread(
        alice, "Sync stops after the update", "It happens every morning here.", category
    )
    b = actions.create_thread(
        dave, "Notes no longer sync since updating", "It happens every morning too.", category
    )
    c = actions.create_thread(
        dave, "Widgets are blank on Android", "They show nothing at all since 4.2.", category
    )
    link = DuplicateLink.objects.create(low_id=a.pk, high_id=b.pk, score=5.0, method="scorer-v1")
    clusters.confirm_link(link.pk, bob)
    other = DuplicateLink.objects.create(low_id=a.pk, high_id=c.pk, score=5.0, method="scorer-v1")
    clusters.reject_link(other.pk, bob)
    clusters.link_manually(b, c, bob)
    clusters.unconfirm_link(clusters.link_manually(b, c, bob).pk, bob)
    merge.merge_into_main(b, bob)
    assert _actions() == ["link.confirm", "link.reject", "link.manual", "link.unconfirm", "thread.merge"]
    entry = AuditEntry.objects.get(action="thread.merge")
    assert (entry.target_id, entry.details["into_id"]) == (b.pk, a.pk)


def test_an_asker_deciding_a_suggestion_is_not_logged(alice, dave, category):
    a = actions.create_thread(
        alice, "Sync stops after the update", "It happens every morning here.", category
    )
    b = actions.create_thread(
        dave, "Notes no longer sync since updating", "It happens every morning too.", category
    )
    link = DuplicateLink.objects.create(low_id=a.pk, high_id=b.pk, score=5.0, method="scorer-v1")
    clusters.confirm_link(link.pk, alice)
    assert _actions() == []


def test_knowledge_base_actions(thread, bob, category, dave):
    answer = actions.add_answer(thread, bob, "Known issue in 4.2: skip the stalled upload in settings.")
    article = kb_actions.promote(answer, bob)
    kb_actions.publish(article, bob)
    kb_actions.save_article(
        article, bob, title="Sync stalls after 4.2", summary="What to do.", body="Skip the stalled upload, then sync.",
        category=category, tags=["sync"],
    )  # fmt: skip
    kb_actions.restore_revision(article, 1, bob)
    other = actions.create_thread(
        dave, "Upload stuck at 99 percent", "The upload never finishes here.", category
    )
    kb_actions.link_thread(article, other, bob)
    kb_actions.archive(article, bob)
    assert _actions() == [
        "article.promote",
        "article.publish",
        "article.restore_revision",
        "article.link",
        "article.archive",
    ]
    entry = AuditEntry.objects.get(action="article.restore_revision")
    assert (entry.target_kind, entry.target_id, entry.details) == ("article", article.pk, {"number": 1})


def test_role_changes_are_logged_by_whoever_made_them(alice, db):
    root = User.objects.create_superuser("root@example.com", "pw", display_name="Root")
    AuditEntry.objects.all().delete()
    set_role(alice, User.Role.MODERATOR, by=root)
    set_role(alice, User.Role.MODERATOR, by=root)  # no change
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.target_kind, entry.target_id) == (
        "user.role",
        root,
        "user",
        alice.pk,
    )
    assert entry.details == {"old": "customer", "new": "moderator"}


def test_a_rolled_back_action_leaves_no_entry(thread, carol, monkeypatch):
    from forum.actions import threads

    def boom(_thread_id):
        raise RuntimeError("index down")

    monkeypatch.setattr(threads.indexing, "index_thread", boom)
    with pytest.raises(RuntimeError):
        actions.delete_thread(thread, carol, reason="x")
    assert _actions() == []
