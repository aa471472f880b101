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


@pytest.mark.parametrize("value", ["0", "10"])
def test_a_gzip_level_outside_1_to_9_refuses_to_start(monkeypatch, value):
    # 10: Python's gzip would raise on every page; 0: it stores, compressing nothing.
    monkeypatch.setenv("PAGE_GZIP_LEVEL", value)
    with pytest.raises(ImproperlyConfigured, match=f"PAGE_GZIP_LEVEL must be a gzip level from 1 to 9, not {value}"):
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
    content = ("fragments", "pages", "reader_pages", "reader_fragments", "results")
    assert {name: on["CACHES"][name]["BACKEND"].rpartition(".")[2] for name in content} == {
        "fragments": "StringCache",
        "pages": "LocMemCache",
        "reader_pages": "LocMemCache",
        "reader_fragments": "StringCache",
        "results": "LocMemCache",
    }
    monkeypatch.setenv("CONTENT_CACHES", "0")
    off = runpy.run_path(str(SETTINGS_FILE))
    assert off["CONTENT_CACHES"] is False
    assert {off["CACHES"][name]["BACKEND"] for name in content} == {"django.core.cache.backends.dummy.DummyCache"}
    monkeypatch.setenv("CONTENT_CACHES", "sometimes")
    with pytest.raises(ImproperlyConfigured, match="CONTENT_CACHES must be true or false"):
        runpy.run_path(str(SETTINGS_FILE))


POSTGRES = "postgres://postgres@127.0.0.1:5432/writing_guide"


def test_postgresql_gets_a_pool_of_8_connections_per_worker_by_default(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", POSTGRES)
    monkeypatch.delenv("DATABASE_POOL_SIZE", raising=False)
    monkeypatch.delenv("CONN_MAX_AGE", raising=False)
    database = runpy.run_path(str(SETTINGS_FILE))["DATABASES"]["default"]
    assert database["OPTIONS"]["pool"] == {"min_size": 1, "max_size": 8, "timeout": 3}
    assert database["CONN_MAX_AGE"] == 0


def test_a_pool_size_of_0_opens_a_connection_per_request(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", POSTGRES)
    monkeypatch.setenv("DATABASE_POOL_SIZE", "0")
    assert "pool" not in runpy.run_path(str(SETTINGS_FILE))["DATABASES"]["default"]["OPTIONS"]


def test_kept_connections_and_the_pool_together_refuse_to_start(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", POSTGRES)
    monkeypatch.setenv("CONN_MAX_AGE", "60")
    monkeypatch.delenv("DATABASE_POOL_SIZE", raising=False)
    with pytest.raises(ImproperlyConfigured, match="CONN_MAX_AGE must be 0 with the connection pool"):
        runpy.run_path(str(SETTINGS_FILE))
