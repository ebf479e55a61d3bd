"""The forum's pages, split by noun. Each view validates input, calls one action,
renders or redirects.

Small interactions (me-too, follow, helpful) answer an htmx request with the
fragment they changed, and a plain form POST with a redirect back to the
thread, so every button works without JavaScript.
"""

from forum.views.asking import ask, preview, tag_suggest
from forum.views.comments import comment, delete_comment, edit_comment
from forum.views.interactions import (
    accept,
    did_it_fix,
    follow,
    helpful,
    linked_fix,
    mark_solved,
    me_too,
    official,
)
from forum.views.lists import category, tagged, thread_list
from forum.views.mine import mine
from forum.views.moderation import (
    delete_post,
    delete_thread,
    edit_post,
    edit_thread,
    lock_thread,
    post_history,
    thread_history,
)
from forum.views.threads import answer, thread_detail
from forum.views.topics import follow_topic, topic_unsubscribe
from forum.views.unsubscribe import unsubscribe

__all__ = [
    "accept",
    "answer",
    "ask",
    "category",
    "comment",
    "delete_comment",
    "delete_post",
    "delete_thread",
    "did_it_fix",
    "edit_comment",
    "edit_post",
    "edit_thread",
    "follow",
    "follow_topic",
    "helpful",
    "linked_fix",
    "lock_thread",
    "mark_solved",
    "me_too",
    "mine",
    "official",
    "post_history",
    "preview",
    "tag_suggest",
    "tagged",
    "thread_detail",
    "thread_history",
    "thread_list",
    "topic_unsubscribe",
    "unsubscribe",
]
