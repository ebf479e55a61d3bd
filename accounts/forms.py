from django import forms

from accounts import actions


class SignupExtraForm(forms.Form):
    """Extra sign-up field allauth renders beside email and password."""

    display_name = forms.CharField(
        max_length=40,
        min_length=2,
        label="Public display name",
        help_text="Shown next to your questions and answers. Your email is never shown.",
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )

    def signup(self, request, user):
        actions.set_display_name(user, self.cleaned_data["display_name"])


class ProfileForm(forms.Form):
    display_name = forms.CharField(max_length=40, min_length=2, label="Public display name")
