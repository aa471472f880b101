"""Build the benchmark database: the guide, 20 assigned exercises, and a class of 500 with 3 attempts each.

Run as `python -m bench.build` with DATABASE_URL pointing at the bench database (never the
app's own). Attempts and answers are bulk-inserted with verdicts from `Sentence.verdict_for`,
so the numbers the pages show are the ones real submissions would give. Each student also has a
draft of their own abstract (one revision, tagged). On PostgreSQL the database is ANALYZEd at the
end, so the planner works from fresh statistics. Writes bench/work/state.json: the slugs, sessions,
CSRF tokens and draft ids the load generator uses. Needs collected static files (it renders the
lessons and papers to find the largest of each).
"""

import json
import os
import random
import re
import shutil
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "writing_guide.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.contrib.sessions.models import Session  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Max  # noqa: E402
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.crypto import get_random_string  # noqa: E402

from courses.models import Course, CourseAttempt, CourseFirstAttempt, Membership, Role  # noqa: E402
from drafts.models import Revision  # noqa: E402
from drafts.moves import tagger  # noqa: E402
from drafts.tagger import split_sentences  # noqa: E402
from exercises.learners import SESSION_KEY as LEARNER_SESSION_KEY  # noqa: E402
from exercises.models import Answer, Attempt, Exercise, Learner  # noqa: E402
from exercises.scopes import PARAMETER  # noqa: E402
from lessons.models import Lesson, Paper  # noqa: E402
from testing.factory import PASSWORD  # noqa: E402

BENCH_DIR = Path(__file__).resolve().parent
WORK = BENCH_DIR / "work"
STUDENTS = int(os.environ.get("BENCH_STUDENTS", 500))
EXERCISES = int(os.environ.get("BENCH_EXERCISES", 20))
ATTEMPTS = int(os.environ.get("BENCH_ATTEMPTS", 3))
# Chance that a sentence is labelled right on attempt 1, 2, 3...: learners improve.
RIGHT_CHANCE = [0.55, 0.72, 0.86, 0.92]
SUBMIT_EXERCISE = "lee-2016-abstract"


def copy_fixtures(count):
    """Copy fixtures/ to bench/work/fixtures and add copies of exemplar exercises until there are `count`.

    A course assigns the exemplars; bank exercises cannot be copied (the loader refuses a bank
    passage that appears twice), and copies of exemplars are allowed.
    """
    target = WORK / "fixtures"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(settings.BASE_DIR / "fixtures", target)
    originals = sorted(
        path
        for path in (target / "exercises").glob("*.toml")
        if re.search(r"^exemplar = true$", path.read_text(), re.M)
    )
    for n in range(count - len(originals)):
        source = originals[n % len(originals)]
        text = source.read_text(encoding="utf-8")
        text = re.sub(r'^slug = "(.*)"$', rf'slug = "\1-bench-{n + 1}"', text, count=1, flags=re.M)
        text = re.sub(r'^title = "(.*)"$', rf'title = "\1 (bench copy {n + 1})"', text, count=1, flags=re.M)
        (target / "exercises" / f"zz-bench-{n + 1:02d}-{source.name}").write_text(text, encoding="utf-8")
    return target


def create_baseline_table():
    """The table the one-select-one-insert baseline view writes to (no model, no migration)."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_hit")
        if connection.vendor == "postgresql":
            cursor.execute("CREATE TABLE bench_hit (id bigserial PRIMARY KEY, created timestamptz NOT NULL)")
        else:
            cursor.execute("CREATE TABLE bench_hit (id integer PRIMARY KEY AUTOINCREMENT, created text NOT NULL)")


def make_users(prefix, count, password_hash):
    User = get_user_model()
    User.objects.bulk_create(
        User(username=f"{prefix}{n:03d}", password=password_hash, email=f"{prefix}{n:03d}@example.org")
        for n in range(count)
    )
    return list(User.objects.filter(username__startswith=prefix).order_by("username"))


def populate(course, students, exercises, attempts_each, rng):
    """Students join `course`; each makes `attempts_each` graded attempts at every exercise, for the course."""
    Membership.objects.bulk_create(Membership(course=course, user=s, role=Role.STUDENT) for s in students)
    Learner.objects.bulk_create(Learner(user=s) for s in students)
    learners = list(Learner.objects.filter(user__in=students))
    graded = []
    for exercise in exercises:
        sentences = list(exercise.sentences.select_related("label"))
        moves = list(exercise.label_set.moves.all())
        graded.append((exercise, sentences, moves))
    chunk = 50
    for first in range(0, len(learners), chunk):
        attempts, choices = [], []
        for learner in learners[first : first + chunk]:
            for exercise, sentences, moves in graded:
                for number in range(1, attempts_each + 1):
                    chance = RIGHT_CHANCE[min(number, len(RIGHT_CHANCE)) - 1]
                    picked = [
                        (s, s.label if rng.random() < chance else rng.choice(moves)) for s in sentences
                    ]  # fmt: skip
                    verdicts = [(s, move, s.verdict_for(move)) for s, move in picked]
                    correct = sum(v != "wrong" for _, _, v in verdicts)
                    attempts.append(
                        Attempt(
                            learner=learner,
                            exercise=exercise,
                            number=number,
                            correct=correct,
                            total=len(sentences),
                        )
                    )
                    choices.append(verdicts)
        with transaction.atomic():
            created = Attempt.objects.bulk_create(attempts, batch_size=2000)
            Answer.objects.bulk_create(
                (
                    Answer(attempt=attempt, sentence=s, chosen=move, verdict=verdict)
                    for attempt, verdicts in zip(created, choices, strict=True)
                    for s, move, verdict in verdicts
                ),
                batch_size=5000,
            )
            # Made from the course's page: the course's attempts (its answers are "how the class answered").
            links = (CourseAttempt(attempt=attempt, course=course) for attempt in created)
            CourseAttempt.objects.bulk_create(links, batch_size=5000)
            firsts = (
                CourseFirstAttempt(attempt=a, course=course, exercise=a.exercise, learner=a.learner)
                for a in created
                if a.number == 1
            )
            CourseFirstAttempt.objects.bulk_create(firsts, batch_size=5000)


def identity(user):
    """A logged-in session and a CSRF secret for `user`, stored directly (no login round trip).

    Like a real log-in (`claim_anonymous_attempts`), the session also knows the user's learner id.
    """
    key = SessionStore()._get_new_session_key()
    data = {
        SESSION_KEY: str(user.pk),
        BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[0],  # as a log-in today would
        HASH_SESSION_KEY: user.get_session_auth_hash(),
    }
    learner_id = Learner.objects.filter(user=user).values_list("pk", flat=True).first()
    if learner_id is not None:
        data[LEARNER_SESSION_KEY] = learner_id
    expires = timezone.now() + timedelta(days=14)
    session = Session(session_key=key, session_data=SessionStore().encode(data), expire_date=expires)
    csrf = get_random_string(CSRF_SECRET_LENGTH, allowed_chars=CSRF_ALLOWED_CHARS)
    return session, {"user_id": user.pk, "username": user.username, "session": key, "csrf": csrf}


def submit_body(exercise, rng):
    data = {"version": exercise.version}
    moves = list(exercise.label_set.moves.all())
    for sentence in exercise.sentences.select_related("label"):
        move = sentence.label if rng.random() < 0.7 else rng.choice(moves)
        data[sentence.field_name] = move.slug
    return urlencode(data)


def make_drafts(students, text):
    """A draft of `text` for each student, checked once (its revision 1 tagged): {user id: draft id}."""
    learners = dict(Learner.objects.filter(user__in=students).values_list("user_id", "pk"))
    tagged = tagger().tag(split_sentences(text))
    drafts = {}
    for student in students:
        revision = Revision.objects.record(learners[student.pk], None, text, tagged, title="My abstract")
        drafts[student.pk] = revision.draft_id
    return drafts


def largest(paths):
    """The slug whose page (rendered in-process, uncompressed) is the largest, and its size in bytes."""
    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    sizes = {}
    for slug, path in paths.items():
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        sizes[slug] = len(response.content)
    slug = max(sizes, key=sizes.get)
    return slug, sizes[slug]


def analyze():
    """PostgreSQL: fresh planner statistics and visibility map after the bulk inserts, as autovacuum would
    leave them later (VACUUM ANALYZE: without the map, a count an index could answer reads the table)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def main():
    began = time.monotonic()
    rng = random.Random(2026)  # noqa: S311
    WORK.mkdir(exist_ok=True)
    fixtures = copy_fixtures(EXERCISES)
    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    call_command("load_guide", fixtures=str(fixtures), verbosity=0)
    create_baseline_table()
    exercises = list(Exercise.objects.in_layout_order().filter(exemplar=True))
    assert len(exercises) == EXERCISES, f"expected {EXERCISES} exemplar exercises, found {len(exercises)}"

    password_hash = make_password(PASSWORD)
    instructor, small_instructor = make_users("teacher", 2, password_hash)
    students = make_users("student", STUDENTS, password_hash)
    course = Course.create_for(instructor, "Bench class")
    populate(course, students, exercises, ATTEMPTS, rng)
    # A small class beside the big one: the query counts of growing pages must be the same in both.
    small_students = make_users("small", 3, password_hash)
    small_course = Course.create_for(small_instructor, "Small class")
    populate(small_course, small_students, exercises[:2], 1, rng)

    sessions, people = [], {}
    for name, users in [("students", students), ("instructor", [instructor]), ("small_instructor", [small_instructor])]:
        people[name] = []
        for user in users:
            session, ident = identity(user)
            sessions.append(session)
            people[name].append(ident)
    small_session, small_student = identity(small_students[0])
    sessions.append(small_session)
    people["small_student"] = [small_student]
    Session.objects.bulk_create(sessions, batch_size=500)

    submit = Exercise.objects.get(slug=SUBMIT_EXERCISE)
    # The learner's own abstract: the submit exercise's passage, as a student would paste it.
    draft_text = " ".join(submit.sentences.order_by("position").values_list("text", flat=True))
    drafts = make_drafts(students, draft_text)
    latest = dict(
        Attempt.objects.filter(learner__user__in=students, exercise=submit)
        .values_list("learner__user")
        .annotate(latest=Max("pk"))
    )
    for ident in people["students"]:
        ident["draft"] = drafts[ident["user_id"]]
        ident["attempt"] = latest[ident["user_id"]]
    first_attempt = Attempt.objects.filter(learner__user=students[0], exercise=submit).order_by("number").first()
    lesson_largest, lesson_bytes = largest({lesson.slug: lesson.get_absolute_url() for lesson in Lesson.objects.all()})
    paper_largest, paper_bytes = largest({paper.slug: paper.get_absolute_url() for paper in Paper.objects.all()})
    analyze()
    state = {
        "vendor": connection.vendor,
        "students": STUDENTS,
        "exercises": EXERCISES,
        "attempts": Attempt.objects.filter(learner__user__in=students).count(),
        "answers": Answer.objects.filter(attempt__learner__user__in=students).count(),
        "course": course.slug,
        "small_course": small_course.slug,
        "lesson": Lesson.objects.order_by("order")[2].slug,
        "paper": Paper.objects.order_by("slug").first().slug,
        "lesson_largest": lesson_largest,
        "lesson_largest_bytes": lesson_bytes,
        "paper_largest": paper_largest,
        "paper_largest_bytes": paper_bytes,
        "attempt": first_attempt.pk,
        "draft_text": draft_text,
        "exercise": submit.slug,
        "submit_body": submit_body(submit, rng),
        # The same answers sent from the course's page: the attempt is the course's, and the
        # feedback shows how the course answered.
        "submit_course_body": f"{submit_body(submit, rng)}&{urlencode({PARAMETER: course.slug})}",
        "people": people,
        "build_seconds": None,
    }
    state["build_seconds"] = round(time.monotonic() - began, 1)
    (WORK / "state.json").write_text(json.dumps(state, indent=1))
    print(
        f"Built the bench database ({connection.vendor}): {STUDENTS} students, {EXERCISES} exercises, "
        f"{state['attempts']} attempts, {state['answers']} answers in {state['build_seconds']} s."
    )


if __name__ == "__main__":
    main()
