"""Saved replies (issue 10, item 8): a small library of reply texts per member of staff,
private or shared with the team, with placeholders filled in for the thread being
answered, inserted into the answer box from the staff panel (JavaScript) or with
`?reply=<id>` (no JavaScript: the answer box is prefilled on the server)."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from desk import actions, replies
from desk.models import SavedReply
from kb import actions as kb
from tests.conftest import PASSWORD, make_user

REPLIES = "/desk/replies/"
NEW = "/desk/replies/new/"


def edit_url(reply) -> str:
    return f"/desk/replies/{reply.pk}/edit/"


def delete_url(reply) -> str:
    return f"/desk/replies/{reply.pk}/delete/"


@pytest.fixture
def mia(db) -> User:
    return make_user("mia@example.com", "Mia Laurent", User.Role.STAFF)


@pytest.fixture
def mia_client(mia) -> Client:
    client = Client()
    client.force_login(mia)
    return client


@pytest.fixture
def article(bob, category):
    made = kb.create_article(
        bob,
        "Notes stop syncing after the 4.2 update",
        "Skip the stalled upload.",
        "## Skip the stalled upload\n\nChoose **Skip** in Settings, then update to 4.2.1.",
        category,
        ["sync"],
    )
    kb.publish(made, bob)
    made.refresh_from_db()
    return made


@pytest.fixture
def draft(bob, category):
    return kb.create_article(
        bob, "Printing cuts off the last page", "Fit to page.", "Choose *Fit to page*.", category
    )


def form(title="Sync stalls after an update", body="Hi {asker}, choose Skip in Settings → Sync.", **more):
    return {"title": title, "body": body, **more}


# --- create, edit, delete ------------------------------------------------------------------


def test_staff_save_a_private_reply_and_find_it_on_the_page(bob_client, bob):
    response = bob_client.post(NEW, form())
    reply = SavedReply.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{REPLIES}#reply-{reply.pk}"
    assert (reply.owner, reply.title, reply.shared) == (bob, "Sync stalls after an update", False)
    page = bob_client.get(REPLIES).content.decode()
    assert "Saved “Sync stalls after an update” (only you see it)" in page
    assert "Hi {asker}, choose Skip in Settings → Sync." in page
    assert "1 of 100" in page


def test_the_owner_edits_a_reply_and_shares_it(bob_client, bob):
    reply = actions.create_reply(bob, "Sync", "Hi {asker}.")
    assert bob_client.get(edit_url(reply)).status_code == 200
    response = bob_client.post(edit_url(reply), form(title="Sync, again", body="Hello {asker}!", shared="on"))
    assert response.status_code == 302
    reply.refresh_from_db()
    assert (reply.title, reply.body_md, reply.shared) == ("Sync, again", "Hello {asker}!", True)


def test_the_owner_deletes_a_reply(bob_client, bob):
    reply = actions.create_reply(bob, "Sync", "Hi {asker}.")
    assert bob_client.get(delete_url(reply)).status_code == 405
    response = bob_client.post(delete_url(reply))
    assert response.status_code == 302 and response["Location"] == REPLIES
    assert not SavedReply.objects.exists()
    assert "Deleted “Sync”." in bob_client.get(REPLIES).content.decode()


# --- bad input: a clear message, and what was typed stays in the form -------------------------


def test_a_title_that_is_too_long_is_refused_and_the_text_kept(bob_client):
    response = bob_client.post(NEW, form(title="T" * 101, body="My carefully written reply to {asker}."))
    assert response.status_code == 400
    html = response.content.decode()
    assert "A title can have at most 100 characters (this one has 101)." in html
    assert "My carefully written reply to {asker}." in html and "T" * 101 in html
    assert not SavedReply.objects.exists()


def test_a_text_that_is_too_long_is_refused_and_kept(bob_client):
    body = "Long reply. " * 900  # 10,800 characters
    response = bob_client.post(NEW, form(body=body))
    assert response.status_code == 400
    html = response.content.decode()
    assert "A reply can have at most 10,000 characters (this one has 10799)." in html  # stripped
    assert body.strip() in html
    assert not SavedReply.objects.exists()


def test_an_empty_title_or_text_is_refused(bob_client):
    response = bob_client.post(NEW, form(title="", body="Kept text"))
    assert "Give the reply a title, so you can find it in the list." in response.content.decode()
    assert "Kept text" in response.content.decode()
    response = bob_client.post(NEW, form(title="Kept title", body=""))
    assert "Write the text of the reply first." in response.content.decode()
    assert 'value="Kept title"' in response.content.decode()
    assert not SavedReply.objects.exists()


def test_one_person_keeps_at_most_100_replies(bob_client, bob, mia):
    SavedReply.objects.bulk_create(
        SavedReply(owner=bob, title=f"Reply {n}", body_md="Hi.") for n in range(100)
    )
    SavedReply.objects.create(owner=mia, title="Mia's", body_md="Hi.", shared=True)  # others' do not count
    response = bob_client.post(NEW, form(title="One more", body="The hundred and first reply."))
    assert response.status_code == 400
    html = response.content.decode()
    assert "You have 100 saved replies, the most one person can keep." in html
    assert "The hundred and first reply." in html and 'value="One more"' in html
    assert SavedReply.objects.filter(owner=bob).count() == 100
    SavedReply.objects.filter(owner=bob, title="Reply 0").delete()
    assert bob_client.post(NEW, form(title="One more")).status_code == 302


def test_an_unknown_placeholder_is_refused_and_the_text_kept(bob_client):
    response = bob_client.post(NEW, form(body="Hi {name}, thanks for waiting."))
    assert response.status_code == 400
    html = response.content.decode()
    assert "“{name}” is not a placeholder: use {asker} or {article:address}." in html
    assert "Hi {name}, thanks for waiting." in html
    assert not SavedReply.objects.exists()


def test_an_unpublished_article_is_refused(bob_client, draft):
    response = bob_client.post(NEW, form(body=f"See {{article:{draft.slug}}}."))
    assert response.status_code == 400
    assert f"No published article with the address “{draft.slug}”." in response.content.decode()
    response = bob_client.post(NEW, form(body="See {article:no-such-thing}."))
    assert "No published article with the address “no-such-thing”." in response.content.decode()
    assert not SavedReply.objects.exists()


def test_the_action_checks_the_placeholders_too(bob, draft):
    from forum.errors import InvalidAction

    with pytest.raises(InvalidAction, match="No published article with the address"):
        actions.create_reply(bob, "Printing", f"{{article:{draft.slug}}}")


# --- who sees and changes what ---------------------------------------------------------------


def test_a_shared_reply_is_the_team_s_a_private_one_stays_its_owner_s(bob, mia_client):
    private = actions.create_reply(bob, "Bob's own words", "Cheers, Bob")
    shared = actions.create_reply(bob, "Refund policy", "Refunds take 5 days.", shared=True)
    page = mia_client.get(REPLIES)
    html = page.content.decode()
    assert "Refund policy" in html and "By Bob" in html
    assert "Bob's own words" not in html and "Cheers, Bob" not in html
    assert [r.pk for r in page.context["team"]] == [shared.pk] and page.context["mine"] == []
    # A colleague may use a shared reply but not change it; a private one is not there at all.
    assert mia_client.get(edit_url(shared)).status_code == 403
    assert mia_client.post(delete_url(shared)).status_code == 403
    assert mia_client.get(edit_url(private)).status_code == 404
    assert mia_client.post(delete_url(private)).status_code == 404
    assert mia_client.post(edit_url(private), form()).status_code == 404
    assert SavedReply.objects.count() == 2
    assert SavedReply.objects.get(pk=private.pk).title == "Bob's own words"


def test_a_team_lead_edits_and_deletes_shared_replies_but_never_sees_private_ones(bob, mia, mia_client):
    mia.is_superuser = True  # whoever runs the support team (rules.may_manage_team_replies)
    mia.save(update_fields=["is_superuser"])
    private = actions.create_reply(bob, "Bob's own words", "Cheers, Bob")
    shared = actions.create_reply(bob, "Refund policy", "Refunds take 5 days.", shared=True)
    assert mia_client.get(edit_url(private)).status_code == 404
    assert (
        mia_client.post(edit_url(shared), form(title="Refunds", body="7 days.", shared="on")).status_code
        == 302
    )
    shared.refresh_from_db()
    assert (shared.title, shared.owner) == ("Refunds", bob)
    assert mia_client.post(delete_url(shared)).status_code == 302
    assert list(SavedReply.objects.all()) == [private]


@pytest.mark.parametrize("who", ["client", "alice_client", "carol_client"])
def test_everyone_but_staff_gets_404_on_every_replies_url(request, who, bob):
    reply = actions.create_reply(bob, "Refund policy", "Refunds take 5 days.", shared=True)
    viewer = request.getfixturevalue(who)
    for method, url, data in [
        ("get", REPLIES, {}),
        ("post", NEW, form()),
        ("get", edit_url(reply), {}),
        ("post", edit_url(reply), form(title="Hijacked")),
        ("post", delete_url(reply), {}),
    ]:
        assert getattr(viewer, method)(url, data).status_code == 404, (who, method, url)
    reply.refresh_from_db()
    assert reply.title == "Refund policy" and SavedReply.objects.count() == 1


# --- placeholders ------------------------------------------------------------------------------


def test_placeholders_are_filled_in_for_the_thread(settings, article, category):
    settings.SITE_URL = "https://help.example.com"
    asker = make_user("zoe@example.com", "Zoë *Star*")
    from forum import actions as forum

    thread = forum.create_thread(asker, "Sync stops on my phone", "Nothing syncs since 4.2.", category)
    reply = SavedReply(title="Sync", body_md=f"Hi {{asker}},\n\nsee {{article:{article.slug}}}.")
    [(_, filled)] = replies.expand_for_thread([reply], thread)
    assert filled.text == (
        "Hi Zoë \\*Star\\*,\n\n"
        f"see [Notes stop syncing after the 4.2 update](https://help.example.com/kb/{article.slug}/)."
    )
    assert filled.left == []


def test_an_article_title_cannot_break_the_link(settings):
    link = replies.ArticleLink("Fix [beta] sync", "https://help.example.com/kb/fix/")
    assert link.markdown == "[Fix \\[beta\\] sync](https://help.example.com/kb/fix/)"


def test_a_pasted_address_and_an_old_one_work(bob, article, category):
    kb.save_article(
        article, bob, title=article.title, summary=article.summary, body=article.body_md,
        category=category, tags=["sync"], slug="sync-fix-4-2",
    )  # fmt: skip
    old = "notes-stop-syncing-after-the-42-update"
    assert replies.problems(f"{{article:{old}}} {{article:https://x.example/kb/sync-fix-4-2/}}") == []
    filled = replies.expand(f"{{article:{old}}}", asker="A", articles=replies.published_articles([old]))
    assert filled.text.endswith("/kb/sync-fix-4-2/)")


def test_an_article_archived_after_saving_is_left_as_is_and_the_page_says_so(
    bob, bob_client, article, thread
):
    reply = actions.create_reply(bob, "Sync fix", f"Hi {{asker}}, see {{article:{article.slug}}}.")
    kb.archive(article, bob)
    [(_, filled)] = replies.expand_for_thread([reply], thread)
    assert filled.text == f"Hi Alice, see {{article:{article.slug}}}."
    assert filled.left == [
        f"No published article with the address “{article.slug}”. It is left in the text as it is."
    ]
    html = bob_client.get(REPLIES).content.decode()
    assert f"No published article with the address “{article.slug}”." in html


def test_the_replies_page_documents_the_placeholders(bob_client):
    html = bob_client.get(REPLIES).content.decode()
    assert "<code>{asker}</code>" in html and "<code>{article:address}</code>" in html


# --- on the thread page ------------------------------------------------------------------------


def test_the_staff_panel_offers_replies_filled_in_and_escaped(bob, mia, bob_client, thread, article):
    actions.create_reply(
        bob, "Sync fix", f'Hi {{asker}} <script>alert("x")</script> {{article:{article.slug}}}'
    )
    actions.create_reply(mia, "Mia's refund text", "Refunds take 5 days.", shared=True)
    actions.create_reply(mia, "Mia's private", "Only Mia.")
    html = bob_client.get(thread.get_absolute_url()).content.decode()
    assert '<optgroup label="Yours"><option value="' in html
    assert "Hi Alice &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; [Notes stop syncing" in html
    assert '<script>alert("x")' not in html
    assert "Mia&#x27;s refund text" in html and "Only Mia." not in html
    assert "js/desk.js" in html
    assert f'action="{thread.get_absolute_url()}#answer"' in html


def test_customers_and_visitors_never_see_saved_replies(bob, alice_client, client, thread):
    actions.create_reply(bob, "Refund policy", "Refunds take 5 days.", shared=True)
    for viewer in (alice_client, client):
        html = viewer.get(thread.get_absolute_url()).content.decode()
        assert "Refund policy" not in html and "Refunds take 5 days." not in html
        assert "desk.js" not in html and "saved-reply" not in html


def test_reply_in_the_address_prefills_the_answer_box_for_staff(bob, bob_client, thread):
    reply = actions.create_reply(bob, "Sync", "Hi {asker}, choose **Skip** in Settings.")
    response = bob_client.get(f"{thread.get_absolute_url()}?reply={reply.pk}")
    assert response.status_code == 200
    assert response.context["answer_form"].initial == {"body": "Hi Alice, choose **Skip** in Settings."}
    html = response.content.decode()
    assert "Hi Alice, choose **Skip** in Settings.</textarea>" in html
    assert "“Sync” is in the answer box below" in html


def test_a_customer_passing_reply_sees_an_empty_box(
    bob, alice_client, client, thread, django_assert_num_queries
):
    reply = actions.create_reply(bob, "Refund policy", "Refunds take 5 days.", shared=True)
    for viewer in (alice_client, client):
        response = viewer.get(f"{thread.get_absolute_url()}?reply={reply.pk}")
        assert response.status_code == 200
        assert response.context["answer_form"].initial == {}
        html = response.content.decode()
        assert "Refunds take 5 days." not in html and "Refund policy" not in html
    # Not one query more than without the parameter: nothing about saved replies is read.
    url = thread.get_absolute_url()
    assert _queries(alice_client, url + f"?reply={reply.pk}") == _queries(alice_client, url)


def test_a_colleague_s_private_reply_is_not_prefilled(bob, mia_client, thread):
    reply = actions.create_reply(bob, "Bob's own", "Cheers, Bob")
    response = mia_client.get(f"{thread.get_absolute_url()}?reply={reply.pk}")
    assert response.context["answer_form"].initial == {}
    assert "Cheers, Bob" not in response.content.decode()
    assert "That saved reply is not there any more." in response.content.decode()


@pytest.mark.parametrize("value", ["abc", "-1", "²", "9" * 30, ""])
def test_a_reply_parameter_that_is_no_id_is_ignored(bob_client, thread, value):
    response = bob_client.get(f"{thread.get_absolute_url()}?reply={value}")
    assert response.status_code == 200
    assert response.context["answer_form"].initial == {}


def test_a_locked_thread_offers_no_saved_replies(bob, bob_client, carol, thread):
    from forum import actions as forum

    reply = actions.create_reply(bob, "Sync", "Hi {asker}.")
    forum.lock_thread(thread, carol)
    html = bob_client.get(f"{thread.get_absolute_url()}?reply={reply.pk}").content.decode()
    assert 'id="saved-replies"' not in html and "Hi Alice." not in html


def _queries(client, url) -> int:
    client.get(url)  # warm the per-process caches
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("n", [1, 12])
def test_the_thread_page_costs_the_same_queries_however_many_replies(
    n, bob, mia, bob_client, thread, article
):
    """One query for the replies whatever their number (tests/forum/test_queries.py pins the
    staff's thread page with none); replies that name articles add one for all the articles."""
    url = thread.get_absolute_url()
    without = _queries(bob_client, url)
    for i in range(n):
        owner = bob if i % 2 else mia
        actions.create_reply(
            owner, f"Reply {i}", f"Hi {{asker}}, see {{article:{article.slug}}}.", shared=True
        )
    assert _queries(bob_client, url) == without + 1
    html = bob_client.get(url).content.decode()
    assert html.count('data-text="Hi Alice, see [Notes stop syncing') == n


@pytest.mark.parametrize("n", [1, 12])
def test_the_replies_page_costs_the_same_queries_however_many_replies(
    n, bob, mia, bob_client, article, django_assert_num_queries
):
    for i in range(n):
        actions.create_reply(mia if i % 2 else bob, f"Reply {i}", f"{{article:{article.slug}}}", shared=True)
    bob_client.get(REPLIES)
    with django_assert_num_queries(4):  # session, user, the replies with their owners, the articles
        response = bob_client.get(REPLIES)
    assert len(response.context["mine"]) + len(response.context["team"]) == n


# --- privacy ----------------------------------------------------------------------------------


def test_the_download_holds_the_person_s_saved_replies(bob, bob_client, mia):
    actions.create_reply(bob, "Refund policy", "Refunds take 5 days.", shared=True)
    actions.create_reply(mia, "Mia's", "Mia's words.")
    data = json.loads(bob_client.get("/account/my-data.json").content)
    assert [r["title"] for r in data["desk.SavedReply.owner"]] == ["Refund policy"]
    assert "Mia's words." not in json.dumps(data)


def test_deleting_the_account_deletes_private_replies_and_leaves_shared_ones(bob, bob_client, mia):
    actions.create_reply(bob, "Bob's own words", "Cheers")
    shared = actions.create_reply(bob, "Refund policy", "Refunds take 5 days.", shared=True)
    response = bob_client.post("/account/delete/", {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    assert list(SavedReply.objects.all()) == [shared]
    mia_client = Client()
    mia_client.force_login(mia)
    assert "By A former member" in mia_client.get(REPLIES).content.decode()
