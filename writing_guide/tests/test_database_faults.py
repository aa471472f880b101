"""Database faults a visitor cannot cause are a 503 with Retry-After, never a 500.

The faults are real SQLite errors, raised by Django's own backend on a file database the test
breaks (a write lock held by another connection, a page limit standing in for a full disk, a
missing file), then raised inside a request. The same faults under gunicorn, with another process
holding the lock and a real full disk, are in stress/test_failures.py.
"""

import sqlite3
from contextlib import closing

import psycopg.errors
import pytest
from django.conf import settings
from django.db import OperationalError
from django.db.utils import ConnectionHandler
from django.test import Client

from exercises.models import Attempt, Exercise
from testing.factory import Factory
from writing_guide.middleware import BUSY, FULL, OUTAGE, database_fault
from writing_guide.sqlite_files import creatable, existing_file_uri

pytestmark = pytest.mark.django_db

SUBMIT = "/exercises/lee-2016-abstract/submit/"


def sqlite_file(path, **options):
    """A Django connection to the SQLite file `path` as the settings open it, `options` changed."""
    database = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": existing_file_uri(path),
        "OPTIONS": {**settings.SQLITE_OPTIONS, **options},
    }
    return ConnectionHandler({"default": database})["default"]


@pytest.fixture
def notes(tmp_path):
    """An existing SQLite file with one table to write to."""
    path = tmp_path / "notes.sqlite3"
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE note (text TEXT)")
    return path


def write_note(connection):
    with connection.cursor() as cursor:
        # More than a page: the file must grow.
        cursor.execute("INSERT INTO note (text) VALUES (%s)", ["x" * 20000])


def failing_submission(monkeypatch, fault):
    """Make recording an attempt run `fault()`, which raises the real database error."""
    monkeypatch.setattr(type(Attempt.objects), "record", lambda *args: fault())
    exercise = Exercise.objects.get(slug="lee-2016-abstract")
    return Client().post(SUBMIT, Factory().answers(exercise))


def assert_503(response):
    assert response.status_code == 503, response.content[:300]
    assert response["Retry-After"].isdigit()
    assert "We are back in a moment" in response.content.decode()


def test_a_write_lock_held_past_the_busy_timeout_is_a_503(notes, monkeypatch):
    connection = sqlite_file(notes, timeout=0.05)
    with closing(sqlite3.connect(notes, isolation_level=None)) as holder:
        holder.execute("BEGIN IMMEDIATE")  # another process writing, and not letting go
        response = failing_submission(monkeypatch, lambda: write_note(connection))
        holder.execute("ROLLBACK")
    connection.close()
    assert_503(response)


def test_a_full_disk_is_a_503(notes, monkeypatch):
    with closing(sqlite3.connect(notes)) as connection:
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
    # A page limit on this connection is SQLite's own "disk full" (SQLITE_FULL), without a full disk.
    connection = sqlite_file(notes, init_command=f"PRAGMA max_page_count={pages}")
    response = failing_submission(monkeypatch, lambda: write_note(connection))
    connection.close()
    assert_503(response)


def test_a_missing_database_file_is_a_503_and_is_not_created(tmp_path, monkeypatch):
    path = tmp_path / "moved-away.sqlite3"
    connection = sqlite_file(path)
    response = failing_submission(monkeypatch, lambda: write_note(connection))
    assert_503(response)
    assert not path.exists()


def test_the_file_is_opened_again_once_it_is_back(notes, tmp_path):
    moved = tmp_path / "elsewhere.sqlite3"
    notes.rename(moved)
    connection = sqlite_file(notes)
    with pytest.raises(OperationalError, match="unable to open database file"):
        write_note(connection)
    moved.rename(notes)
    write_note(connection)  # the same connection object, a new SQLite connection: no restart
    connection.close()


def test_migrate_alone_may_create_the_file():
    name = existing_file_uri("/srv/guide/db.sqlite3")
    assert name == "file:/srv/guide/db.sqlite3?mode=rw"
    assert creatable(name) == "file:/srv/guide/db.sqlite3?mode=rwc"
    in_memory = "file:memorydb_default?mode=memory&cache=shared"  # the test database
    assert creatable(in_memory) == in_memory
    assert existing_file_uri("/a b/#1?.sqlite3") == "file:/a%20b/%231%3F.sqlite3?mode=rw"


def test_a_database_fault_raised_after_the_view_is_a_503_too(monkeypatch):
    """A visitor's first submission saves the session after the view: the 500 handler maps that fault."""
    from django.contrib.sessions.backends.db import SessionStore

    def locked(self, must_create=False):
        raise OperationalError("database is locked")

    monkeypatch.setattr(SessionStore, "save", locked)
    exercise = Exercise.objects.get(slug="lee-2016-abstract")
    response = Client(raise_request_exception=False).post(SUBMIT, Factory().answers(exercise))
    assert_503(response)


def test_any_other_server_error_is_still_the_500_page(monkeypatch):
    def broken(*args):
        raise OperationalError("no such table: exercises_attempt")  # a missing migrate is a bug to see

    monkeypatch.setattr(type(Attempt.objects), "record", broken)
    exercise = Exercise.objects.get(slug="lee-2016-abstract")
    response = Client(raise_request_exception=False).post(SUBMIT, Factory().answers(exercise))
    assert response.status_code == 500
    assert "Retry-After" not in response


def postgres_error(error_class, message):
    """A Django OperationalError caused by psycopg's `error_class`, as Django's wrapper raises it."""
    error = OperationalError(message)
    error.__cause__ = error_class(message)
    return error


@pytest.mark.parametrize(
    ("error", "fault"),
    [
        (OperationalError("database is locked"), BUSY),
        (OperationalError("database or disk is full"), FULL),
        (OperationalError("disk I/O error"), FULL),
        (OperationalError("unable to open database file"), OUTAGE),
        # A request waiting on a pool that another request closed after a timeout (seen under 64 clients).
        (OperationalError("the pool 'pool-1' is closed"), OUTAGE),
        (postgres_error(psycopg.errors.DiskFull, 'could not extend file "base/16384/16385": No space left'), FULL),
        (postgres_error(psycopg.errors.TooManyConnections, "sorry, too many clients already"), FULL),
        (postgres_error(psycopg.errors.AdminShutdown, "terminating connection due to administrator command"), OUTAGE),
        (postgres_error(psycopg.errors.SyntaxError, "syntax error at or near"), None),
        (OperationalError("no such table: exercises_attempt"), None),
        (ValueError("database is locked"), None),
    ],
)
def test_each_fault_is_told_from_a_bug(error, fault):
    assert database_fault(error) == fault
