"""Does sign-up take the same time for an address that has an account and one that has not?

Posts the real sign-up form through Django's test client with the production password
hasher (PBKDF2), alternating a new address and an existing one so both see the same
machine load, and prints min / median / max of each in ms: first with allauth's stock
form (what main had before issue 11), then with accounts.signup.SignupForm.

    .venv/bin/python bench/signup_timing.py [--pairs 8]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import use_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=8)
    args = parser.parse_args()
    use_database("sqlite", pg_db="onefix_bench_signup", sqlite_name="onefix-bench-signup")

    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    call_command("migrate", verbosity=0)
    call_command("createcachetable")
    setup_test_environment()  # the locmem mail outbox: no email leaves the machine
    settings.ALLOWED_HOSTS = ["testserver"]

    def signup(email: str) -> float:
        cache.clear()  # allauth's sign-up rate limit would otherwise answer the later posts
        data = {"email": email, "display_name": "Bench Person", "password1": "a-good-bench-pass-1",
                "password2": "a-good-bench-pass-1"}  # fmt: skip
        start = time.perf_counter()
        response = Client().post("/accounts/signup/", data)
        elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code == 302, response.status_code
        return elapsed

    signup("existing@example.com")
    print(f"hasher: {settings.PASSWORD_HASHERS[0].rsplit('.', 1)[-1]}, {args.pairs} pairs, alternated")
    for n, form in enumerate(("allauth.account.forms.SignupForm", "accounts.signup.SignupForm")):
        settings.ACCOUNT_FORMS = {"signup": form}
        new, existing = [], []
        for i in range(args.pairs):
            new.append(signup(f"new{n}-{i}@example.com"))
            existing.append(signup("existing@example.com"))
        print(form)
        for label, times in (("new address", new), ("existing address", existing)):
            print(f"  {label:>16}: min {min(times):7.1f} ms  median {statistics.median(times):7.1f} ms"
                  f"  max {max(times):7.1f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
