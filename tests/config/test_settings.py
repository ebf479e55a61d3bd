import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import email_settings, env_bool, env_int

ROOT = Path(__file__).resolve().parents[2]


def _run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # DJANGO_ALLOW_ASYNC_UNSAFE is set in this process by the browser fixture (the
    # sync Playwright API runs an event loop); a deployment never has it.
    dropped = {"DEBUG", "SECRET_KEY", "SECRET_KEY_FILE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    clean.update(env)
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        *[("true", True), ("True", True), (" 1 ", True), ("yes", True), ("on", True)],
        *[("false", False), ("FALSE", False), ("0", False), ("no", False), ("off", False)],
    ],
)
def test_env_bool_reads_true_false_and_their_usual_spellings(monkeypatch, raw, value):
    monkeypatch.setenv("X_FLAG", raw)
    assert env_bool("X_FLAG", default=not value) is value


@pytest.mark.parametrize("raw", ["ture", "2", "enabled", "y", "-1"])
def test_env_bool_rejects_anything_else(monkeypatch, raw):
    monkeypatch.setenv("X_FLAG", raw)
    with pytest.raises(ImproperlyConfigured, match="true or false"):
        env_bool("X_FLAG", default=False)


def test_env_bool_unset_or_empty_is_the_default(monkeypatch):
    monkeypatch.delenv("X_FLAG", raising=False)
    assert env_bool("X_FLAG", default=True) is True
    monkeypatch.setenv("X_FLAG", "")
    assert env_bool("X_FLAG", default=False) is False


def test_env_int_rejects_words(monkeypatch):
    monkeypatch.setenv("X_NUM", "twelve")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int("X_NUM", 1)


def test_secret_key_file_is_read(tmp_path, monkeypatch):
    from config.env import env_str

    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    monkeypatch.setenv("SOME_KEY_FILE", str(secret))
    assert env_str("SOME_KEY") == "from-a-file"


def test_email_url_schemes(tmp_path):
    assert email_settings("", file_path=tmp_path)["EMAIL_BACKEND"] == "config.mail.ConsoleAndFileBackend"
    smtp = email_settings("smtp+tls://user:p%40ss@mail.example.com:2525", file_path=tmp_path)
    assert smtp["EMAIL_HOST"] == "mail.example.com"
    assert smtp["EMAIL_PORT"] == 2525
    assert smtp["EMAIL_HOST_PASSWORD"] == "p@ss"
    assert smtp["EMAIL_USE_TLS"] is True
    with pytest.raises(ImproperlyConfigured, match="not supported"):
        email_settings("pigeon://coop", file_path=tmp_path)


def test_debug_off_with_placeholder_key_refuses_to_start():
    result = _run_manage("check", DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY is the development placeholder" in result.stderr


def test_debug_off_with_real_settings_passes_deploy_check():
    result = _run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY="k" * 20 + "a-long-random-production-secret-9f8e7d6c5b4a",
        ALLOWED_HOSTS="help.example.com",
        SITE_URL="https://help.example.com",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
