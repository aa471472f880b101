"""Read the stress run's database directly (SQLite file or PostgreSQL), without Django in this process."""

import sqlite3
from contextlib import closing


def query(database_url, sql, params=()):
    if database_url.startswith("sqlite:///"):
        with closing(sqlite3.connect(database_url.removeprefix("sqlite:///"), timeout=30)) as connection:
            return connection.execute(sql, params).fetchall()
    import psycopg

    with psycopg.connect(database_url.replace("postgres://", "postgresql://", 1)) as connection:
        return connection.execute(sql.replace("?", "%s"), params).fetchall()


def answer_key(database_url):
    """{field name: (right label slug, accepted slugs)} for every sentence."""
    import json

    rows = query(
        database_url,
        "SELECT s.id, m.slug, s.also_accepted FROM exercises_sentence s JOIN lessons_move m ON m.id = s.label_id",
    )
    return {
        f"sentence-{pk}": (slug, set(json.loads(also) if isinstance(also, str) else also)) for pk, slug, also in rows
    }


def attempts(database_url):
    """{attempt id: (learner id, exercise slug, number, correct, total)}."""
    rows = query(
        database_url,
        "SELECT a.id, a.learner_id, e.slug, a.number, a.correct, a.total "
        "FROM exercises_attempt a JOIN exercises_exercise e ON e.id = a.exercise_id",
    )
    return {row[0]: row[1:] for row in rows}


def answers(database_url):
    """{attempt id: {field name: chosen slug}}."""
    rows = query(
        database_url,
        "SELECT a.attempt_id, a.sentence_id, m.slug FROM exercises_answer a JOIN lessons_move m ON m.id = a.chosen_id",
    )
    result = {}
    for attempt_id, sentence_id, slug in rows:
        result.setdefault(attempt_id, {})[f"sentence-{sentence_id}"] = slug
    return result


def learner_users(database_url):
    """{learner id: username or None}."""
    rows = query(
        database_url,
        "SELECT l.id, u.username FROM exercises_learner l LEFT JOIN auth_user u ON u.id = l.user_id",
    )
    return dict(rows)
