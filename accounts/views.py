import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from accounts import actions, privacy
from accounts.decorators import sign_in_first
from accounts.forms import DeleteAccountForm, ProfileForm
from accounts.models import User
from accounts.profile import public_sections, public_stats


def profile(request, user_id: int):
    person = get_object_or_404(User, pk=user_id, is_active=True)
    return render(
        request,
        "accounts/profile.html",
        {"person": person, "stats": public_stats(person), "sections": public_sections(request, person)},
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


@require_GET
@login_required
def data_download(request):
    """Everything the site holds about the signed-in person, as one JSON file."""
    data = privacy.export_data(request.user)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False, default=str), content_type="application/json"
    )
    stamp = timezone.now().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="onefix-my-data-{stamp}.json"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
@login_required
def delete_account(request):
    """Confirm with the password, then delete (accounts.privacy.delete_account)."""
    blocker = privacy.deletion_blocker(request.user)
    form = DeleteAccountForm(request.user, request.POST or None)
    if request.method == "POST" and blocker is None and form.is_valid():
        try:
            privacy.delete_account(request.user)
        except privacy.CannotDeleteError as exc:
            blocker = str(exc)
        else:
            logout(request)
            messages.success(
                request, "Your account was deleted. Your public posts now show “a former member”."
            )
            return redirect("home")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/delete.html", {"form": form, "blocker": blocker}, status=status)
