"""A user's choice about questions: an email for each answer to theirs (off by default)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from questions import notifications
from questions.models import Preferences

NO_EMAIL_BACKEND = "no-backend"
NO_ADDRESS = "no-address"


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = Preferences
        fields = ["email_answers"]
        labels = {"email_answers": "Email me when someone answers my question"}


def _why_no_email(user):
    """Why answers cannot be emailed to `user` (a reason the page explains), or None when they can."""
    if not notifications.email_is_on():
        return NO_EMAIL_BACKEND
    if not user.email:
        return NO_ADDRESS
    return None


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def preferences(request):
    # No row until the user saves a choice: the default (no email) needs none.
    chosen = Preferences.objects.filter(user=request.user).first() or Preferences(user=request.user)
    why_not = _why_no_email(request.user)
    form = PreferencesForm(request.POST if request.method == "POST" else None, instance=chosen)
    if form.is_bound and form.is_valid():
        if why_not and form.cleaned_data["email_answers"]:
            form.add_error("email_answers", "This site cannot email you yet (see above), so nothing was changed.")
        else:
            form.save()
            if chosen.email_answers:
                messages.success(request, f"Each new answer to your questions will be emailed to {request.user.email}.")
            else:
                messages.success(request, "No emails about answers: new ones show on your progress page.")
            return redirect("question_preferences")
    context = {"form": form, "why_not": why_not, "NO_EMAIL_BACKEND": NO_EMAIL_BACKEND, "nav": "account"}
    return render(request, "questions/preferences.html", context, status=400 if form.is_bound else 200)
