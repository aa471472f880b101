"""/healthz (the balancer's cheap check) and /readyz (readiness: the database and the shared cache).

Each answers 200 when what it checks works and 503 with Retry-After, in plain text naming what
failed, when it does not; neither is ever cached.
"""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import OperationalError, connection

pytestmark = pytest.mark.django_db

NOTHING_LISTENS = "redis://127.0.0.1:6399/0"


def assert_unavailable(response, text):
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/plain")
    assert response["Retry-After"].isdigit()
    assert text in response.content.decode()


def assert_never_cached(response):
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("url", ["/healthz", "/readyz"])
def test_it_says_ok_when_everything_works(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert_never_cached(response)


def test_readyz_names_each_check(client):
    assert client.get("/readyz").content.decode() == "database: ok\ncache: ok\n"


@pytest.mark.parametrize("url", ["/healthz", "/readyz"])
def test_it_rejects_post(client, url):
    assert client.post(url).status_code == 405


def test_readyz_says_the_cache_is_unavailable_when_redis_does_not_answer(client, settings):
    redis = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": NOTHING_LISTENS}
    settings.CACHES = {**settings.CACHES, "default": redis}
    response = client.get("/readyz")
    assert_unavailable(response, "database: ok\ncache: unavailable (ConnectionError)\n")
    assert_never_cached(response)
    assert client.get("/healthz").status_code == 200  # the balancer's check does not use the cache


def test_readyz_says_the_cache_is_unavailable_when_a_value_does_not_read_back(client, settings):
    settings.CACHES = {**settings.CACHES, "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    assert_unavailable(client.get("/readyz"), "cache: unavailable (a value written could not be read back)")


@pytest.mark.parametrize("url", ["/healthz", "/readyz"])
def test_it_says_the_database_is_unavailable_when_a_query_fails(client, settings, monkeypatch, url):
    settings.CACHES = {**settings.CACHES, "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

    def unreachable(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")

    monkeypatch.setattr(connection, "cursor", unreachable)
    response = client.get(url)
    monkeypatch.undo()
    assert_unavailable(response, "database unavailable" if url == "/healthz" else "database: unavailable")
    assert "127.0.0.1" not in response.content.decode()  # the details go to the log, not to anyone asking


PROBE = """
from django.conf import settings
from django.test import Client
plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # no collectstatic here
settings.STORAGES = dict(settings.STORAGES, staticfiles=plain)
client = Client()
for url in ("/healthz", "/readyz", "/lessons/"):
    response = client.get(url)
    print(url, response.status_code, response.get("Retry-After"), response.content.decode()[:90].replace("\\n", "|"))
"""


def test_a_missing_sqlite_file_fails_both_checks_and_is_not_created(tmp_path):
    """The production settings in a process of their own, pointed at an SQLite file that is not there."""
    path = tmp_path / "not-mounted" / "guide.sqlite3"
    path.parent.mkdir()
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{path}", "REDIS_URL": "", "DEBUG": "0"}
    result = subprocess.run(  # noqa: S603 (fixed arguments)
        [sys.executable, "manage.py", "shell", "-c", PROBE],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()[-3:]
    assert lines[0] == "/healthz 503 30 database unavailable|"
    assert lines[1] == "/readyz 503 30 database: unavailable (OperationalError)|cache: unavailable (OperationalError)|"
    assert lines[2].startswith("/lessons/ 503 30 <!doctype html>")
    assert not path.exists()
