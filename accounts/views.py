from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from accounts import actions
from accounts.decorators import sign_in_first
from accounts.forms import ProfileForm
from accounts.models import User
from accounts.profile import public_stats


def profile(request, user_id: int):
    person = get_object_or_404(User, pk=user_id, is_active=True)
    return render(
        request,
        "accounts/profile.html",
        {"person": person, "stats": public_stats(person)},
    )


@sign_in_first()
def settings_view(request):
    form = ProfileForm(
        request.POST or None, initial={"display_name": request.user.display_name}, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        actions.set_display_name(request.user, form.cleaned_data["display_name"])
        messages.success(request, "Your public display name was saved.")
        return redirect("accounts:settings")
    return render(request, "accounts/settings.html", {"form": form})
