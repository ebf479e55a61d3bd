"""'Was this helpful?': once per visitor, anonymous visitors included (a signed cookie makes
a browser one voter), an optional reason, htmx and plain-form both; the staff report."""

from django.test import Client

from kb import actions
from kb.models import HelpfulVote


def test_anonymous_visitor_votes_once_per_browser(client, article):
    url = f"/kb/{article.slug}/vote/"
    assert client.post(url, {"helpful": "yes"}).status_code == 302
    assert client.post(url, {"helpful": "yes"}).status_code == 302  # same browser: does not count
    assert client.post(url, {"helpful": "no"}).status_code == 302
    article.refresh_from_db()
    assert (article.helpful_count, article.unhelpful_count) == (1, 0)
    Client().post(url, {"helpful": "no"})  # another browser counts
    article.refresh_from_db()
    assert (article.helpful_count, article.unhelpful_count) == (1, 1)
    assert HelpfulVote.objects.filter(article=article).count() == 2


def test_a_forged_visitor_cookie_is_not_trusted(client, article):
    client.cookies["kb_visitor"] = "forged"
    client.post(f"/kb/{article.slug}/vote/", {"helpful": "yes"})
    vote = HelpfulVote.objects.get()
    assert vote.voter.startswith("v:") and vote.voter != "v:forged"


def test_signed_in_person_votes_once_whatever_the_browser(alice, article):
    for _ in range(2):
        browser = Client()
        browser.force_login(alice)
        browser.post(f"/kb/{article.slug}/vote/", {"helpful": "yes"})
    article.refresh_from_db()
    assert article.helpful_count == 1
    assert HelpfulVote.objects.get().user == alice


def test_vote_with_htmx_returns_the_feedback_box_and_asks_for_a_reason(client, article):
    response = client.post(f"/kb/{article.slug}/vote/", {"helpful": "no"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Thanks for your feedback!" in html and "What was missing or wrong?" in html
    response = client.post(
        f"/kb/{article.slug}/vote/", {"reason": "Does not cover Linux"}, headers={"HX-Request": "true"}
    )
    assert "We read every note" in response.content.decode()
    vote = HelpfulVote.objects.get()
    assert (vote.helpful, vote.reason) == (False, "Does not cover Linux")


def test_after_voting_the_page_thanks_the_visitor_instead_of_asking_again(client, article):
    client.post(f"/kb/{article.slug}/vote/", {"helpful": "yes"})
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Thanks for your feedback!" in html and "Was this article helpful?" not in html
    assert "Was this article helpful?" in Client().get(article.get_absolute_url()).content.decode()


def test_a_too_long_reason_is_refused_with_a_message(client, article):
    client.post(f"/kb/{article.slug}/vote/", {"helpful": "no"})
    response = client.post(f"/kb/{article.slug}/vote/", {"reason": "x" * 301}, headers={"HX-Request": "true"})
    assert "at most 300 characters" in response.content.decode()
    assert HelpfulVote.objects.get().reason == ""


def test_drafts_take_no_votes(client, bob_client, draft):
    assert client.post(f"/kb/{draft.slug}/vote/", {"helpful": "yes"}).status_code == 404
    bob_client.post(f"/kb/{draft.slug}/vote/", {"helpful": "yes"})
    draft.refresh_from_db()
    assert draft.helpful_count == 0


def test_unhelpful_report_orders_by_not_helpful_votes_with_reasons(bob_client, bob, category, article):
    worse = actions.create_article(
        bob, "An article that misses the point", "", "Not much text in here.", category
    )
    actions.publish(worse, bob)
    for i in range(3):
        actions.vote(worse, f"v:w{i}", False)
    actions.add_vote_reason(worse, "v:w0", "Steps are for an old version")
    actions.vote(article, "v:a0", False)
    actions.vote(article, "v:a1", True)
    html = bob_client.get("/kb/unhelpful/").content.decode()
    assert html.index(worse.title) < html.index(article.title)
    assert "Steps are for an old version" in html
