from __future__ import annotations

from django import forms

MAX_QUERY_CHARS = 2000  # longer input is cut here; query() uses the first 32 words anyway
MAX_TAG_FILTERS = 5


class TagsField(forms.Field):
    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        if not value:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        return [str(v).strip()[:100] for v in values if str(v).strip()][:MAX_TAG_FILTERS]


class SearchForm(forms.Form):
    """The search page's GET parameters. Invalid filters are dropped, never a 500."""

    q = forms.CharField(required=False, strip=True)
    type = forms.SlugField(required=False, max_length=20)
    category = forms.CharField(required=False, max_length=100)
    tag = TagsField(required=False)
    solved = forms.BooleanField(required=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000)

    def values(self) -> dict:
        """Cleaned values, with a default for every field that did not validate."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "q": (data.get("q") or "")[:MAX_QUERY_CHARS],
            "type": data.get("type") or "",
            "category": data.get("category") or "",
            "tags": data.get("tag") or [],
            "solved": bool(data.get("solved")),
            "page": data.get("page") or 1,
        }


class SuggestForm(forms.Form):
    """What the ask page sends while the question is typed; long text is cut, not refused."""

    title = forms.CharField(required=False, strip=True)
    body = forms.CharField(required=False, strip=True)
    attempt = forms.CharField(required=False)

    def values(self) -> dict:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "title": (data.get("title") or "")[:300],
            "body": (data.get("body") or "")[:5000],
            "attempt": (data.get("attempt") or "")[:32],
        }
