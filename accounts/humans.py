"""Is a person filling this form? A honeypot and a minimum fill time (issue 11, item 4).

`HumanCheckForm` adds two fields to a form:
- `website`: a text box people never see (hidden by CSS, skipped by the keyboard, named
  like something a form-filling bot fills in). Anything in it refuses the form;
- `started`: when the form was shown, signed so it cannot be forged. A form sent back
  sooner than SPAM_MIN_FILL_SECONDS after it was shown, or without a valid stamp, is
  refused. 0 turns the time check off (the test suite does; its own tests turn it on).

Both refusals say what happened and keep everything typed. Render the fields with
templates/includes/human_check.html.
"""

from __future__ import annotations

import time

from django import forms
from django.conf import settings
from django.core import signing

_SALT = "onefix.humans.started"


def started_stamp() -> str:
    return signing.dumps(time.time(), salt=_SALT)


def seconds_since(stamp: str) -> float | None:
    try:
        return time.time() - float(signing.loads(stamp, salt=_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None


class HumanCheckForm(forms.Form):
    website = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["started"].initial = started_stamp()

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise forms.ValidationError(
                "Please leave the field “Leave this field empty” empty: it is there to catch robots.",
                code="honeypot",
            )
        minimum = settings.SPAM_MIN_FILL_SECONDS
        if minimum:
            age = seconds_since(data.get("started") or "")
            if age is None:
                # A stamp we did not sign: the form did not come from our page. Give a fresh one.
                self.data = self.data.copy()
                self.data["started"] = started_stamp()
                raise forms.ValidationError(
                    "This form had expired or was not sent from our page: please check it and send it again.",
                    code="no_stamp",
                )
            if age < minimum:
                raise forms.ValidationError(
                    "That was faster than a person can type: please check what you wrote and send it again.",
                    code="too_fast",
                )
        return data
