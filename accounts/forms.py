from django import forms

from accounts import actions, names
from accounts.models import EmailPreference, User


def _check_display_name(name: str, user=None) -> str:
    name = " ".join(name.split())
    team = User.objects.team()
    if user is not None and user.pk:
        team = team.exclude(pk=user.pk)
    problem = names.problem_with(name, team_names=list(team.values_list("display_name", flat=True)))
    if problem:
        raise forms.ValidationError(problem)
    return name


class SignupExtraForm(forms.Form):
    """Extra sign-up field allauth renders beside email and password."""

    display_name = forms.CharField(
        max_length=40,
        min_length=2,
        label="Public display name",
        help_text="Shown next to your questions and answers. Your email is never shown.",
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )

    def clean_display_name(self) -> str:
        return _check_display_name(self.cleaned_data["display_name"])

    def signup(self, request, user):
        actions.set_display_name(user, self.cleaned_data["display_name"])


class ProfileForm(forms.Form):
    display_name = forms.CharField(max_length=40, min_length=2, label="Public display name")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_display_name(self) -> str:
        return _check_display_name(self.cleaned_data["display_name"], self.user)


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="To be sure it is you.",
    )
    confirm = forms.BooleanField(
        label="I understand that this cannot be undone",
        error_messages={"required": "Tick the box to confirm."},
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password


class EmailPreferencesForm(forms.Form):
    """One choice per registered kind of email (accounts.notifications): immediately,
    daily digest or never."""

    def __init__(self, *args, kinds=(), initial_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in kinds:
            self.fields[kind.key] = forms.ChoiceField(
                label=kind.label,
                help_text=kind.help,
                choices=EmailPreference.Choice.choices,
                required=False,  # a kind left out keeps its choice
                initial=(initial_choices or {}).get(kind.key, kind.default),
                widget=forms.RadioSelect(attrs={"class": "email-choice"}),
            )
