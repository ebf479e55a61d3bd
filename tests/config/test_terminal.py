"""What `make run` prints (issue 12, item 11): the address and demo accounts last, emails
as one line and an .eml file, no traceback for a refusal, links to the address served."""

from __future__ import annotations

import logging
from email import message_from_bytes

import pytest
from django.core.mail import EmailMessage

from config.mail import ConsoleAndFileBackend
from config.management.commands.serve import banner, child_env
from demo import people
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_the_banner_ends_with_the_address_the_demo_accounts_and_where_emails_go(settings):
    settings.EMAIL_BACKEND = "config.mail.ConsoleAndFileBackend"
    email, name, role, _ = people.ACCOUNTS[0]
    make_user(email, name, role)
    text = banner("http://127.0.0.1:8123/")
    lines = text.splitlines()
    assert "Onefix is running at http://127.0.0.1:8123/" in text
    assert f"Demo accounts (password {people.DEMO_PASSWORD}):" in text
    assert any(line.strip().startswith(email) for line in lines)
    # only the accounts that exist are offered
    assert people.ACCOUNTS[1][0] not in text
    assert "saved as an .eml file in" in text
    assert lines[-2].startswith("Health: http://127.0.0.1:8123/healthz")


def test_no_demo_accounts_no_demo_lines():
    assert "Demo accounts" not in banner("http://127.0.0.1:8000/")


def test_links_in_emails_follow_the_address_served_unless_site_url_is_set():
    assert child_env("127.0.0.1:8123", {})["SITE_URL"] == "http://127.0.0.1:8123"
    assert child_env("127.0.0.1:8123", {"SITE_URL": "https://help.example.org"})["SITE_URL"] == (
        "https://help.example.org"
    )


def test_an_email_is_an_eml_file_and_one_log_line_not_a_printed_message(tmp_path, caplog, capsys):
    message = EmailMessage("Confirm your address & start", "Open http://x/confirm/abc", to=["a@example.com"])
    with caplog.at_level(logging.INFO, logger="onefix.mail"):
        sent = ConsoleAndFileBackend(file_path=str(tmp_path)).send_messages([message])
    assert sent == 1
    [saved] = list(tmp_path.glob("*.eml"))
    parsed = message_from_bytes(saved.read_bytes())
    assert parsed["Subject"] == "Confirm your address & start"
    assert "http://x/confirm/abc" in parsed.get_payload()
    [record] = [r for r in caplog.records if r.name == "onefix.mail"]
    assert record.levelno == logging.INFO
    assert "a@example.com" in record.getMessage() and saved.name in record.getMessage()
    assert capsys.readouterr().out == ""


def test_a_refusal_logs_one_line_without_a_traceback(client, caplog):
    user = make_user("erin@example.com", "Erin")
    client.force_login(user)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/moderation/")
    assert response.status_code in (403, 404)
    records = [r for r in caplog.records if r.name == "django.request"]
    assert records and all(r.exc_info is None for r in records)
