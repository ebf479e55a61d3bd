from __future__ import annotations

from django import forms

from accounts.models import User
from desk.actions import NOTE_MAX
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


class HandOverForm(forms.Form):
    to = forms.ModelChoiceField(queryset=User.objects.none(), label="Hand to")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = User.objects.filter(is_active=True, role=User.Role.STAFF).order_by(
            "display_name"
        )
