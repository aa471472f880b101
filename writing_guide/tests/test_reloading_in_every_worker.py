"""A reload shows at once in every process: gunicorn with two workers, each with its own content caches
(rendered fragments, an exercise's sentences and labels), on a SQLite file.

Both workers first serve every page, so both cache it. Then `manage.py load_guide` runs in another
process (changed files, then the old ones again, then the changed ones: exercises/tests/guide_changes.py),
and every one of many requests per page, shared between the two workers, shows what the files now
hold, and every right answer is accepted. The access log names the worker (its pid) that served each
request, so the test knows that both served every page, before and after each check.

Requests go four at a time to two sync workers (one request each at a time), each on a connection of
its own (`Connection: close`), so both workers take a share. Production's gevent workers keep the
same caches: the worker class changes how requests are shared, not what a worker caches.
"""

import http.client
import re
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from urllib.parse import urlencode

import pytest
from django.conf import settings

from exercises.tests import guide_changes as changes
from stress import server
from testing import servers

REQUESTS = 20  # per page, each time the pages are checked
WORKERS = 2
FIELD = re.compile(r'name="(sentence-\d+)"')
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ACCESS = re.compile(r"^<(\d+)> (GET|POST) (\S+) (\d+)$", re.MULTILINE)

# The server always runs on a SQLite file of its own: the PostgreSQL pass would only repeat it.
pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"].endswith("postgresql"), reason="runs once, in the SQLite pass"
)


class Site:
    """The app under gunicorn, its database file and the access log's lines read so far."""

    def __init__(self, gunicorn, env, database):
        self.gunicorn, self.env, self.database = gunicorn, env, database
        self.lock = threading.Lock()
        self.requests = self.logged = 0  # sent so far; access log lines read so far

    def request(self, method, path, body=None, headers=None):
        with self.lock:
            self.requests += 1
        connection = http.client.HTTPConnection(servers.LOOPBACK, self.gunicorn.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers={"Connection": "close", **(headers or {})})
            response = connection.getresponse()
            return response.status, response.getheader("Set-Cookie") or "", response.read().decode()
        finally:
            connection.close()

    def many(self, method, path, body=None, headers=None):
        """REQUESTS times the same request, four at a time; returns the pages, after checking each is a 200."""
        with ThreadPoolExecutor(max_workers=4) as pool:
            answers = list(pool.map(lambda _: self.request(method, path, body, headers), range(REQUESTS)))
        for status, _, text in answers:
            assert status == 200, (method, path, status, text[:500])
        return [text for _, _, text in answers]

    def wait_for_every_worker(self, seconds=30):
        """Until each worker has served a /healthz: a sync worker takes connections only once it has loaded
        the app, and until the slower one has, the other would serve every request of the first page."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            with ThreadPoolExecutor(max_workers=4) as pool:
                list(pool.map(lambda _: self.gunicorn.healthy(), range(8)))
            pids = {pid for pid, _, path, _ in ACCESS.findall(self.gunicorn.log_text()) if path == "/healthz"}
            if len(pids) == WORKERS:
                return
            time.sleep(0.1)
        raise AssertionError(f"only {len(pids)} of {WORKERS} workers answered in {seconds} s")

    def workers_per_page(self):
        """{path: how many workers served it} for the requests sent since the last call, from the access log
        (a worker writes a request's line just after its response, so wait for every line)."""
        deadline = time.monotonic() + 10
        while True:
            lines = [line for line in ACCESS.findall(self.gunicorn.log_text()) if line[2] != "/healthz"]
            if len(lines) >= self.requests or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        served = {}
        for pid, _, path, _ in lines[self.logged :]:
            served.setdefault(path, set()).add(pid)
        self.logged = len(lines)
        return {path: len(pids) for path, pids in served.items()}

    def load_guide(self, root):
        servers.manage(self.env, "load_guide", "--fixtures", str(root), capture=True)

    def sentences(self):
        """The exercise's (field name, right label) pairs and its version, as the database holds them now."""
        with closing(sqlite3.connect(self.database)) as db:
            version = db.execute("SELECT version FROM exercises_exercise WHERE slug = ?", [changes.SLUG]).fetchone()
            rows = db.execute(
                "SELECT s.id, m.slug FROM exercises_sentence s JOIN exercises_exercise e ON s.exercise_id = e.id "
                "JOIN lessons_move m ON s.label_id = m.id WHERE e.slug = ? ORDER BY s.position",
                [changes.SLUG],
            ).fetchall()
        return [(f"sentence-{pk}", label) for pk, label in rows], version[0]

    def delete_attempts(self):
        """So that the next load may drop a sentence (answers pointing at it would make it refuse)."""
        with closing(sqlite3.connect(self.database, timeout=20)) as db, db:
            db.execute("DELETE FROM exercises_answer")
            db.execute("DELETE FROM exercises_attempt")

    def submit_many(self, wrong_second=False):
        """REQUESTS submissions of the exercise, each sentence labelled right (the second one wrong when
        `wrong_second`), sent as htmx does; returns the feedback of each."""
        status, cookie, page = self.request("GET", changes.EXERCISE_URL)
        assert status == 200
        secret = re.search(r"csrftoken=([^;]+)", cookie).group(1)
        answers, version = self.sentences()
        if wrong_second:
            answers[1] = (answers[1][0], changes.WRONG_LABEL)
        body = urlencode([("csrfmiddlewaretoken", TOKEN.search(page).group(1)), ("version", version), *answers])
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={secret}",
            "HX-Request": "true",
        }
        return self.many("POST", changes.SUBMIT_URL, body.encode(), headers)


@pytest.fixture
def site(tmp_path):
    static_root = tmp_path / "static"
    database = tmp_path / "guide.sqlite3"
    env = server.app_env(f"sqlite:///{database}", static_root, CONTENT_CACHES="1")
    servers.manage(env, "collectstatic", "--no-input", "-v", "0")
    server.build_database(env)
    gunicorn = servers.Gunicorn(
        env,
        tmp_path / "gunicorn.log",
        workers=WORKERS,
        worker_class="sync",
        timeout=30,
        graceful_timeout=5,
        access_logfile="-",
        access_logformat="%(p)s %(m)s %(U)s %(s)s",
    ).start()
    try:
        site = Site(gunicorn, env, database)
        site.wait_for_every_worker()
        yield site
    finally:
        gunicorn.stop()


def assert_the_exercise_page_is_current(site, sentences_expected):
    fields = {name for name, _ in site.sentences()[0]}
    assert len(fields) == sentences_expected
    for html in site.many("GET", changes.EXERCISE_URL):
        assert set(FIELD.findall(html)) == fields  # no stale field: every right answer can be sent
    for feedback in site.submit_many():
        assert f"{sentences_expected} of {sentences_expected} right" in feedback


def test_a_reload_shows_at_once_in_every_worker(site, tmp_path):
    changed = changes.changed_guide(tmp_path)
    urls = [changes.LESSON_URL, changes.PAPER_URL, changes.EXERCISE_URL]
    for url in urls:
        for html in site.many("GET", url):
            assert changes.OLD_WORDS in html and changes.NEW_PART not in html
    assert site.workers_per_page() == dict.fromkeys(urls, WORKERS)  # each page is cached in both

    # Changed files, then the old ones again: the files and each exercise's digest are back to what
    # both workers cached, but the sentence dropped in between came back under a new id.
    site.load_guide(changed)
    site.load_guide(settings.FIXTURES_DIR)
    assert_the_exercise_page_is_current(site, changes.SENTENCES_BEFORE)
    assert site.workers_per_page() == {changes.EXERCISE_URL: WORKERS, changes.SUBMIT_URL: WORKERS}
    site.delete_attempts()

    site.load_guide(changed)
    for html in site.many("GET", changes.LESSON_URL):
        assert f"Lesson 3 · {changes.NEW_PART}" in html and changes.NEW_LESSON_SENTENCE in html
        assert changes.NEW_WORDS in html and changes.OLD_WORDS not in html
    for html in site.many("GET", changes.PAPER_URL):
        assert f'<span class="layout-name">{changes.NEW_PART}</span>' in html
        assert changes.NEW_WORDS in html and changes.OLD_WORDS not in html
    for html in site.many("GET", changes.EXERCISE_URL):
        assert f"Exercise · {changes.NEW_PART}" in html  # the header
        assert changes.NEW_WORDS in html and changes.OLD_WORDS not in html  # the passage and the form
    assert_the_exercise_page_is_current(site, changes.SENTENCES_AFTER)
    for feedback in site.submit_many(wrong_second=True):
        assert changes.NEW_FEEDBACK in feedback
    assert site.workers_per_page() == {**dict.fromkeys(urls, WORKERS), changes.SUBMIT_URL: WORKERS}
