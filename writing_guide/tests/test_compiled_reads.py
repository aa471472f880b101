"""The session and the signed-in user, read with SQL compiled once (writing_guide/sessions.py, auth.py):
the same rules as Django's own reads."""

import datetime
import sqlite3

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from exercises.models import Attempt, latest_attempts

pytestmark = pytest.mark.django_db

SIGNED_IN = 'Signed in as <a href="/accounts/">student</a>'


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_signed_in_reader_is_recognised_on_every_page(student):
    client = signed_in(student)
    assert SIGNED_IN in client.get(reverse("lessons")).content.decode()
    assert SIGNED_IN in client.get(reverse("progress")).content.decode()


def test_an_expired_session_signs_nobody_in(student):
    client = signed_in(student)
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    html = client.get(reverse("lessons")).content.decode()
    assert "Signed in as" not in html and "Log in" in html


def test_a_deactivated_account_is_signed_out(student):
    client = signed_in(student)
    student.is_active = False
    student.save()
    assert "Signed in as" not in client.get(reverse("lessons")).content.decode()


def test_a_session_signed_in_by_djangos_own_backend_stays_signed_in(student):
    client = signed_in(student)
    session = client.session
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session.save()
    assert SIGNED_IN in client.get(reverse("lessons")).content.decode()


def test_a_made_up_session_key_is_a_visitor(client):
    client.cookies["sessionid"] = "x" * 32
    response = client.get(reverse("lessons"))
    assert response.status_code == 200 and "Log in" in response.content.decode()


def test_signing_up_signs_the_new_account_in(client):
    password = "a long enough password 42"
    data = {"username": "newcomer", "password1": password, "password2": password}
    assert client.post(reverse("signup"), data).status_code == 302
    assert 'Signed in as <a href="/accounts/">newcomer</a>' in client.get(reverse("lessons")).content.decode()


def test_a_compiled_read_gives_the_same_rows_with_the_queries_logged_or_not(make, student, exercise):
    # Unlogged, SQLite answers from its own connection (writing_guide.compiled); logged, through Django's cursor.
    learner = make.learner(student)
    for label in ("problem", "about"):
        make.attempt(learner, exercise, label_slug=label)
    unlogged = [listed.attempt() for listed in latest_attempts(learner.pk, exercise, 10)]
    with CaptureQueriesContext(connection) as logged_queries:
        logged = [listed.attempt() for listed in latest_attempts(learner.pk, exercise, 10)]
    assert len(logged_queries) == 1
    shown = [(a.pk, a.number, a.created, a.correct, a.total) for a in unlogged]
    assert shown == [(a.pk, a.number, a.created, a.correct, a.total) for a in logged]
    assert [number for _, number, *_ in shown] == [2, 1] and all(created.tzinfo for _, _, created, *_ in shown)
    # As the ORM reads them: the dates converted alike.
    read = Attempt.objects.filter(learner=learner).values_list("pk", "number", "created", "correct", "total")
    assert shown == list(read)


class LockedSQLite:
    """SQLite's connection, but a statement sent to it directly finds the database locked."""

    def __init__(self, real):
        self.real = real

    def execute(self, *args):
        raise sqlite3.OperationalError("database is locked")

    def __getattr__(self, name):
        return getattr(self.real, name)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="only SQLite is read from its own connection")
def test_a_database_locked_while_the_session_is_read_is_the_503_page(student, monkeypatch):
    client = signed_in(student)
    database = connections["default"]  # the wrapper itself: `connection` is a proxy to it
    database.ensure_connection()
    monkeypatch.setattr(database, "connection", LockedSQLite(database.connection))
    response = client.get(reverse("lessons"))
    assert response.status_code == 503 and "Retry-After" in response.headers


def test_a_session_altered_in_the_database_signs_nobody_in_even_after_it_was_read(student):
    client = signed_in(student)
    assert SIGNED_IN in client.get(reverse("lessons")).content.decode()  # read, and decoded once
    session = Session.objects.get()
    payload, _, signature = session.session_data.partition(":")
    session.session_data = f"{payload[:-1]}{'A' if payload[-1] != 'A' else 'B'}:{signature}"
    session.save()
    html = client.get(reverse("lessons")).content.decode()
    assert "Signed in as" not in html and "Log in" in html
