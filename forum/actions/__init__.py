"""Every write the forum makes. Plain functions: no request, usable from views,
tasks, commands and tests. Each raises forum.errors.NotAllowed or InvalidAction
when it refuses, with a message meant for the person who tried."""

from forum.actions.merge import merge_thread
from forum.actions.posts import (
    accept_solution,
    add_answer,
    delete_post,
    edit_post,
    mark_official,
    restore_post,
    unaccept_solution,
    unmark_official,
)
from forum.actions.redaction import redact_post, redact_thread
from forum.actions.threads import (
    answer_linked_fix,
    create_thread,
    delete_thread,
    edit_thread,
    lock_thread,
    mark_solved_through_link,
    normalize_tags,
    people_from_rows,
    record_view,
    refresh_people,
    refresh_status,
    refresh_waiting,
    restore_thread,
    unlock_thread,
    withdraw_solved_through_link,
)
from forum.actions.votes import follow, me_too, undo_me_too, unfollow, unvote_helpful, vote_helpful

__all__ = [
    "accept_solution",
    "add_answer",
    "answer_linked_fix",
    "create_thread",
    "delete_post",
    "delete_thread",
    "edit_post",
    "edit_thread",
    "follow",
    "lock_thread",
    "mark_official",
    "mark_solved_through_link",
    "me_too",
    "merge_thread",
    "normalize_tags",
    "people_from_rows",
    "record_view",
    "redact_post",
    "redact_thread",
    "refresh_people",
    "refresh_status",
    "refresh_waiting",
    "restore_post",
    "restore_thread",
    "unaccept_solution",
    "undo_me_too",
    "unfollow",
    "unlock_thread",
    "unmark_official",
    "unvote_helpful",
    "vote_helpful",
    "withdraw_solved_through_link",
]
