"""Failed log-ins and wrong join codes are throttled per account and per address, in a store
every worker shares (the database cache, or Redis when REDIS_URL is set)."""

import os
import socket
import subprocess
import sys
import uuid

import pytest
from django.conf import settings

from courses.views import TOO_MANY_CODES
from exercises.account_views import TOO_MANY_LOGINS
from writing_guide.testing import PASSWORD
from writing_guide.throttle import JOIN_CODE, LOGIN

LOGIN_URL = "/accounts/login/"
JOIN_URL = "/courses/join/"


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    # Fifty failed log-ins with the production hasher take a minute; the throttle doesn't care.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _log_in(client, username, password, address):
    return client.post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=address)


def _join(client, code, address):
    return client.post(JOIN_URL, {"code": code}, REMOTE_ADDR=address)


@pytest.mark.django_db
def test_an_account_is_blocked_after_its_failed_logins_even_with_the_right_password(client, make):
    make.user("alice")
    for _ in range(LOGIN.per_account_limit):
        assert _log_in(client, "alice", "wrong", "198.51.100.1").status_code == 400
    response = _log_in(client, "alice", PASSWORD, "198.51.100.2")
    assert response.status_code == 429
    assert TOO_MANY_LOGINS in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_account_limit_ignores_the_case_of_the_username(client, make):
    make.user("alice")
    for index in range(LOGIN.per_account_limit):
        _log_in(client, "ALICE" if index % 2 else "alice", "wrong", f"198.51.100.{index}")
    assert _log_in(client, "Alice", PASSWORD, "198.51.100.99").status_code == 429


@pytest.mark.django_db
def test_one_students_typos_do_not_lock_out_a_classmate_on_the_same_address(client, make):
    make.user("alice")
    make.user("bob")
    for _ in range(LOGIN.per_account_limit):
        _log_in(client, "alice", "wrong", "192.0.2.10")
    assert _log_in(client, "bob", PASSWORD, "192.0.2.10").status_code == 302


@pytest.mark.django_db
def test_an_address_is_blocked_for_every_account_after_its_failed_logins(client, make):
    make.user("victim")
    assert LOGIN.per_address_limit > LOGIN.per_account_limit
    for index in range(LOGIN.per_address_limit):
        assert _log_in(client, f"guess-{index}", "wrong", "203.0.113.5").status_code == 400
    response = _log_in(client, "victim", PASSWORD, "203.0.113.5")
    assert response.status_code == 429
    assert TOO_MANY_LOGINS in response.content.decode()
    assert _log_in(client, "victim", PASSWORD, "203.0.113.6").status_code == 302


@pytest.mark.django_db
def test_a_successful_login_clears_the_accounts_failures(client, make):
    make.user("alice")
    for _ in range(LOGIN.per_account_limit - 1):
        _log_in(client, "alice", "wrong", "198.51.100.7")
    assert _log_in(client, "alice", PASSWORD, "198.51.100.7").status_code == 302
    client.logout()
    for _ in range(LOGIN.per_account_limit - 1):
        _log_in(client, "alice", "wrong", "198.51.100.7")
    assert _log_in(client, "alice", PASSWORD, "198.51.100.7").status_code == 302


@pytest.mark.django_db
def test_an_account_is_blocked_after_its_wrong_join_codes(client, student, course):
    client.force_login(student)
    for _ in range(JOIN_CODE.per_account_limit):
        assert _join(client, "WRONG-CODE", "198.51.100.20").status_code == 404
    response = _join(client, course.join_code, "198.51.100.21")
    assert response.status_code == 429
    assert TOO_MANY_CODES in response.content.decode()
    assert not course.memberships.filter(user=student).exists()


@pytest.mark.django_db
def test_an_address_is_blocked_for_every_account_after_its_wrong_join_codes(client, make, course):
    guessers = [
        make.user(f"guesser-{index}") for index in range(JOIN_CODE.per_address_limit // JOIN_CODE.per_account_limit)
    ]
    for guesser in guessers:
        client.force_login(guesser)
        for _ in range(JOIN_CODE.per_account_limit):
            assert _join(client, "WRONG-CODE", "203.0.113.20").status_code == 404
    newcomer = make.user("newcomer")
    client.force_login(newcomer)
    response = _join(client, course.join_code, "203.0.113.20")
    assert response.status_code == 429
    assert TOO_MANY_CODES in response.content.decode()
    assert _join(client, course.join_code, "203.0.113.21").status_code == 302
    assert course.memberships.filter(user=newcomer).exists()


# Across processes: what one process (a gunicorn worker) records, another one sees.

RECORD = (
    "from writing_guide.throttle import LOGIN\n"
    "for _ in range(LOGIN.per_account_limit): LOGIN.record_failure(account={account!r}, address={address!r})\n"
)
PROBE = (
    # Pages need no collected static files here (a fresh clone has none), as in the test process.
    "from django.conf import settings\n"
    "settings.STORAGES = dict(settings.STORAGES, "
    "staticfiles={{'BACKEND': 'django.contrib.staticfiles.storage.StaticFilesStorage'}})\n"
    "from django.test import Client\n"
    "data = {{'username': {account!r}, 'password': 'x'}}\n"
    "response = Client().post('/accounts/login/', data, REMOTE_ADDR={other!r})\n"
    "print('STATUS', response.status_code)\n"
)


def _manage(environment, *arguments):
    result = subprocess.run(  # noqa: S603 (fixed arguments)
        [sys.executable, "manage.py", *arguments],
        cwd=settings.BASE_DIR,
        env={**os.environ, **environment},
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_failures_recorded_by_one_process_block_another_through_the_database_cache(tmp_path):
    environment = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'shared.sqlite3'}",
        "REDIS_URL": "",
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "testserver",
    }
    _manage(environment, "migrate", "--no-input", "-v0")
    _manage(environment, "createcachetable")
    account, address = "victim", "203.0.113.30"
    _manage(environment, "shell", "-c", RECORD.format(account=account, address=address))
    output = _manage(environment, "shell", "-c", PROBE.format(account=account, other="203.0.113.31"))
    assert "STATUS 429" in output


def _redis_reachable():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.mark.django_db
@pytest.mark.skipif(not _redis_reachable(), reason="no Redis at 127.0.0.1:6379")
def test_failures_recorded_by_another_process_block_this_one_through_redis(client, settings, tmp_path):
    redis_url = "redis://127.0.0.1:6379/11"  # a database of its own; keys are unique and removed below
    account, address = f"victim-{uuid.uuid4().hex}", f"203.0.113.{uuid.uuid4().int % 200 + 40}"
    environment = {"DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}", "REDIS_URL": redis_url}
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}}
    try:
        _manage(environment, "shell", "-c", RECORD.format(account=account, address=address))
        assert LOGIN.is_blocked(account=account)
        response = _log_in(client, account, "x", "198.51.100.200")
        assert response.status_code == 429
        assert TOO_MANY_LOGINS in response.content.decode()
    finally:
        LOGIN.reset(account=account, address=address)
    assert not LOGIN.is_blocked(account=account, address=address)
