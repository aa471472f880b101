"""Settings refuse values that would make production unsafe, with a message that says the fix."""

import runpy

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

SETTINGS_FILE = settings.BASE_DIR / "writing_guide" / "settings.py"


def test_a_short_secret_key_refuses_to_start(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 49)
    with pytest.raises(ImproperlyConfigured, match="49 characters long; use at least 50"):
        runpy.run_path(str(SETTINGS_FILE))


def test_a_secret_key_of_50_characters_starts(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    assert runpy.run_path(str(SETTINGS_FILE))["SECRET_KEY"] == "x" * 50


@pytest.mark.parametrize(("value", "message"), [("-1", "must be 0 or more"), ("two", "must be a whole number")])
def test_a_trusted_proxy_count_that_is_not_a_count_refuses_to_start(monkeypatch, value, message):
    monkeypatch.setenv("TRUSTED_PROXY_COUNT", value)
    with pytest.raises(ImproperlyConfigured, match=f"TRUSTED_PROXY_COUNT {message}"):
        runpy.run_path(str(SETTINGS_FILE))


def test_the_trusted_proxy_count_defaults_to_none_and_reads_a_number(monkeypatch):
    monkeypatch.delenv("TRUSTED_PROXY_COUNT", raising=False)
    assert runpy.run_path(str(SETTINGS_FILE))["TRUSTED_PROXY_COUNT"] == 0
    monkeypatch.setenv("TRUSTED_PROXY_COUNT", "2")
    assert runpy.run_path(str(SETTINGS_FILE))["TRUSTED_PROXY_COUNT"] == 2


def test_the_content_caches_are_on_by_default_and_content_caches_0_turns_them_all_off(monkeypatch):
    monkeypatch.delenv("CONTENT_CACHES", raising=False)
    on = runpy.run_path(str(SETTINGS_FILE))
    assert on["CONTENT_CACHES"] is True
    assert on["CACHES"]["fragments"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    monkeypatch.setenv("CONTENT_CACHES", "0")
    off = runpy.run_path(str(SETTINGS_FILE))
    assert off["CONTENT_CACHES"] is False
    assert off["CACHES"]["fragments"]["BACKEND"] == "django.core.cache.backends.dummy.DummyCache"
    monkeypatch.setenv("CONTENT_CACHES", "sometimes")
    with pytest.raises(ImproperlyConfigured, match="CONTENT_CACHES must be true or false"):
        runpy.run_path(str(SETTINGS_FILE))
