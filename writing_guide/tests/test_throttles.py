"""Throttles slow down guessing and floods without locking out anyone who shares the guesser's
address, answer 429 with Retry-After and a page in our words, and keep working without Redis.

Counts live in a store every worker shares (the database cache, or Redis when REDIS_URL is set).
Time is the throttle module's `clock`, which these tests move on instead of waiting.
"""

import logging
import os
import subprocess
import sys
import uuid

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.tokens import default_token_generator
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from courses.views import TOO_MANY_CODES
from exercises.account_views import TOO_MANY_LOGINS, TOO_MANY_SIGNUPS
from exercises.accounts import normalise_username
from testing import servers
from testing.factory import PASSWORD
from writing_guide import throttle
from writing_guide.throttle import JOIN_CODE, LOGIN, SIGNUP, client_address

LOGIN_URL = "/accounts/login/"
JOIN_URL = "/courses/join/"
CAMPUS = "192.0.2.10"
ORIGINAL_CACHES = dict(django_settings.CACHES)
# A moment at the start of an hour, so every window (15 min, 1 h) starts now.
START = 1_800_000_000 - 1_800_000_000 % 3600


class Clock:
    def __init__(self):
        self.now = float(START)

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += seconds


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(throttle, "clock", clock)
    yield clock
    throttle.store.start_afresh()


def _log_in(client, username, password, address, **headers):
    return client.post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=address, **headers)


def _fail_until_refused(client, username, address):
    """Wrong passwords until the throttle answers 429; the number of 400s before it."""
    for failures in range(100):
        if _log_in(client, username, "wrong", address).status_code == 429:
            return failures
    raise AssertionError("never throttled")


def _join(client, code, address):
    return client.post(JOIN_URL, {"code": code}, REMOTE_ADDR=address)


# Which account a log-in counts against: the username as authentication reads it.

VARIANTS = ["alice", "ALICE", "alice ", " alice", "alice\t", "alice\u00a0", "ａｌｉｃｅ", "ａlice  ", "Ａｌｉｃｅ"]


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_spelling_that_logs_in_as_alice_is_counted_as_alice(variant):
    assert normalise_username(variant) == "alice"


@pytest.mark.django_db
@pytest.mark.parametrize("variant", VARIANTS[1:])
def test_a_variant_of_the_username_does_not_get_a_fresh_budget(client, make, variant):
    make.user("alice")
    assert _fail_until_refused(client, "alice", "198.51.100.1") == LOGIN.free_failures + 1
    response = _log_in(client, variant, PASSWORD, "198.51.100.1")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_variants_share_one_budget_between_them(client, make):
    make.user("alice")
    for variant in VARIANTS[: LOGIN.free_failures + 1]:
        assert _log_in(client, variant, "wrong", "198.51.100.1").status_code == 400
    assert _log_in(client, "alice", PASSWORD, "198.51.100.1").status_code == 429


# Per (address, account): a few free tries, then waits that double.


@pytest.mark.django_db
def test_a_pair_gets_free_tries_then_waits_that_double_answered_429_with_retry_after(client, make, clock):
    make.user("alice")
    for _ in range(LOGIN.free_failures + 1):
        assert _log_in(client, "alice", "wrong", CAMPUS).status_code == 400
    for wait in (15, 30, 60, 120):
        response = _log_in(client, "alice", PASSWORD, CAMPUS)
        assert response.status_code == 429
        assert response["Retry-After"] == str(wait)
        clock.advance(wait - 1)
        assert _log_in(client, "alice", PASSWORD, CAMPUS)["Retry-After"] == "1"
        clock.advance(1)
        assert _log_in(client, "alice", "wrong", CAMPUS).status_code == 400


def test_the_wait_stops_doubling_at_15_minutes():
    waits = [LOGIN.wait_after(failures) for failures in range(1, 40)]
    assert waits[: LOGIN.free_failures] == [0] * LOGIN.free_failures
    assert waits[LOGIN.free_failures : LOGIN.free_failures + 3] == [15, 30, 60]
    assert max(waits) == waits[-1] == 15 * 60


@pytest.mark.django_db
def test_the_throttled_page_says_how_long_to_wait_and_offers_a_reset_by_email(client, make):
    make.user("alice")
    _fail_until_refused(client, "alice", CAMPUS)
    response = _log_in(client, "alice", PASSWORD, CAMPUS)
    page = response.content.decode()
    assert TOO_MANY_LOGINS in page
    assert "You can try again in 15 seconds." in page
    assert f'href="{reverse("password_reset")}"' in page


@pytest.mark.django_db
def test_a_pair_that_stays_quiet_for_a_window_after_its_wait_starts_afresh(client, make, clock):
    make.user("alice")
    _fail_until_refused(client, "alice", CAMPUS)
    clock.advance(15 + LOGIN.window_seconds)
    assert _fail_until_refused(client, "alice", CAMPUS) == LOGIN.free_failures + 1


@pytest.mark.django_db
def test_the_right_password_clears_the_accounts_failures(client, make):
    make.user("alice")
    for _ in range(LOGIN.free_failures):
        _log_in(client, "alice", "wrong", CAMPUS)
    assert _log_in(client, "alice", PASSWORD, CAMPUS).status_code == 302
    client.logout()
    for _ in range(LOGIN.free_failures):
        assert _log_in(client, "alice", "wrong", CAMPUS).status_code == 400
    assert _log_in(client, "alice", PASSWORD, CAMPUS).status_code == 302


# Per account: guessing from many addresses locks the account for those addresses only.


def _lock_from_many_addresses(client, username):
    addresses = [f"203.0.113.{index}" for index in range(LOGIN.account_limit)]
    for address in addresses:
        assert _log_in(client, username, "wrong", address).status_code == 400
    return addresses


@pytest.mark.django_db
def test_a_locked_account_refuses_the_addresses_that_failed_until_the_window_ends(client, make, clock):
    make.user("alice")
    addresses = _lock_from_many_addresses(client, "alice")
    clock.advance(100)
    response = _log_in(client, "alice", PASSWORD, addresses[0])
    assert response.status_code == 429
    assert response["Retry-After"] == str(LOGIN.window_seconds - 100)
    assert "You can try again in 14 minutes." in response.content.decode()
    clock.advance(LOGIN.window_seconds - 100)
    assert _log_in(client, "alice", PASSWORD, addresses[0]).status_code == 302


@pytest.mark.django_db
def test_a_locked_account_still_lets_its_owner_in_from_an_address_that_has_not_failed(client, make):
    make.user("alice")
    _lock_from_many_addresses(client, "alice")
    assert _log_in(client, "alice", PASSWORD, "198.51.100.77").status_code == 302


@pytest.mark.django_db
def test_a_new_password_from_a_reset_link_ends_the_lockout(client, make):
    alice = make.user("alice")
    addresses = _lock_from_many_addresses(client, "alice")
    link = reverse("password_reset_confirm", args=[urlsafe_base64_encode(force_bytes(alice.pk)), "token"])
    link = link.replace("token", default_token_generator.make_token(alice))
    form = client.get(link, follow=True, REMOTE_ADDR=addresses[0])
    new = "a-fresh-pass-phrase-77"
    data = {"new_password1": new, "new_password2": new}
    client.post(form.redirect_chain[-1][0], data, REMOTE_ADDR=addresses[0])
    assert _log_in(client, "alice", new, addresses[0]).status_code == 302


# Per address: nothing that locks out the others behind one address.


@pytest.mark.django_db
def test_one_student_typing_many_wrong_passwords_does_not_lock_out_the_other_99(client, make):
    classmates = [make.user(f"student-{index}") for index in range(99)]
    make.user("clumsy")
    _fail_until_refused(client, "clumsy", CAMPUS)
    for index in range(60):  # a script guessing other accounts from the same address
        _log_in(client, f"student-{index % 20}", "wrong", CAMPUS)
    for classmate in classmates:
        assert _log_in(Client(), classmate.username, PASSWORD, CAMPUS).status_code == 302


@pytest.mark.django_db
def test_one_students_typos_do_not_lock_out_a_classmate_on_the_same_address(client, make):
    make.user("alice")
    make.user("bob")
    _fail_until_refused(client, "alice", CAMPUS)
    assert _log_in(client, "bob", PASSWORD, CAMPUS).status_code == 302


# The client's address, through TRUSTED_PROXY_COUNT proxies.

ADDRESS_CASES = [
    # proxies, X-Forwarded-For (None: no header), the address counted
    (0, None, "10.0.0.1"),
    (0, "203.0.113.9", "10.0.0.1"),  # no proxy: the header is the client's own invention
    (1, "198.51.100.7", "198.51.100.7"),
    (1, "203.0.113.9, 198.51.100.7", "198.51.100.7"),  # spoofed entry on the left
    (2, "203.0.113.9, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
    (2, "198.51.100.7,10.0.0.2", "198.51.100.7"),
    (1, "2001:db8::1", "2001:db8::1"),
    (1, None, "10.0.0.1"),  # header missing: the proxy's own address
    (2, "198.51.100.7", "10.0.0.1"),  # too short
    (1, "203.0.113.9, not-an-address", "10.0.0.1"),
    (1, "203.0.113.9, ", "10.0.0.1"),
    (1, "198.51.100.7\x00", "10.0.0.1"),
]


@pytest.mark.parametrize(("proxies", "forwarded", "expected"), ADDRESS_CASES)
def test_the_client_address_is_read_through_the_trusted_proxies_only(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    headers = {} if forwarded is None else {"HTTP_X_FORWARDED_FOR": forwarded}
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", **headers)
    assert client_address(request) == expected


@pytest.mark.django_db
def test_behind_one_proxy_a_locked_out_guesser_does_not_lock_out_the_owner(client, make, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    make.user("alice")
    balancer = "10.0.0.1"
    # The guesser writes the owner's address into the header; the balancer appends the real one.
    for _ in range(LOGIN.account_limit):
        _log_in(client, "alice", "wrong", balancer, HTTP_X_FORWARDED_FOR="198.51.100.50, 203.0.113.66")
    spoofed = _log_in(client, "alice", PASSWORD, balancer, HTTP_X_FORWARDED_FOR="198.51.100.50, 203.0.113.66")
    assert spoofed.status_code == 429
    owner = _log_in(Client(), "alice", PASSWORD, balancer, HTTP_X_FORWARDED_FOR="198.51.100.50")
    assert owner.status_code == 302


@pytest.mark.django_db
def test_without_trusted_proxies_a_forged_header_gets_no_fresh_budget(client, make):
    make.user("alice")
    _fail_until_refused(client, "alice", CAMPUS)
    response = _log_in(client, "alice", PASSWORD, CAMPUS, HTTP_X_FORWARDED_FOR="198.51.100.99")
    assert response.status_code == 429


def test_ipv6_clients_are_counted_by_their_64_network():
    keys = [JOIN_CODE._keys(f"2001:db8:1:2::{suffix}", "", START)["address"] for suffix in ("1", "abcd")]
    assert keys[0] == keys[1]
    assert JOIN_CODE._keys("2001:db8:1:3::1", "", START)["address"] != keys[0]


# Sign-up and join codes.


def _sign_up(client, username, address):
    data = {"username": username, "password1": "a-fresh-pass-phrase-77", "password2": "a-fresh-pass-phrase-77"}
    return client.post(reverse("signup"), data, REMOTE_ADDR=address)


@pytest.mark.django_db
def test_a_class_of_100_signs_up_and_joins_from_one_address_within_ten_minutes(make, instructor, clock):
    course = make.course(instructor, "Writing 101")
    for index in range(100):
        clock.advance(6)
        student = Client()
        assert _sign_up(student, f"student-{index}", CAMPUS).status_code == 302
        assert _join(student, "WRONGCODE2", CAMPUS).status_code == 404  # everyone mistypes once
        assert _join(student, course.join_code, CAMPUS).status_code == 302
    assert course.memberships.filter(role="student").count() == 100


@pytest.mark.django_db
def test_a_flood_of_signups_from_one_address_gets_429_with_retry_after(client, django_user_model, clock):
    for _ in range(SIGNUP.address_limit):
        SIGNUP.record(address=CAMPUS)
    clock.advance(60)
    response = _sign_up(client, "one-too-many", CAMPUS)
    assert response.status_code == 429
    assert response["Retry-After"] == str(SIGNUP.window_seconds - 60)
    assert TOO_MANY_SIGNUPS in response.content.decode()
    assert not django_user_model.objects.filter(username="one-too-many").exists()
    assert _sign_up(client, "from-elsewhere", "198.51.100.3").status_code == 302


@pytest.mark.django_db
def test_a_student_is_slowed_down_after_a_few_wrong_join_codes(client, student, course):
    client.force_login(student)
    statuses = [_join(client, f"WRONG{index:05d}", CAMPUS).status_code for index in range(JOIN_CODE.free_failures + 2)]
    assert statuses == [404] * (JOIN_CODE.free_failures + 1) + [429]
    response = _join(client, course.join_code, CAMPUS)
    assert response.status_code == 429
    assert response["Retry-After"] == "15"
    assert TOO_MANY_CODES in response.content.decode()
    assert course.role_of(student) is None


@pytest.mark.django_db
def test_an_account_is_stopped_after_its_wrong_join_codes_from_any_address(client, student, course, clock):
    client.force_login(student)
    for index in range(JOIN_CODE.account_limit):
        assert _join(client, "WRONG-CODE", f"203.0.113.{index}").status_code == 404
    response = _join(client, course.join_code, "198.51.100.21")
    assert response.status_code == 429
    assert response["Retry-After"] == str(JOIN_CODE.window_seconds)
    clock.advance(JOIN_CODE.window_seconds)
    assert _join(client, course.join_code, "198.51.100.21").status_code == 302


@pytest.mark.django_db
def test_a_flood_of_wrong_join_codes_gets_429_but_classmates_with_the_right_code_still_join(client, make, course):
    for _ in range(JOIN_CODE.address_limit):
        JOIN_CODE.record(address=CAMPUS)
    client.force_login(make.user("guesser"))
    response = _join(client, "WRONGCODE2", CAMPUS)
    assert response.status_code == 429
    assert response["Retry-After"] == str(JOIN_CODE.window_seconds)
    newcomer = make.user("newcomer")
    client.force_login(newcomer)
    assert _join(client, course.join_code, CAMPUS).status_code == 302
    assert course.role_of(newcomer) == "student"


# The shared cache unreachable: everything still works, limits hold per process, one warning.

DEAD_REDIS = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6399/0"}


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {**ORIGINAL_CACHES, "default": DEAD_REDIS}


@pytest.mark.django_db
def test_without_the_shared_cache_logins_work_and_wrong_passwords_are_still_limited(client, make, redis_down, caplog):
    make.user("alice")
    make.user("bob")
    with caplog.at_level(logging.WARNING, logger="writing_guide.throttle"):
        assert _log_in(client, "bob", PASSWORD, CAMPUS).status_code == 302
        assert _fail_until_refused(Client(), "alice", CAMPUS) == LOGIN.free_failures + 1
        assert _log_in(Client(), "alice", PASSWORD, CAMPUS).status_code == 429
    warnings = [record for record in caplog.records if "shared cache cannot be reached" in record.getMessage()]
    assert len(warnings) == 1
    assert "ConnectionError" in warnings[0].getMessage()


@pytest.mark.django_db
def test_without_the_shared_cache_sign_up_and_joining_work(client, make, instructor, redis_down):
    course = make.course(instructor, "Writing 101")
    assert _sign_up(client, "newcomer", CAMPUS).status_code == 302
    assert _join(client, "WRONGCODE2", CAMPUS).status_code == 404
    assert _join(client, course.join_code, CAMPUS).status_code == 302


@pytest.mark.django_db
def test_the_shared_cache_is_asked_again_after_a_while_and_its_return_is_logged(
    client, make, settings, redis_down, clock, caplog
):
    make.user("alice")
    _log_in(client, "alice", "wrong", CAMPUS)
    assert throttle.store.down_until is not None
    settings.CACHES = ORIGINAL_CACHES  # Redis is back (here: the database cache)
    clock.advance(throttle.SHARED_CACHE_RETRY_SECONDS)
    with caplog.at_level(logging.WARNING, logger="writing_guide.throttle"):
        _log_in(client, "alice", "wrong", CAMPUS)
    assert "answers again" in caplog.text
    assert throttle.store.down_until is None


# Across processes: what one process (a gunicorn worker) records, another one sees.

RECORD = (
    "from writing_guide.throttle import LOGIN\n"
    "for _ in range(LOGIN.account_limit): LOGIN.record(account={account!r}, address={address!r})\n"
)
PROBE = (
    # Pages need no collected static files here (a fresh clone has none), as in the test process.
    "from django.conf import settings\n"
    "settings.STORAGES = dict(settings.STORAGES, "
    "staticfiles={{'BACKEND': 'django.contrib.staticfiles.storage.StaticFilesStorage'}})\n"
    "from django.test import Client\n"
    "data = {{'username': {account!r}, 'password': 'x'}}\n"
    "response = Client().post('/accounts/login/', data, REMOTE_ADDR={address!r})\n"
    "print('STATUS', response.status_code)\n"
)


def _manage(environment, *arguments):
    result = subprocess.run(  # noqa: S603 (fixed arguments)
        [sys.executable, "manage.py", *arguments],
        cwd=django_settings.BASE_DIR,
        env={**os.environ, **environment},
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


# These two run on the real clock: ten failures make the pair wait 4 minutes and lock the account.


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
    output = _manage(environment, "shell", "-c", PROBE.format(account=account, address=address))
    assert "STATUS 429" in output


@pytest.mark.django_db
@pytest.mark.skipif(not servers.reachable(servers.REDIS_PORT), reason="no Redis at 127.0.0.1:6379")
def test_failures_recorded_by_another_process_block_this_one_through_redis(client, settings, tmp_path, monkeypatch):
    monkeypatch.setattr(throttle, "clock", throttle.time.time)
    redis_url = "redis://127.0.0.1:6379/11"  # a database of its own; keys are unique and removed below
    account, address = f"victim-{uuid.uuid4().hex}", f"203.0.113.{uuid.uuid4().int % 200 + 40}"
    environment = {"DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}", "REDIS_URL": redis_url}
    settings.CACHES = {**ORIGINAL_CACHES, "default": {**DEAD_REDIS, "LOCATION": redis_url}}
    try:
        _manage(environment, "shell", "-c", RECORD.format(account=account, address=address))
        assert LOGIN.retry_after(account=account, address=address) > 0
        response = _log_in(client, account, "x", address)
        assert response.status_code == 429
        assert TOO_MANY_LOGINS in response.content.decode()
    finally:
        LOGIN.forget(account=account, address=address)
    assert LOGIN.retry_after(account=account, address=address) == 0
    assert throttle.store.down_until is None
