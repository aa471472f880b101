"""`make backup` and `make restore` round-trip a populated database with nothing lost,
SQLite to SQLite and SQLite to PostgreSQL (when PostgreSQL is reachable on 127.0.0.1:5432)."""

import json
import os
import subprocess
import sys
import uuid

import pytest
from django.conf import settings

from testing import servers


def _run(command, database_url, **extra):
    environment = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "1", "REDIS_URL": "", **extra}
    result = subprocess.run(  # noqa: S603 (fixed arguments)
        command, cwd=settings.BASE_DIR, env=environment, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def _manage(database_url, *arguments):
    return _run([sys.executable, "manage.py", *arguments], database_url)


def _make(database_url, *arguments, **extra):
    """A Makefile target run with this interpreter, whatever installed it (not the Makefile's .venv, left as it is)."""
    command = ["make", "--no-print-directory", "--assume-old=.venv/.requirements", f"PY={sys.executable}", *arguments]
    return _run(command, database_url, **extra)


def _summary(database_url):
    output = _manage(
        database_url, "shell", "-c", "from writing_guide.tests.db_summary import print_summary; print_summary()"
    )
    line = next(line for line in output.splitlines() if line.startswith("SUMMARY "))
    return json.loads(line.removeprefix("SUMMARY "))


@pytest.fixture(scope="module")
def populated(tmp_path_factory):
    """A SQLite database with the guide, the demo class (users, course, attempts, objections decided and
    open, questions with answers, a report and a preference) and its backup."""
    folder = tmp_path_factory.mktemp("backup")
    source = f"sqlite:///{folder / 'source.sqlite3'}"
    _manage(source, "migrate", "--no-input", "-v0")
    _manage(source, "createcachetable")
    _manage(source, "load_guide")
    _manage(source, "load_demo")
    _manage(source, "shell", "-c", "from writing_guide.tests.demo_objections import add_objections; add_objections()")
    _manage(source, "shell", "-c", "from writing_guide.tests.demo_questions import add_questions; add_questions()")
    backup = folder / "backup.json.gz"
    _make(source, "backup", f"FILE={backup}")
    return source, backup, _summary(source)


def _assert_same(restored, original):
    assert restored.keys() == original.keys()
    for label, picture in original.items():
        assert restored[label]["count"] == picture["count"], label
        assert restored[label]["rows"] == picture["rows"], label


def test_the_backup_holds_users_courses_and_attempts(populated):
    _, backup, original = populated
    assert backup.stat().st_size > 0
    for label in ("auth.User", "courses.Course", "courses.Membership", "exercises.Attempt", "lessons.Lesson"):
        assert original[label]["count"] > 0, label


def test_the_backup_holds_objections_and_what_deciding_them_wrote(populated):
    _, _, original = populated
    for label in (
        "exercises.Objection",
        "exercises.VerdictChange",
        "exercises.AcceptedLabel",
        "courses.CourseAcceptedLabel",
        "courses.CourseAttempt",
        "courses.CourseFirstAttempt",
    ):
        assert original[label]["count"] > 0, label
    statuses = {row["status"] for row in original["exercises.Objection"]["rows"]}
    assert statuses == {"open", "accepted", "rejected"}


def test_the_backup_holds_questions_answers_reports_and_preferences(populated):
    _, _, original = populated
    for label in ("questions.Question", "questions.Reply", "questions.Report", "questions.Preferences"):
        assert original[label]["count"] > 0, label
    questions = original["questions.Question"]["rows"]
    assert any(row["course_id"] is not None and row["helpful_id"] is not None and row["pinned"] for row in questions)
    assert {row["state"] for row in original["questions.Reply"]["rows"]} == {"visible", "hidden"}
    assert all(row["resolved"] for row in original["questions.Report"]["rows"])


def test_a_backup_restores_into_a_fresh_sqlite_database_with_nothing_lost(populated, tmp_path):
    _, backup, original = populated
    target = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    _make(target, "restore", f"FILE={backup}")
    _assert_same(_summary(target), original)


def test_restore_refuses_a_database_that_holds_rows(populated):
    source, backup, _ = populated
    environment = {**os.environ, "DATABASE_URL": source, "DEBUG": "1"}
    result = subprocess.run(  # noqa: S603 (fixed arguments)
        [sys.executable, "manage.py", "restore", str(backup)],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "already holds" in result.stderr


@pytest.mark.skipif(not servers.reachable(servers.POSTGRES_PORT), reason="no PostgreSQL at 127.0.0.1:5432")
def test_a_sqlite_backup_restores_into_postgresql_with_nothing_lost(populated):
    _, backup, original = populated
    target = servers.recreate_postgres_database(servers.postgres_url(f"wg_sec_restore_{uuid.uuid4().hex[:8]}"))
    try:
        _make(target, "restore", f"FILE={backup}", CONN_MAX_AGE="0")
        restored = _summary(target)
        _assert_same(restored, original)
        # Sequences were moved past the restored ids: a new row gets a fresh id.
        _manage(
            target, "shell", "-c", "from django.contrib.auth.models import User; User.objects.create(username='new')"
        )
    finally:
        servers.drop_postgres_database(target)
