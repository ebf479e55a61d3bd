import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import actions, notifications, privacy
from accounts.decorators import sign_in_first
from accounts.forms import DeleteAccountForm, EmailPreferencesForm, ProfileForm
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


@sign_in_first()
def notifications_view(request):
    """Per kind of email: immediately, daily digest or never; and "Stop all emails"."""
    chosen, stopped = notifications.choices_for(request.user.pk)
    form = EmailPreferencesForm(request.POST or None, kinds=notifications.kinds(), initial_choices=chosen)
    if request.method == "POST" and form.is_valid():
        actions.set_email_preferences(request.user, form.cleaned_data)
        messages.success(request, "Your email settings were saved.")
        return redirect("accounts:notifications")
    context = {
        "form": form,
        "stopped": stopped,
        "elsewhere": notifications.elsewhere_for(request.user),
        "sections": notifications.sections(request),
    }
    return render(request, "accounts/notifications.html", context)


@require_POST
@login_required
def stop_all(request):
    """The settings page's "Stop all emails" (and "Turn emails back on") button."""
    if request.POST.get("resume"):
        actions.resume_emails(request.user)
        messages.success(request, "Emails are back on, as chosen below.")
    else:
        actions.stop_all_emails(request.user)
        messages.success(request, "All emails are stopped. Account emails (password reset) still come.")
    return redirect("accounts:notifications")


@csrf_exempt  # the signed token is the credential; one-click POSTs from mail clients carry no CSRF token
@require_http_methods(["GET", "POST"])
def stop_all_emails(request, token: str):
    """Every customer email's footer link: GET shows a button (a mail scanner that opens
    links stops nothing), POST stops all emails, without signing in (RFC 8058)."""
    user_id = notifications.read_stop_all_token(token)
    person = User.objects.filter(pk=user_id, is_active=True).first() if user_id else None
    if person is None:
        return render(request, "accounts/stop_all.html", {"invalid": True}, status=404)
    if request.method == "POST":
        actions.stop_all_emails(person)
        return render(request, "accounts/stop_all.html", {"done": True})
    return render(request, "accounts/stop_all.html", {"token": token})
