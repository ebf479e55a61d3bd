"""No page shows one person's email address to anybody else (issue 2).

Walks every public page of the demo forum — home, lists, every thread, every
article, every profile, search, history, sitemap — as a visitor and as a signed-in
customer, and looks for any user's address in the HTML.
"""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from accounts.models import User
from forum.models import Category, Tag, Thread
from kb.models import Article

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


def _pages() -> list[str]:
    urls = ["/", "/questions/", "/questions/?tab=unanswered", "/questions/?tab=solved", "/kb/"]
    urls += ["/search/?q=sync", "/search/?q=windows+install", "/sitemap.xml", "/questions/ask/"]
    urls += [f"/questions/category/{c.slug}/" for c in Category.objects.all()]
    urls += [f"/questions/tagged/{t.slug}/" for t in Tag.objects.all()[:10]]
    for thread in Thread.objects.filter(is_deleted=False):
        urls += [thread.get_absolute_url(), f"/questions/{thread.pk}/history/"]
    for article in Article.objects.filter(status=Article.Status.PUBLISHED):
        urls += [article.get_absolute_url(), f"{article.get_absolute_url()}history/"]
    urls += [f"/users/{u.pk}/" for u in User.objects.filter(is_active=True)]
    return urls


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["visitor", "customer"])
def test_no_page_shows_another_persons_email(client, who):
    call_command("load_demo", verbosity=0)
    viewer = None
    if who == "customer":
        viewer = User.objects.get(email="alice@example.com")
        client.force_login(viewer)
    others = {u.email.lower() for u in User.objects.exclude(pk=getattr(viewer, "pk", None)) if u.email}
    assert len(others) >= 10 and Thread.objects.count() >= 20 and Article.objects.exists()
    checked = 0
    for url in _pages():
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        html = response.content.decode().lower()
        leaked = others & set(EMAIL.findall(html))
        assert not leaked, f"{url} shows {sorted(leaked)}"
        checked += 1
    assert checked >= 60
