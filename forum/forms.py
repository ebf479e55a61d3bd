"""Input validation for the forum's pages. Limits match the actions' own checks."""

from __future__ import annotations

from django import forms
from django.core import validators

from accounts.humans import HumanCheckForm
from forum.actions.comments import COMMENT_MIN
from forum.actions.posts import ANSWER_MIN
from forum.actions.threads import (
    BODY_MIN,
    TITLE_MIN,
    normalize_tags,
    strip_direction_controls,
    title_too_long_once_masked,
)
from forum.markdown import mask_personal_data, validate_nesting
from forum.models import BODY_MAX, COMMENT_MAX, MAX_TAGS, TITLE_MAX, Category, Tag, TopicFollow

# Five tags of at most 30 characters fit with room to spare; the limit is checked
# before any tag is normalised (40,000 tags in the field took 9 s before the 400).
TAGS_FIELD_MAX = 300
TAGS_TOO_LONG = f"The tags field takes at most {TAGS_FIELD_MAX} characters: up to {MAX_TAGS} short tags."


class TooLong:
    """Refuses text over `limit` characters saying how long it is, with thousands
    separators ("50,008 characters long; the limit is 20,000"), and that it is kept."""

    def __init__(self, what: str, limit: int):
        self.what, self.limit = what, limit

    def __call__(self, value: str) -> None:
        if len(value) > self.limit:
            raise forms.ValidationError(
                f"{self.what} is {len(value):,} characters long; the limit is {self.limit:,}. "
                "Shorten it and post again: nothing was posted, and your text is still here.",
                code="max_length",
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, TooLong) and (self.what, self.limit) == (other.what, other.limit)


class ClearForm(forms.Form):
    """A form that tells people what is wrong without hiding anything from them:

    - no `maxlength` in the HTML: a browser cuts a longer paste silently (50,000 characters
      became 20,000 with no word); the limit is shown instead (`data-limit`, a counter
      under the field, static/js/onefix.js) and checked when posted, with the text kept;
    - one message per field, and the first field with an error gets `autofocus`, so the
      cursor and a screen reader land where the problem is.
    """

    # What each limited field is called in "… is 50,008 characters long".
    limit_names: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            limit = field.widget.attrs.pop("maxlength", None)
            if limit and not isinstance(field.widget, forms.HiddenInput):
                field.widget.attrs["data-limit"] = limit
                field.limit = int(limit)  # the counter under the field (includes/field_counter.html)
                if name in self.limit_names:
                    field.validators = [
                        v for v in field.validators if not isinstance(v, validators.MaxLengthValidator)
                    ] + [TooLong(self.limit_names[name], field.limit)]

    def full_clean(self):
        super().full_clean()
        if not self._errors:
            return
        for name in self._errors:
            if name in self.fields and not isinstance(self.fields[name].widget, forms.HiddenInput):
                self.fields[name].widget.attrs["autofocus"] = True
                break


class QuestionForm(ClearForm):
    limit_names = {"title": "The title", "body": "The description"}

    title = forms.CharField(
        min_length=TITLE_MIN,
        max_length=TITLE_MAX,
        error_messages={
            "required": "Give your question a title: say in a few words what goes wrong.",
        },
        help_text="Say what goes wrong, e.g. “Notes stop syncing after updating to 4.2 on Windows”.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "What is the problem?"}),
    )
    body = forms.CharField(
        label="Details",
        min_length=BODY_MIN,
        max_length=BODY_MAX,
        error_messages={
            "required": "Describe the problem: what you did, what you expected, what happened instead.",
        },
        validators=[validate_nesting],
        help_text="What did you try, what did you expect, what happened instead? Markdown works. "
        "Email addresses, phone numbers and order numbers are hidden automatically.",
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    category = forms.ModelChoiceField(
        queryset=Category.objects.all(),
        empty_label="Choose the product area",
        label="Product area",
        error_messages={"required": "Choose the product area your question is about."},
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
        title = " ".join(strip_direction_controls(self.cleaned_data["title"]).split())
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


# The ask form's fields kept as a draft while a visitor signs in (accounts.drafts).
ASK_FIELDS = ("title", "body", "category", "tags", "ask_attempt")


class AskForm(HumanCheckForm, QuestionForm):
    """The ask page's form: a question, plus a honeypot and a minimum fill time."""


class AnswerForm(ClearForm):
    limit_names = {"body": "Your answer"}

    body = forms.CharField(
        label="Your answer",
        min_length=ANSWER_MIN,
        max_length=BODY_MAX,
        error_messages={
            "required": "Write your answer in the box before posting.",
        },
        validators=[validate_nesting],
        help_text="Markdown works. Email addresses, phone numbers and order numbers are hidden automatically.",
        widget=forms.Textarea(attrs={"rows": 8}),
    )


class CommentForm(ClearForm):
    """A comment under the question or an answer. The field is "comment" (not "body"), so
    a draft kept while a visitor signs in fills this box, not the answer's; `post` says
    which answer it is under (empty: the question)."""

    limit_names = {"comment": "Your comment"}

    comment = forms.CharField(
        label="Your comment",
        min_length=COMMENT_MIN,
        max_length=COMMENT_MAX,
        error_messages={
            "required": "Write your comment in the box before posting.",
            "min_length": "Please write a comment first.",
        },
        help_text="Ask for details or add a short note; a fix belongs in an answer. "
        "Markdown links, code, italics and bold work.",
        widget=forms.Textarea(attrs={"rows": 3, "class": "comment-input"}),
    )
    post = forms.IntegerField(required=False, min_value=1, max_value=10**18, widget=forms.HiddenInput)


class PreviewForm(forms.Form):
    body = forms.CharField(required=False, max_length=BODY_MAX, strip=False, validators=[validate_nesting])


class TopicFollowForm(forms.Form):
    """ "Follow this tag / area / search" and its undo: what to follow, by the tag's or
    area's slug or the search's text (forum.actions.follow_topic checks the rest)."""

    kind = forms.ChoiceField(choices=TopicFollow.Kind.choices)
    target = forms.CharField(max_length=500)
    undo = forms.BooleanField(required=False)

    def clean(self):
        data = super().clean()
        kind, target = data.get("kind"), data.get("target", "")
        if kind == TopicFollow.Kind.TAG:
            data["topic"] = {"tag": Tag.objects.filter(slug=target).first()}
        elif kind == TopicFollow.Kind.AREA:
            data["topic"] = {"category": Category.objects.filter(slug=target).first()}
        elif kind == TopicFollow.Kind.SEARCH:
            data["topic"] = {"query": target}
        if "topic" in data and None in data["topic"].values():
            raise forms.ValidationError("There is no such tag or product area.")
        return data
