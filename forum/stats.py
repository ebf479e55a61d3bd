"""Public figures for a person's profile page (registered with accounts.profile)."""

from __future__ import annotations

from django.db.models import Count, Q

from forum.models import Post, Thread


def profile_stats(user) -> list[tuple[str, int]]:
    posts = Post.objects.visible().filter(author=user, thread__is_deleted=False)
    figures = posts.aggregate(
        answers=Count("id"),
        official=Count("id", filter=Q(is_official=True)),
    )
    accepted = Thread.objects.visible().filter(accepted_post__in=posts).count()
    questions = Thread.objects.visible().filter(author=user).count()
    return [
        ("Answers", figures["answers"]),
        ("Accepted solutions", accepted),
        ("Official answers", figures["official"]),
        ("Questions", questions),
    ]
