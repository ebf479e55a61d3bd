"""search names no app of ours: kinds are described by the apps that index them
(search.kinds), and who may see hidden results or the figures is the rule the
settings name (search.viewers)."""

from __future__ import annotations

import pytest

from search import query
from search.kinds import Kind, get_kind, register_kind
from tests.search.conftest import put

pytestmark = pytest.mark.django_db


def everyone(user) -> bool:
    return True


def nobody(user) -> bool:
    return False


@pytest.fixture
def gadget_kind():
    """A kind no app of ours has: search shows whatever it is told."""
    from search import kinds

    saved = dict(kinds._kinds)
    register_kind(
        "gadget",
        label="Gadget",
        plural="Gadgets",
        browse_url="/gadgets/",
        browse_name="all gadgets",
        highlight=True,
        ask_url="/gadgets/new/",
        ask_text="Describe a new gadget",
    )
    yield
    kinds._kinds.clear()
    kinds._kinds.update(saved)


def test_an_unregistered_kind_gets_a_plain_name():
    assert get_kind("help_video") == Kind(name="help_video", label="Help video", plural="Help videos")


def test_the_apps_describe_their_kinds():
    assert get_kind("thread").plural == "Threads" and get_kind("thread").solved_label == "Solved"
    assert get_kind("article").highlight and str(get_kind("article").browse_url) == "/kb/"


def test_results_badges_and_type_filter_use_the_registered_names(client, gadget_kind):
    put("gadget", 1, "Pocket printer with wifi")
    html = client.get("/search/", {"q": "printer"}).content.decode()
    assert '<span class="badge badge-official">Gadget</span>' in html
    assert "<span>Gadgets</span>" in html


def test_landing_and_no_results_link_where_the_kinds_say(client, gadget_kind):
    landing = client.get("/search/").content.decode()
    assert '<a class="btn btn-quiet" href="/gadgets/">Browse all gadgets</a>' in landing
    assert '<a class="btn btn-quiet" href="/kb/">Browse the knowledge base</a>' in landing
    empty = client.get("/search/", {"q": "zzqx nothing"}).content.decode()
    assert 'href="/gadgets/new/?title=zzqx%20nothing">Describe a new gadget</a>' in empty
    assert 'href="/questions/ask/?title=zzqx%20nothing"' in empty


def test_hidden_results_follow_the_rule_the_settings_name(settings, alice, bob):
    put("thread", 1, "Printer roadmap leak", is_public=False)
    assert query("roadmap", user=bob).total == 1  # accounts.rules.may_see_hidden: the team
    assert query("roadmap", user=alice).total == 0
    assert query("roadmap", user=None).total == 0
    settings.SEARCH_MAY_SEE_HIDDEN = "tests.search.test_kinds_and_viewers.everyone"
    assert query("roadmap", user=alice).total == 1
    settings.SEARCH_MAY_SEE_HIDDEN = "tests.search.test_kinds_and_viewers.nobody"
    assert query("roadmap", user=bob).total == 0


def test_the_figures_follow_the_rule_the_settings_name(settings, alice_client, bob_client):
    assert bob_client.get("/search/deflection/").status_code == 200
    assert alice_client.get("/search/deflection/").status_code == 403
    settings.SEARCH_MAY_SEE_FIGURES = "tests.search.test_kinds_and_viewers.nobody"
    assert bob_client.get("/search/deflection/").status_code == 403
