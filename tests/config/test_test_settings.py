"""The suite runs with a fast password hasher; production keeps Django's default."""

from django.conf import settings
from django.contrib.auth.hashers import get_hasher

from config import settings as production_settings


def test_tests_hash_passwords_with_the_fast_hasher():
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]
    assert get_hasher().algorithm == "md5"


def test_the_settings_module_itself_keeps_a_slow_hasher():
    hashers = getattr(production_settings, "PASSWORD_HASHERS", None)
    assert hashers is None or "MD5" not in hashers[0]
