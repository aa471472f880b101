from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from exercises.accounts import normalise_username, remember_signup
from exercises.forms import ChangePasswordForm, EmailForm, NewPasswordForm, SignupForm
from exercises.learners import claim_anonymous_attempts
from writing_guide.throttle import LOGIN, PASSWORD_RESET, SIGNUP, client_address, too_many

TOO_MANY_LOGINS = "Too many failed log-ins to this account from here."
TOO_MANY_RESETS = "Too many reset requests."
TOO_MANY_SIGNUPS = "Too many new accounts from your network in the last few minutes."
EMAIL_OFF = "django.core.mail.backends.dummy.EmailBackend"


def _next_url(request, default="start"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def signup(request):
    form = SignupForm(request.POST or None)
    if request.method == "POST":
        # Every sign-up counts, valid or not: each one can cost a password hash.
        address = client_address(request)
        wait = SIGNUP.retry_after(address=address)
        if wait:
            return too_many(request, TOO_MANY_SIGNUPS, wait)
        SIGNUP.record(address=address)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            # The first backend (settings: the others are there for sessions signed in before it).
            login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
            claim_anonymous_attempts(request, user)
        target = _next_url(request, "")
        if target:
            remember_signup(request, target)
        messages.success(request, "Welcome! Your account is ready, and any attempts you made are in it.")
        return redirect(target or "start")
    status = 400 if request.method == "POST" else 200
    return render(request, "registration/signup.html", {"form": form, "next": _next_url(request, "")}, status=status)


@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def login_view(request):
    form = AuthenticationForm(request, request.POST or None)
    if request.method == "POST":
        keys = {"account": normalise_username(request.POST.get("username", "")), "address": client_address(request)}
        wait = LOGIN.retry_after(**keys)
        if wait:
            return too_many(request, TOO_MANY_LOGINS, wait, offer_reset=True)
        if form.is_valid():
            user = form.get_user()
            login(request, user)
            claim_anonymous_attempts(request, user)
            LOGIN.forget(**keys)
            return redirect(_next_url(request))
        LOGIN.record(**keys)
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
    form = ChangePasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        messages.success(request, "Your password is changed.")
        return redirect("account")
    status = 400 if request.method == "POST" else 200
    return render(request, "registration/password_change.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def account(request):
    form = EmailForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        if form.cleaned_data["email"]:
            messages.success(request, f"Password-reset links will go to {form.cleaned_data['email']}.")
        else:
            messages.success(request, "Your account has no email now.")
        return redirect("account")
    status = 400 if request.method == "POST" else 200
    return render(request, "registration/account.html", {"form": form, "nav": "account"}, status=status)


@require_http_methods(["GET", "POST"])
def password_reset(request):
    """Email a reset link. The answer never says whether an account has the address typed."""
    if settings.EMAIL_BACKEND == EMAIL_OFF:
        return render(request, "registration/password_reset_form.html", {"email_off": True})
    form = PasswordResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        keys = {"account": form.cleaned_data["email"].lower(), "address": client_address(request)}
        wait = PASSWORD_RESET.retry_after(**keys)
        if wait:
            return too_many(request, TOO_MANY_RESETS, wait)
        PASSWORD_RESET.record(**keys)
        form.save(
            request=request,
            use_https=request.is_secure(),
            subject_template_name="registration/password_reset_subject.txt",
            email_template_name="registration/password_reset_email.txt",
        )
        return redirect("password_reset_done")
    status = 400 if request.method == "POST" else 200
    return render(request, "registration/password_reset_form.html", {"form": form}, status=status)


@require_safe
def password_reset_done(request):
    return render(request, "registration/password_reset_done.html")


class _PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        # The log-in lock-out page sends a locked-out owner here: a new password ends the lock-out.
        keys = {"address": client_address(self.request), "account": normalise_username(form.user.get_username())}
        LOGIN.forget(**keys)
        return super().form_valid(form)


# Django's own view checks the link's token and moves it from the URL into the session before
# showing the form, so the token cannot leak through the Referer header: worth not rewriting.
password_reset_confirm = _PasswordResetConfirm.as_view(
    template_name="registration/password_reset_confirm.html",
    form_class=NewPasswordForm,
    success_url=reverse_lazy("password_reset_complete"),
)


@require_safe
def password_reset_complete(request):
    return render(request, "registration/password_reset_complete.html")
