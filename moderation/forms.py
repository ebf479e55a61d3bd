"""Input validation for the moderation pages. Limits match the actions' own checks."""

from __future__ import annotations

from django import forms

from accounts.models import User
from forum.actions.posts import ANSWER_MIN
from forum.actions.threads import BODY_MIN, TITLE_MIN
from forum.markdown import validate_nesting
from forum.models import BODY_MAX, TITLE_MAX
from moderation.actions import SUSPEND_MAX_DAYS
from moderation.models import NOTE_MAX, Report

REASON_HELP = "Kept in the audit log and sent to the author."


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        choices=Report.Reason.choices, widget=forms.RadioSelect, label="What is wrong with it?",
        error_messages={"required": "Please choose what is wrong with it."},
    )  # fmt: skip
    note = forms.CharField(
        required=False, max_length=NOTE_MAX, label="Anything the moderators should know?",
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "Optional"}),
    )  # fmt: skip


def _reason_field(label="Reason", initial=""):
    return forms.CharField(
        label=label, max_length=1000, initial=initial, help_text=REASON_HELP,
        error_messages={"required": "Please give a reason."},
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip


class ReasonForm(forms.Form):
    reason = _reason_field()


class RedactForm(forms.Form):
    title = forms.CharField(min_length=TITLE_MIN, max_length=TITLE_MAX, required=False)
    body = forms.CharField(
        label="Text without the personal data", max_length=BODY_MAX, validators=[validate_nesting],
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Replaces the text; every earlier version in its history is removed too.",
    )  # fmt: skip
    reason = _reason_field()

    def __init__(self, *args, has_title: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if has_title:
            self.fields["title"].required = True
            self.fields["body"].min_length = BODY_MIN
        else:
            del self.fields["title"]
            self.fields["body"].min_length = ANSWER_MIN


class SuspendForm(forms.Form):
    days = forms.IntegerField(
        min_value=1, max_value=SUSPEND_MAX_DAYS, initial=7, label="Days",
        help_text="They can read, but not post, vote, follow or report until then.",
    )  # fmt: skip
    reason = _reason_field()


class BanForm(forms.Form):
    reason = _reason_field()
    spam = forms.BooleanField(
        required=False, label="A spam account (no email is sent)",
        help_text="Otherwise the person is told by email, with your reason.",
    )  # fmt: skip


class AuditFilterForm(forms.Form):
    """The audit log's filters; every field optional."""

    action = forms.ChoiceField(required=False, label="Action")
    actor = forms.ChoiceField(required=False, label="Who")
    target_kind = forms.ChoiceField(required=False, label="What")
    since = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))

    SYSTEM = "system"
    KINDS = [("", "Anything"), ("thread", "Questions"), ("post", "Answers"), ("comment", "Comments"),
             ("user", "People"), ("article", "Articles"), ("link", "Duplicate links")]  # fmt: skip

    def __init__(self, *args, actions: dict[str, str], team: list[User], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", "Any action"), *actions.items()]
        self.fields["actor"].choices = [
            ("", "Anyone"), (self.SYSTEM, "Onefix (automatic)"), *((str(u.pk), u.display_name) for u in team),
        ]  # fmt: skip
        self.fields["target_kind"].choices = self.KINDS
        self.team = {str(u.pk): u for u in team}

    def filters(self) -> dict:
        """Keyword arguments for moderation.queries.audit_entries (after is_valid)."""
        data = self.cleaned_data
        actor = data.get("actor") or ""
        return {
            "action": data.get("action") or "",
            "system": actor == self.SYSTEM,
            "actor": self.team.get(actor),
            "target_kind": data.get("target_kind") or "",
            "since": data.get("since"),
            "until": data.get("until"),
        }
