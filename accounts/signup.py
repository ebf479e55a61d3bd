"""The sign-up form: allauth's, made to take the same time whether or not the address exists.

allauth already answers the same page either way (ACCOUNT_PREVENT_ENUMERATION), but a new
address costs one password hash (PBKDF2: about 0.45 s here) and an existing one cost none:
0.086 s against 1.063 s told an attacker which addresses have accounts (issue 11). For an
existing address the submitted password is now hashed too, and thrown away.

A module of its own: allauth builds its SignupForm on ACCOUNT_SIGNUP_FORM_CLASS
(accounts.forms), so importing allauth's forms from there would be circular.
"""

from __future__ import annotations

from allauth.account.forms import SignupForm as AllauthSignupForm
from django.contrib.auth.hashers import make_password

from accounts.humans import HumanCheckForm


class SignupForm(HumanCheckForm, AllauthSignupForm):
    """Also a honeypot and a minimum fill time (accounts.humans)."""

    def try_save(self, request):
        if self.account_already_exists:
            # The same work as creating the account (one hash), so timing tells nothing.
            make_password(self.cleaned_data.get("password1") or "")
        return super().try_save(request)
