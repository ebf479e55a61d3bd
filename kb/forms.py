"""Input validation for the knowledge base's pages. Limits match the actions' own checks."""

from __future__ import annotations

import re

from django import forms

from forum.actions import normalize_tags
from forum.forms import TAGS_FIELD_MAX, TAGS_TOO_LONG
from forum.markdown import validate_nesting
from forum.models import MAX_TAGS, Category
from kb.actions import BODY_MIN, TITLE_MIN
from kb.models import BODY_MAX, COMMENT_MAX, REASON_MAX, SLUG_MAX, SUMMARY_MAX, TITLE_MAX


class ArticleForm(forms.Form):
    title = forms.CharField(
        min_length=TITLE_MIN,
        max_length=TITLE_MAX,
        help_text="Name the problem the way a customer would search for it.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    slug = forms.CharField(
        label="Address",
        max_length=SLUG_MAX,
        required=False,
        help_text="The part after /kb/. If you change it, the old address keeps redirecting here.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    summary = forms.CharField(
        max_length=SUMMARY_MAX,
        required=False,
        help_text="One or two sentences: shown in lists, search results and as the page description.",
        widget=forms.Textarea(attrs={"rows": 2, "class": "summary-input"}),
    )
    body = forms.CharField(
        label="Article text",
        min_length=BODY_MIN,
        max_length=BODY_MAX,
        validators=[validate_nesting],
        help_text="Markdown. Use ## headings for steps: long articles get a table of contents from them.",
        widget=forms.Textarea(attrs={"rows": 18}),
    )
    category = forms.ModelChoiceField(
        queryset=Category.objects.all(), empty_label="Choose the product area", label="Product area"
    )
    tags = forms.CharField(
        required=False,
        max_length=TAGS_FIELD_MAX,
        error_messages={"max_length": TAGS_TOO_LONG},
        help_text=f"Up to {MAX_TAGS}, separated by commas.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    comment = forms.CharField(
        label="What changed?",
        max_length=COMMENT_MAX,
        required=False,
        help_text="A few words for the history, e.g. “Added the step for Android”.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    # The revision the editor started from: a save over someone's newer one is refused
    # (kb.actions.EditConflict) instead of replacing it unseen.
    base_revision = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, with_slug: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_slug:
            del self.fields["slug"]
            del self.fields["base_revision"]

    def take_revision(self, number: int) -> None:
        """After a conflict: the form now stands on revision `number`, so saving it again
        replaces that one on purpose."""
        self.data = self.data.copy()
        self.data["base_revision"] = str(number)

    def clean_title(self) -> str:
        return " ".join(self.cleaned_data["title"].split())

    def clean_tags(self) -> list[str]:
        names = normalize_tags(self.cleaned_data.get("tags", ""))
        if len(names) > MAX_TAGS:
            raise forms.ValidationError(f"Use at most {MAX_TAGS} tags (you have {len(names)}).")
        return names


class PublishForm(forms.Form):
    """The confirmation: the revision whose text (and audience) the publisher saw."""

    revision = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class VoteForm(forms.Form):
    helpful = forms.ChoiceField(choices=[("yes", "Yes"), ("no", "No")], required=False)
    reason = forms.CharField(max_length=REASON_MAX, required=False)

    def clean(self):
        data = super().clean()
        if not data.get("helpful") and not data.get("reason", "").strip():
            raise forms.ValidationError("Choose “Yes” or “No”.")
        return data


_THREAD_URL = re.compile(r"/questions/(\d+)(?:/|$)")


class LinkThreadForm(forms.Form):
    thread = forms.CharField(
        label="Link a question this article resolves",
        max_length=500,
        help_text="Paste the question's address or its number. Its followers are told if the article is published.",
    )

    def clean_thread(self) -> int:
        raw = self.cleaned_data["thread"].strip()
        if raw.isdigit():
            return int(raw)
        match = _THREAD_URL.search(raw)
        if not match:
            raise forms.ValidationError("Paste a question's address (…/questions/123/…) or its number.")
        return int(match.group(1))
