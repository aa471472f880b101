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
