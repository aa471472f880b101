from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from exercises.forms import SignupForm
from exercises.learners import claim_anonymous_attempts
from writing_guide.throttle import LOGIN, client_address

TOO_MANY_LOGINS = "Too many failed log-ins. Please wait 15 minutes before trying again."


def _next_url(request, default="progress"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def signup(request):
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user)
        claim_anonymous_attempts(request, user)
        messages.success(request, "Welcome! Your account is ready, and any attempts you made are in it.")
        return redirect(_next_url(request))
    status = 400 if request.method == "POST" else 200
    return render(request, "registration/signup.html", {"form": form, "next": _next_url(request, "")}, status=status)


@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def login_view(request):
    form = AuthenticationForm(request, request.POST or None)
    if request.method == "POST":
        keys = {"account": request.POST.get("username", "").lower(), "address": client_address(request)}
        if LOGIN.is_blocked(**keys):
            return render(request, "registration/login.html", {"form": form, "throttled": TOO_MANY_LOGINS}, status=429)
        if form.is_valid():
            user = form.get_user()
            login(request, user)
            claim_anonymous_attempts(request, user)
            LOGIN.reset(account=keys["account"])
            return redirect(_next_url(request))
        LOGIN.record_failure(**keys)
        return render(request, "registration/login.html", {"form": form, "next": _next_url(request, "")}, status=400)
    return render(request, "registration/login.html", {"form": form, "next": _next_url(request, "")})


@require_POST
def logout_view(request):
    logout(request)
    messages.info(request, "You are logged out.")
    return redirect("home")


@login_required
@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        messages.success(request, "Your password is changed.")
        return redirect("progress")
    status = 400 if request.method == "POST" else 200
    return render(request, "registration/password_change.html", {"form": form}, status=status)
