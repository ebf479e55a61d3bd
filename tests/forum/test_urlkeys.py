"""forum.urlkeys.slug_url: the same string as reverse(), the pattern reversed once."""

from __future__ import annotations

import pytest
from django.urls import reverse, set_script_prefix

from forum.urlkeys import KEY, slug_url


@pytest.mark.parametrize(
    ("slug", "object_id"),
    [
        ("notes-stop-syncing", 12),
        ("-", 5),
        ("héllo wörld", 7),  # quoted by reverse(): not the fast way
        (f"a{KEY}b", int(KEY)),  # the placeholder's digits in the slug and as the id
        ("under_score-9", 1),
    ],
)
def test_a_thread_url_is_what_reverse_gives(slug, object_id):
    assert slug_url("forum:thread", slug, object_id) == reverse("forum:thread", args=[object_id, slug])


@pytest.mark.parametrize("slug", ["sync", "two-words", "ü"])
def test_tag_and_category_urls_are_what_reverse_gives(slug):
    assert slug_url("forum:tagged", slug) == reverse("forum:tagged", args=[slug])
    if slug.isascii():
        assert slug_url("forum:category", slug) == reverse("forum:category", args=[slug])


def test_the_script_prefix_is_the_requests():
    set_script_prefix("/help/")
    try:
        assert (
            slug_url("forum:thread", "a-b", 3)
            == "/help/questions/3/a-b/"
            == reverse("forum:thread", args=[3, "a-b"])
        )
    finally:
        set_script_prefix("/")
    assert slug_url("forum:thread", "a-b", 3) == "/questions/3/a-b/"


def test_models_link_through_it(thread, category):
    assert thread.get_absolute_url() == reverse("forum:thread", args=[thread.pk, thread.slug])
    assert category.get_absolute_url() == reverse("forum:category", args=[category.slug])
