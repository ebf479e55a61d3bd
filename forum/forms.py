"""Input validation for the forum's pages. Limits match the actions' own checks."""

from __future__ import annotations

from django import forms

from accounts.humans import HumanCheckForm
from forum.actions.posts import ANSWER_MIN
from forum.actions.threads import BODY_MIN, TITLE_MIN, normalize_tags, title_too_long_once_masked
from forum.markdown import mask_personal_data, validate_nesting
from forum.models import BODY_MAX, MAX_TAGS, TITLE_MAX, Category

# Five tags of at most 30 characters fit with room to spare; the limit is checked
# before any tag is normalised (40,000 tags in the field took 9 s before the 400).
TAGS_FIELD_MAX = 300
TAGS_TOO_LONG = f"The tags field takes at most {TAGS_FIELD_MAX} characters: up to {MAX_TAGS} short tags."


class QuestionForm(forms.Form):
    title = forms.CharField(
        min_length=TITLE_MIN,
        max_length=TITLE_MAX,
        help_text="Say what goes wrong, e.g. “Notes stop syncing after updating to 4.2 on Windows”.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "What is the problem?"}),
    )
    body = forms.CharField(
        label="Details",
        min_length=BODY_MIN,
        max_length=BODY_MAX,
        validators=[validate_nesting],
        help_text="What did you try, what did you expect, what happened instead? Markdown works. "
        "Email addresses, phone numbers and order numbers are hidden automatically.",
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    category = forms.ModelChoiceField(
        queryset=Category.objects.all(), empty_label="Choose the product area", label="Product area"
    )
    tags = forms.CharField(
        required=False,
        max_length=TAGS_FIELD_MAX,
        error_messages={"max_length": TAGS_TOO_LONG},
        help_text=f"Up to {MAX_TAGS}, separated by commas, e.g. “windows, sync”.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "windows, sync"}),
    )

    # The search app's ask-attempt token (did a suggestion answer it before posting?).
    ask_attempt = forms.CharField(required=False, max_length=32, widget=forms.HiddenInput)

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        masked = mask_personal_data(title)
        if len(masked) > TITLE_MAX:
            raise forms.ValidationError(title_too_long_once_masked(masked))
        return title

    def clean_tags(self) -> list[str]:
        names = normalize_tags(self.cleaned_data.get("tags", ""))
        if len(names) > MAX_TAGS:
            raise forms.ValidationError(
                f"Use at most {MAX_TAGS} tags (you have {len(names)}): keep the ones that say the most."
            )
        return names


class AskForm(HumanCheckForm, QuestionForm):
    """The ask page's form: a question, plus a honeypot and a minimum fill time."""


class AnswerForm(forms.Form):
    body = forms.CharField(
        label="Your answer",
        min_length=ANSWER_MIN,
        max_length=BODY_MAX,
        validators=[validate_nesting],
        help_text="Markdown works. Email addresses, phone numbers and order numbers are hidden automatically.",
        widget=forms.Textarea(attrs={"rows": 8}),
    )


class PreviewForm(forms.Form):
    body = forms.CharField(required=False, max_length=BODY_MAX, strip=False, validators=[validate_nesting])
