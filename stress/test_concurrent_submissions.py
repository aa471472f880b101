"""A class submitting at once: thousands of exercise submissions from 32, then 64 concurrent clients.

The app runs under gunicorn with several workers on loopback, on SQLite and on PostgreSQL. Each
client is a few learners (anonymous sessions and signed-in users); some learners submit from two
connections at the same moment, racing for the next attempt number. Every success must have its
rows, the rows must match what was sent and answered, numbers stay 1..n per learner and exercise,
and nothing fails with "database is locked".
"""

import random
import statistics
import threading
from dataclasses import dataclass, field

import pytest

from stress import database, server
from stress.browser import ATTEMPT_URL, FEEDBACK, Browser
from testing import servers

EXERCISES = ["lee-2016-abstract", "diehl-2015-abstract", "krizhevsky-2012-abstract"]
PHASES = [(32, 28), (64, 18)]  # (concurrent clients, submissions each)
WORKERS = 4


@dataclass
class Learner:
    key: str
    cookies: dict = field(default_factory=dict)
    forms: dict = field(default_factory=dict)  # slug: (token, version, fields)


@dataclass
class Result:
    learner: str
    slug: str
    choices: dict
    htmx: bool
    status: int
    seconds: float
    attempt_id: int = None
    number: int = None
    correct: int = None
    error: str = ""


def submit(browser, learner, slug, rng, htmx):
    token, version, fields = learner.forms[slug]
    choices = {name: rng.choice(labels) for name, labels in fields.items()}
    pairs = [("csrfmiddlewaretoken", token), ("version", version), *choices.items()]
    import time

    start = time.perf_counter()
    try:
        status, headers, text = browser.post_form(f"/exercises/{slug}/submit/", pairs, htmx=htmx)
    except Exception as error:  # noqa: BLE001 (a dropped connection is a result to report)
        return Result(learner.key, slug, choices, htmx, 0, time.perf_counter() - start, error=repr(error))
    result = Result(learner.key, slug, choices, htmx, status, time.perf_counter() - start)
    if status == 302 and not htmx:
        match = ATTEMPT_URL.match(headers.get("Location", ""))
        result.attempt_id = int(match.group(2)) if match else None
    elif status == 200 and htmx:
        match = FEEDBACK.search(text)
        if match:
            result.number, result.correct = int(match.group(1)), int(match.group(2))
    else:
        result.error = text[:300]
    return result


def prepare(port, learner, username=None):
    browser = Browser(port, learner.cookies)
    if username:
        browser.login(username, server.PASSWORD)
    for slug in EXERCISES:
        learner.forms[slug] = browser.exercise_form(slug)
    return browser


def run_phase(port, clients, per_client, phase, users, results, seed):
    """`clients` threads; client k has its own anonymous learner, every 4th a signed-in one too, and
    clients 8m+2 and 8m+3 share two learners (one anonymous, one signed in) over separate connections."""
    learners = {}
    plans = []
    for k in range(clients):
        own = [Learner(f"p{phase}-anon-{k}")]
        if k % 4 == 0:
            own.append(Learner(f"user:{users.pop()}"))
        if k % 8 == 2:
            own += [Learner(f"p{phase}-shared-anon-{k}"), Learner(f"user:{users.pop()}")]
        if k % 8 == 3:
            own += [learners[f"p{phase}-shared-anon-{k - 1}"], learners[plans[k - 1][0][-1].key]]
        for learner in own:
            learners.setdefault(learner.key, learner)
        plans.append((own,))
    barrier = threading.Barrier(clients)
    lock = threading.Lock()
    prepared = set()
    # Preparing (signing in, reading the forms) is not what this test measures: a few at a time, so
    # that 64 password hashes at once on a small machine do not exhaust the pool before the race.
    preparing = threading.Semaphore(WORKERS)

    def client(k):
        rng = random.Random(seed + k)
        (own,) = plans[k]
        browsers = {}
        for learner in own:
            with lock:
                first = learner.key not in prepared
                prepared.add(learner.key)
            if first:
                username = learner.key.removeprefix("user:") if learner.key.startswith("user:") else None
                with preparing:
                    browsers[learner.key] = prepare(port, learner, username)
                    if not username:  # an anonymous learner is created by its first submission: make it once
                        local = [submit(browsers[learner.key], learner, EXERCISES[0], rng, htmx=False)]
                        with lock:
                            results.extend(local)
        barrier.wait(timeout=120)
        for learner in own:
            browsers.setdefault(learner.key, Browser(port, learner.cookies))
        local = []
        for i in range(per_client):
            learner = own[i % len(own)]
            local.append(submit(browsers[learner.key], learner, EXERCISES[i % 3], rng, htmx=i % 3 == 1))
        with lock:
            results.extend(local)

    run_all([(client, k) for k in range(clients)])
    return learners


def run_all(targets):
    """Start a thread per (function, argument), wait for all, and fail if any of them died."""
    died = []

    def guarded(function, argument):
        try:
            function(argument)
        except BaseException as error:  # noqa: BLE001 (reported below, with the test's failure)
            died.append(repr(error))

    threads = [threading.Thread(target=guarded, args=target) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not died, f"{len(died)} client threads died, e.g. {died[:3]}"


def check(database_url, results, log_text):
    """Compare every response with the rows; returns the figures for the report."""
    key = database.answer_key(database_url)
    attempts = database.attempts(database_url)
    answers = database.answers(database_url)
    learner_users = database.learner_users(database_url)
    failed = [r for r in results if not (r.attempt_id or r.number)]
    assert not failed, f"{len(failed)} submissions failed, e.g. {failed[:3]}"

    learner_of = {}  # learner key: learner id, from the attempts the redirects name
    for r in results:
        if r.attempt_id:
            assert r.attempt_id in attempts, f"response names attempt {r.attempt_id}, which is not stored"
            learner_id = attempts[r.attempt_id][0]
            assert learner_of.setdefault(r.learner, learner_id) == learner_id, f"{r.learner} has two learners"
    for learner_key, learner_id in learner_of.items():
        expected_user = learner_key.removeprefix("user:") if learner_key.startswith("user:") else None
        assert learner_users[learner_id] == expected_user, learner_key

    by_number = {(v[0], v[1], v[2]): pk for pk, v in attempts.items()}
    matched = set()
    for r in results:
        pk = r.attempt_id or by_number.get((learner_of[r.learner], r.slug, r.number))
        assert pk is not None, f"no row for {r}"
        assert pk not in matched, f"two responses name attempt {pk}"
        matched.add(pk)
        learner_id, slug, number, correct, total = attempts[pk]
        assert (learner_id, slug) == (learner_of[r.learner], r.slug)
        assert answers[pk] == r.choices, f"attempt {pk} stored other answers than were sent"
        expected = sum(chosen == key[name][0] or chosen in key[name][1] for name, chosen in r.choices.items())
        assert (correct, total) == (expected, len(r.choices))
        if r.number is not None:
            assert (number, correct) == (r.number, r.correct)
    assert matched == set(attempts), f"{len(set(attempts) - matched)} stored attempts answer no response"

    numbers = {}
    for learner_id, slug, number, _, _ in attempts.values():
        numbers.setdefault((learner_id, slug), []).append(number)
    for pair, seen in numbers.items():
        assert sorted(seen) == list(range(1, len(seen) + 1)), f"numbers of {pair} are {sorted(seen)}"
    assert "database is locked" not in log_text
    assert "Traceback" not in log_text
    return {"attempts": len(attempts), "answers": sum(len(a) for a in answers.values()), "pairs": len(numbers)}


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'stress.sqlite3'}"
    request.getfixturevalue("postgres_available")
    return servers.recreate_postgres_database(servers.postgres_url("wg_stress"))


def test_concurrent_submissions_keep_every_answer(database_url, static_root, tmp_path, record_property):
    env = server.app_env(database_url, static_root)
    users_needed = sum(clients // 4 + 2 * (clients // 8 + 1) for clients, _ in PHASES)
    server.build_database(env, users=users_needed)
    users = [f"stress-user-{i}" for i in range(users_needed)]
    gunicorn = server.gunicorn(env, tmp_path / "gunicorn.log", workers=WORKERS).start()
    results = []
    try:
        for phase, (clients, per_client) in enumerate(PHASES):
            run_phase(gunicorn.port, clients, per_client, phase, users, results, seed=1000 * phase)
    finally:
        gunicorn.stop()
    log_text = gunicorn.log_text()
    successes = sum(1 for r in results if r.attempt_id or r.number)
    latencies = sorted(r.seconds for r in results)
    figures = check(database_url, results, log_text)
    record_property("submissions", len(results))
    p50 = statistics.median(latencies)
    p99 = latencies[int(len(latencies) * 0.99) - 1]
    print(
        f"\n[{database_url.split(':')[0]}] submissions sent {len(results)}, 2xx/3xx {successes}, "
        f"attempts stored {figures['attempts']}, answers stored {figures['answers']}, "
        f"learner-exercise pairs {figures['pairs']}, p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms"
    )


ONE_LEARNER_THREADS = 8
ONE_LEARNER_SUBMISSIONS = 12
ANONYMOUS_RACERS = 6


def test_one_learner_submitting_from_many_connections_at_once_keeps_every_answer(
    database_url, static_root, tmp_path, record_property
):
    """A shared account or many tabs: 8 connections of one session, and 6 first submissions of one new
    visitor racing (one browser, no session yet). Every submission is saved with its own number, and
    the visitor ends as one learner holding every attempt."""
    env = server.app_env(database_url, static_root)
    server.build_database(env, users=1)
    gunicorn = server.gunicorn(env, tmp_path / "gunicorn.log", workers=WORKERS).start()
    results = []
    lock = threading.Lock()
    try:
        shared = Learner("user:stress-user-0")
        prepare(gunicorn.port, shared, "stress-user-0")
        visitor = Learner("anonymous-visitor")
        # The exercise page sets the visitor's CSRF cookie; no session exists until a first submission.
        visitor.forms[EXERCISES[0]] = Browser(gunicorn.port, visitor.cookies).exercise_form(EXERCISES[0])
        barrier = threading.Barrier(ONE_LEARNER_THREADS + ANONYMOUS_RACERS)

        def shared_session(k):
            browser = Browser(gunicorn.port, shared.cookies)
            rng = random.Random(k)
            barrier.wait(timeout=60)
            local = [submit(browser, shared, EXERCISES[0], rng, htmx=i % 2) for i in range(ONE_LEARNER_SUBMISSIONS)]
            with lock:
                results.extend(local)

        def racing_first_submission(k):
            browser = Browser(gunicorn.port, {"csrftoken": visitor.cookies["csrftoken"]})  # no session cookie
            barrier.wait(timeout=60)
            result = submit(browser, visitor, EXERCISES[0], random.Random(100 + k), htmx=k % 2 == 0)
            with lock:
                results.append(result)

        run_all(
            [(shared_session, k) for k in range(ONE_LEARNER_THREADS)]
            + [(racing_first_submission, k) for k in range(ANONYMOUS_RACERS)]
        )
    finally:
        gunicorn.stop()
    figures = check(database_url, results, gunicorn.log_text())
    record_property("submissions", len(results))
    assert figures["attempts"] == ONE_LEARNER_THREADS * ONE_LEARNER_SUBMISSIONS + ANONYMOUS_RACERS
    assert figures["pairs"] == 2  # one learner per person, one exercise
    print(
        f"\n[{database_url.split(':')[0]}] one learner from {ONE_LEARNER_THREADS} connections and "
        f"{ANONYMOUS_RACERS} racing first submissions: {len(results)} sent, {figures['attempts']} stored, 0 errors"
    )
