from accounts.models import User


def test_profile_shows_public_facts_and_never_the_email(client, alice, bob):
    response = client.get(f"/users/{bob.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bob" in html
    assert "Staff" in html
    assert "Member since" in html
    assert "bob@example.com" not in html


def test_signed_in_visitor_does_not_see_another_users_email_anywhere(alice_client, bob):
    for url in ("/", f"/users/{bob.pk}/"):
        assert "bob@example.com" not in alice_client.get(url).content.decode()


def test_unknown_or_inactive_profile_is_404(client, alice):
    assert client.get("/users/999999/").status_code == 404
    User.objects.filter(pk=alice.pk).update(is_active=False)
    assert client.get(f"/users/{alice.pk}/").status_code == 404


def test_settings_change_display_name(alice_client, alice):
    response = alice_client.post("/account/settings/", {"display_name": "Alice M."})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.display_name == "Alice M."


def test_settings_need_sign_in(client, db):
    response = client.get("/account/settings/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_header_shows_display_name_when_signed_in(alice_client):
    assert "Alice" in alice_client.get("/").content.decode()
