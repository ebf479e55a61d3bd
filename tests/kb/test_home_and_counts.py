"""What the KB's lists and counts claim is true (issue 12, item 7): "Most helpful" holds
only articles someone found helpful, the KB home lists an article once, an article
without votes says "No votes yet", and only a published article says whom it helped."""

from __future__ import annotations

import re

from kb import actions
from tests.kb.conftest import make_articles


def section(html: str, title_id: str) -> str:
    """The HTML of one <section aria-labelledby=title_id> of the page."""
    start = html.index(f'aria-labelledby="{title_id}"')
    return html[start : html.index("</section>", start)]


def article_links(html: str) -> list[str]:
    return re.findall(r'<a href="/kb/([\w-]+)/(?:edit/)?">', html)


def test_most_helpful_lists_only_articles_with_a_helpful_vote(client, bob, category):
    voted, _unvoted, disliked = make_articles(bob, category, 3)
    actions.vote(voted, "v:one", True)
    actions.vote(disliked, "v:two", False)
    html = client.get("/kb/").content.decode()
    assert article_links(section(html, "helpful-title")) == [voted.slug]


def test_most_helpful_says_so_when_nobody_voted_yet(client, bob, category):
    (article,) = make_articles(bob, category, 1)
    html = client.get("/kb/").content.decode()
    helpful = section(html, "helpful-title")
    assert article_links(helpful) == []
    assert "No article has a helpful vote yet" in helpful
    assert article_links(section(html, "recent-title")) == [article.slug]  # still listed, once


def test_the_kb_home_never_lists_an_article_twice(bob_client, client, bob, category):
    articles = make_articles(bob, category, 12)
    for i, article in enumerate(articles[:10]):
        for n in range(i % 3):
            actions.vote(article, f"v:{article.pk}-{n}", True)
    actions.create_article(bob, "A draft on the home page", "", "Draft body text here.", category)
    for who in (client, bob_client):
        html = who.get("/kb/").content.decode()
        main = html[html.index("<main") : html.index("</main>")]
        listed = article_links(main)
        assert len(listed) == len(set(listed)), listed
        # Every published article with a vote is in "Most helpful" (8 at most), the rest
        # are the most recently updated of the others.
        helpful = article_links(section(html, "helpful-title"))
        assert len(helpful) == 6 and set(article_links(section(html, "recent-title"))).isdisjoint(helpful)


def test_a_new_article_says_no_votes_yet_not_0_of_0(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    assert "No votes yet" in html
    assert "0 of 0" not in html
    actions.vote(article, "v:one", True)
    actions.vote(article, "v:two", False)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "1 of 2 found this helpful" in html and "No votes yet" not in html


def test_a_list_row_without_votes_says_so_instead_of_0_helpful(client, article):
    html = client.get(f"/kb/category/{article.category.slug}/").content.decode()
    assert "<strong>0</strong> helpful" not in html and "No votes yet" in html


def test_a_draft_never_claims_whom_it_helped(bob_client, draft, thread, dave):
    from forum import actions as forum_actions

    forum_actions.me_too(dave, thread)
    html = bob_client.get(draft.get_absolute_url()).content.decode()
    assert "helped" not in html.lower()
    assert "Resolved" not in html and "Questions it resolved" not in html
    actions.publish(draft, draft.author)
    html = bob_client.get(draft.get_absolute_url()).content.decode()
    assert "Resolved 1 thread · helped 2 people" in html  # alice asked, dave said "me too"
