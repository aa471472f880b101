"""The answers CSV: read a group of students at a time, in the order one sorted query gave."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import F, OuterRef, Subquery
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses import exports
from courses.models import Assignment
from exercises.models import Answer, Attempt, Exercise

pytestmark = pytest.mark.django_db


@pytest.fixture
def lee():
    return Exercise.objects.get(slug="lee-2016-abstract")


@pytest.fixture
def diehl():
    return Exercise.objects.get(slug="diehl-2015-abstract")


@pytest.fixture
def small_class(course, make, lee, diehl):
    """Students joined out of name order, each with attempts made out of slug order; one without any,
    one who practised before joining, an anonymous learner and another course's student beside them."""
    early = make.user("eve")
    make.attempt(make.learner(early), lee)  # before joining: not the course's
    course.join(early)
    for name in ["mia", "amy", "Zed", "bea", "cal"]:
        user = make.user(name)
        course.join(user)
        learner = make.learner(user)
        make.attempt(learner, lee, right=False)
        make.attempt(learner, diehl)
        make.attempt(learner, lee)
    course.join(make.user("dan"))  # no attempts
    make.attempt(make.learner(), lee)
    other = make.user("ole")
    make.course(make.user("other-teacher"), "Another class").join(other)
    make.attempt(make.learner(other), lee)
    late = Attempt.objects.filter(learner__user__username="bea", exercise=lee)
    late.update(created=F("created") + timedelta(days=2))
    course.assignments.filter(exercise=lee).update(due=timezone.now() + timedelta(days=1))
    return course


def rows_sorted_in_one_query(course):
    """The rows as the export wrote them before it read by groups: one query, sorted by the database."""
    due = Assignment.objects.filter(course=course, exercise=OuterRef("attempt__exercise")).values("due")[:1]
    answers = (
        Answer.objects.filter(attempt__in=course.class_attempts())
        .annotate(
            due=Subquery(due),
            student=F("attempt__learner__user__username"),
            exercise_slug=F("attempt__exercise__slug"),
            attempt_number=F("attempt__number"),
            submitted=F("attempt__created"),
            position=F("sentence__position"),
            text=F("sentence__text"),
            chosen_slug=F("chosen__slug"),
            right_slug=F("sentence__label__slug"),
        )
        .order_by("student", "exercise_slug", "attempt_number", "position")
        .values_list(
            "student",
            "exercise_slug",
            "attempt_number",
            "submitted",
            "position",
            "text",
            "chosen_slug",
            "right_slug",
            "verdict",
            "due",
        )
    )
    rows = []
    for *row, due in answers:
        late = "" if due is None else "yes" if row[3] > due else "no"
        # The revision (third) is empty: these are the guide's exercises, not a course's own.
        rows.append([str(value) for value in [*row[:2], "", row[2], row[3].isoformat(), *row[4:], late]])
    return rows


def download(client, course):
    body = b"".join(client.get(reverse("course_export_answers", args=[course.slug])).streaming_content)
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


@pytest.mark.parametrize("group_size", [1, 2, 1000])
def test_answers_come_in_the_order_one_sorted_query_gave(
    client, small_class, instructor, lee, diehl, monkeypatch, group_size
):
    monkeypatch.setattr(exports, "STUDENTS_PER_QUERY", group_size)
    client.force_login(instructor)
    rows = download(client, small_class)
    assert rows[0] == exports.ANSWERS_HEADER
    assert rows[1:] == rows_sorted_in_one_query(small_class)
    sentences = lee.sentences.count() * 2 + diehl.sentences.count()
    assert len(rows) == 1 + 5 * sentences  # eve's earlier practice, dan, the anonymous learner and ole: none
    assert [row[0] for row in rows[1::sentences]] == sorted({row[0] for row in rows[1:]}, key=students(small_class))
    assert {row[10] for row in rows[1:] if row[1] == lee.slug} == {"yes", "no"}
    assert {row[10] for row in rows[1:] if row[1] == diehl.slug} == {""}


def students(course):
    """Sort key: a student's place in the course's roster (the database's order of usernames)."""
    order = list(course.students().values_list("username", flat=True))
    return order.index


def test_the_answers_export_needs_one_query_per_group_of_students(
    client, course, instructor, make, lee, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(exports, "STUDENTS_PER_QUERY", 2)
    client.force_login(instructor)
    for size, groups in [(2, 1), (4, 2)]:
        for index in range(len(course.students()), size):
            user = make.user(f"s{index:03d}")
            course.join(user)
            make.attempt(make.learner(user), lee)
        # session, user, membership+course, due times, students, then one per group of students
        with django_assert_num_queries(5 + groups):
            b"".join(client.get(reverse("course_export_answers", args=[course.slug])).streaming_content)


def test_the_first_row_leaves_before_the_other_groups_are_read(client, course, instructor, make, lee, monkeypatch):
    monkeypatch.setattr(exports, "STUDENTS_PER_QUERY", 1)
    monkeypatch.setattr(exports, "CHUNK_BYTES", 1)  # a chunk per row
    for name in ["a", "b", "c"]:
        user = make.user(name)
        course.join(user)
        make.attempt(make.learner(user), lee)
    client.force_login(instructor)
    stream = iter(client.get(reverse("course_export_answers", args=[course.slug])).streaming_content)
    with CaptureQueriesContext(connection) as queries:
        first = next(stream).decode("utf-8-sig")
    assert first.splitlines()[1].startswith("a,lee-2016-abstract,,1,")  # no revision: the guide's exercise
    assert len(queries) == 3  # due times, students, the first student's answers
    with CaptureQueriesContext(connection) as queries:
        b"".join(stream)
    assert len(queries) == 2
