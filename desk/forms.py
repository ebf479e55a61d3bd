from __future__ import annotations

from django import forms

from accounts.models import User
from desk import replies
from desk.actions import NOTE_MAX, REPLY_BODY_MAX, REPLY_TITLE_MAX
from desk.models import Team
from forum.models import Category


class QueueFilterForm(forms.Form):
    show = forms.ChoiceField(
        choices=[("unclaimed", "Unclaimed"), ("mine", "Mine"), ("all", "All")], required=False
    )
    category = forms.ModelChoiceField(
        queryset=Category.objects.all(), to_field_name="slug", required=False, empty_label="All product areas"
    )
    tag = forms.SlugField(required=False, max_length=30)
    tier = forms.TypedChoiceField(
        choices=[("", "All tiers"), ("1", "Tier 1"), ("2", "Tier 2"), ("3", "Tier 3"), ("4", "Overdue")],
        coerce=int,
        empty_value=None,
        required=False,
    )


class NoteForm(forms.Form):
    body = forms.CharField(
        max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 3}), label="Staff-only note"
    )


TEAM_PREFIX = "team-"


def _hand_over_choices():
    """Colleagues (value: their id) and teams (value: "team-<id>"), in two groups. Called
    when the form is rendered or checked, not when it is made: the thread page builds
    the form for staff whether or not it shows it."""
    people = User.objects.filter(is_active=True, role=User.Role.STAFF).order_by("display_name", "pk")
    choices = [("", "Choose…"), ("Colleagues", [(str(u.pk), u.display_name) for u in people])]
    teams = [(f"{TEAM_PREFIX}{t.pk}", t.name) for t in Team.objects.order_by("name")]
    if teams:
        choices.append(("Teams", teams))
    return choices


class HandOverForm(forms.Form):
    """Hand a claim to a colleague or to a team; `to` is cleaned to a User or a Team."""

    to = forms.ChoiceField(choices=_hand_over_choices, label="Hand to")

    def clean_to(self):
        value = self.cleaned_data["to"]
        if value.startswith(TEAM_PREFIX):
            found = Team.objects.filter(pk=value.removeprefix(TEAM_PREFIX)).first()
        else:
            found = User.objects.filter(pk=value).first()
        if found is None:
            raise forms.ValidationError("Choose a colleague or a team.")
        return found


class DeskSettingsForm(forms.Form):
    """A person's own desk settings on /desk/team/ (desk.actions.save_settings)."""

    notify_new_threads = forms.BooleanField(required=False, label="Each new customer question in my areas")
    notify_reminders = forms.BooleanField(required=False, label="Once a day, my claims still waiting")
    notify_replies = forms.BooleanField(
        required=False, label="When a customer replies on a question I'm handling"
    )
    notify_spikes = forms.BooleanField(
        required=False, label="When questions in a cluster, area or tag grow fast (spike alerts)"
    )
    areas = forms.ModelMultipleChoiceField(
        queryset=Category.objects.order_by("position", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="My product areas",
    )


class ReplyForm(forms.Form):
    """A saved reply; the placeholders are checked by the action (desk.replies.problems)."""

    title = forms.CharField(
        max_length=REPLY_TITLE_MAX,
        error_messages={
            "required": "Give the reply a title, so you can find it in the list.",
            "max_length": "A title can have at most %(limit_value)d characters (this one has %(show_value)d).",
        },
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "placeholder": "e.g. Sync stalls after an update"}
        ),
    )
    body = forms.CharField(
        label="Text",
        max_length=REPLY_BODY_MAX,
        error_messages={
            "required": "Write the text of the reply first.",
            "max_length": f"A reply can have at most {REPLY_BODY_MAX:,} characters (this one has %(show_value)d).",
        },
        help_text="Markdown. {asker} becomes the name of the asker; {article:address} a link to that "
        "knowledge-base article.",
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    shared = forms.BooleanField(
        required=False, label="Share with the team (every member of staff can use it)"
    )

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        if found := replies.problems(body):
            raise forms.ValidationError(found)
        return body


class InsightsFilterForm(forms.Form):
    """/desk/insights/: a date range (inclusive, in the team's time zone) and an area.
    A bad date gets a clear message and the default range; the other fields are kept."""

    start = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))
    category = forms.ModelChoiceField(
        queryset=Category.objects.order_by("position", "name"),
        to_field_name="slug",
        required=False,
        empty_label="All product areas",
        label="Product area",
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            raise forms.ValidationError("The end of the range is before its start: choose a later end date.")
        return data
