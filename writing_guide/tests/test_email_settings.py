"""Email settings come from the environment, parsed strictly like the rest of settings.py."""

import runpy

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

SETTINGS_FILE = settings.BASE_DIR / "writing_guide" / "settings.py"
EMAIL_VARIABLES = ("EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD", "EMAIL_USE_TLS")


def settings_with(monkeypatch, **env):
    for name in (*EMAIL_VARIABLES, "DEFAULT_FROM_EMAIL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


def test_development_prints_email_on_the_console(monkeypatch):
    assert settings_with(monkeypatch, DEBUG="1")["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


def test_production_without_a_mail_server_sends_nothing(monkeypatch):
    assert settings_with(monkeypatch, DEBUG="0")["EMAIL_BACKEND"] == "django.core.mail.backends.dummy.EmailBackend"


def test_production_with_a_mail_server_sends_through_it(monkeypatch):
    values = settings_with(
        monkeypatch,
        DEBUG="0",
        EMAIL_HOST="smtp.example.org",
        EMAIL_PORT="465",
        EMAIL_HOST_USER="app",
        EMAIL_HOST_PASSWORD="secret",  # noqa: S106
        EMAIL_USE_TLS="no",
        DEFAULT_FROM_EMAIL="Writing <noreply@example.org>",
    )
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (values["EMAIL_HOST"], values["EMAIL_PORT"], values["EMAIL_USE_TLS"]) == ("smtp.example.org", 465, False)
    assert values["DEFAULT_FROM_EMAIL"] == "Writing <noreply@example.org>"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"EMAIL_PORT": "smtp"}, "EMAIL_PORT must be a whole number"),
        ({"EMAIL_USE_TLS": "maybe"}, "EMAIL_USE_TLS must be true or false"),
        ({"EMAIL_HOST": "smtp.example.org"}, "DEFAULT_FROM_EMAIL must be the address"),
        ({"EMAIL_HOST": "smtp.example.org", "DEFAULT_FROM_EMAIL": "nobody"}, "DEFAULT_FROM_EMAIL must be the address"),
        ({"EMAIL_HOST_PASSWORD": "secret"}, "EMAIL_HOST_USER is not"),
    ],
    ids=["port not a number", "TLS not a yes or no", "no sender", "sender not an address", "password without user"],
)
def test_a_bad_email_setting_stops_start_up_naming_the_variable(monkeypatch, env, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        settings_with(monkeypatch, DEBUG="0", **env)
