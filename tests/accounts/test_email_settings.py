"""/account/notifications/: per kind immediately / daily digest / never, "Stop all
emails", the one-click "stop all" link of every customer email; and account emails that
name the site from settings, not "example.com"."""

from __future__ import annotations

import re

from django.contrib.sites.models import Site
from django.core import mail, signing

from accounts import notifications
from accounts.models import EmailPreference
from accounts.site import sync_site

PAGE = "/account/notifications/"


def test_the_page_lists_every_registered_kind_with_its_choice(alice_client, alice):
    EmailPreference.objects.create(user=alice, kind="articles", choice="digest")
    html = alice_client.get(PAGE).content.decode()
    for label in ("New answers", "Official answers and solutions", "Fixes on linked questions",
                  "Help articles from your questions"):  # fmt: skip
        assert label in html
    assert re.search(r'name="articles" value="digest"[^>]*checked', html)
    assert re.search(r'name="answers" value="now"[^>]*checked', html)  # the default
    assert "Stop all emails" in html


def test_saving_sets_each_kind_and_only_for_the_signed_in_person(alice_client, alice, dave):
    response = alice_client.post(PAGE, {"answers": "digest", "solutions": "never", "user": str(dave.pk)})
    assert response.status_code == 302
    assert notifications.preference(alice.pk, "answers") == "digest"
    assert notifications.preference(alice.pk, "solutions") == "never"
    assert notifications.preference(alice.pk, "linked_fixes") == "now"  # left out: unchanged
    assert not EmailPreference.objects.filter(user=dave).exists()


def test_a_choice_that_is_not_offered_is_refused(alice_client, alice):
    response = alice_client.post(PAGE, {"answers": "hourly"})
    assert response.status_code == 200
    assert not EmailPreference.objects.filter(user=alice).exists()


def test_a_visitor_is_sent_to_sign_in(client, db):
    response = client.get(PAGE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_stop_all_wins_over_every_kind_until_turned_back_on(alice_client, alice):
    alice_client.post(PAGE, {"answers": "now"})
    alice_client.post("/account/notifications/stop-all/")
    assert {k.key: notifications.preference(alice.pk, k.key) for k in notifications.kinds()} == {
        k.key: "never" for k in notifications.kinds()
    }
    assert notifications.preference(alice.pk, "comments-added-later") == "never"
    html = alice_client.get(PAGE).content.decode()
    assert "All emails are stopped" in html and "Turn emails back on" in html
    alice_client.post("/account/notifications/stop-all/", {"resume": "1"})
    assert notifications.preference(alice.pk, "answers") == "now"


def test_the_email_link_shows_a_button_and_only_a_post_stops_all(client, alice):
    url = notifications.stop_all_url(alice.pk).replace("http://127.0.0.1:8000", "")
    page = client.get(url)
    assert page.status_code == 200 and b"Stop all emails?" in page.content
    assert notifications.preference(alice.pk, "answers") == "now"  # a mail scanner stops nothing
    done = client.post(url, {"List-Unsubscribe": "One-Click"})  # RFC 8058, no CSRF token, no sign-in
    assert done.status_code == 200 and b"All emails are stopped" in done.content
    assert notifications.preference(alice.pk, "answers") == "never"


def test_a_forged_stop_all_link_is_a_404(client, alice):
    forged = signing.dumps({"u": alice.pk}, salt="forged")
    assert client.post(f"/account/emails/stop/{forged}/").status_code == 404
    assert notifications.preference(alice.pk, "answers") == "now"


def test_the_team_sees_the_link_to_their_desk_emails_customers_do_not(alice_client, bob_client):
    assert "Your desk emails" in bob_client.get(PAGE).content.decode()
    assert "Your desk emails" not in alice_client.get(PAGE).content.decode()


# --- the site's name and domain in allauth's emails ----------------------------------------


def test_account_emails_name_the_site_from_settings_not_example_com(client, db, settings):
    settings.SITE_NAME = "Brightdesk Help"
    settings.SITE_URL = "https://help.brightdesk.test"
    client.post(
        "/accounts/signup/",
        {"email": "newbie@example.com", "display_name": "Newbie", "password1": "a-very-good-pass-42",
         "password2": "a-very-good-pass-42"},
    )  # fmt: skip
    (message,) = mail.outbox
    assert message.subject == "[Brightdesk Help] Confirm your email address"
    assert "example.com" not in message.body.replace("newbie@example.com", "")
    assert message.body.startswith("Hi from Brightdesk Help,")
    assert "https://help.brightdesk.test" in message.body
    mail.outbox.clear()
    client.post("/accounts/password/reset/", {"email": "newbie@example.com"})
    (reset,) = mail.outbox
    assert reset.subject == "[Brightdesk Help] Reset your password"
    assert "Brightdesk Help" in reset.body and "example.com" not in reset.body.replace(
        "newbie@example.com", ""
    )


def test_the_site_row_follows_site_url_after_migrate(db, settings):
    assert Site.objects.get_current().domain == "127.0.0.1:8000"  # set by the test database's migrate
    assert Site.objects.get_current().name == settings.SITE_NAME
    settings.SITE_URL = "https://help.example.org"
    settings.SITE_NAME = "Example Help"
    sync_site()
    site = Site.objects.get_current()
    assert (site.domain, site.name) == ("help.example.org", "Example Help")
