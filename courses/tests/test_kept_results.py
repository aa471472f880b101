"""The dashboard's and the analytics' aggregates are kept per process (`courses.analytics.kept`) under a
digest of what they read: every write an instructor would expect to see shows at the next view."""

import datetime
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.analytics import ClassProgress
from exercises.models import Answer, Attempt, Exercise, Learner, Verdict

pytestmark = pytest.mark.django_db


@pytest.fixture
def lee():
    return Exercise.objects.get(slug="lee-2016-abstract")


def row_of(html, username):
    row = html[html.index(f'<tr data-student="{username}">') :]
    return row[: row.index("</tr>")]


def dashboard(client, course):
    return client.get(course.get_absolute_url()).content.decode()


def analytics(client, course, exercise, which="all"):
    url = reverse("course_exercise", args=[course.slug, exercise.slug])
    return client.get(f"{url}?attempts={which}").content.decode()


def test_an_attempt_made_after_a_view_shows_at_the_next_view(client, course, instructor, student, make, lee):
    course.join(student)
    learner = make.learner(student)
    make.attempt(learner, lee, right=False)
    client.force_login(instructor)
    assert '0% <span class="muted">(1 attempt)</span>' in row_of(dashboard(client, course), "student")
    make.attempt(learner, lee)
    html = dashboard(client, course)
    assert '100% <span class="muted">(2 attempts)</span>' in row_of(html, "student")
    assert '100% <span class="muted">(1 tried)</span>' in html


def test_an_accepted_objection_shows_on_the_dashboard_and_in_the_analytics_at_once(
    client, course, instructor, student, make, lee
):
    course.join(student)
    attempt = make.attempt(make.learner(student), lee, right=False, course=course)
    objection = make.objection(attempt)
    client.force_login(instructor)
    assert '0% <span class="muted">(1 attempt)</span>' in row_of(dashboard(client, course), "student")
    assert "Got it right: <strong>100%</strong>" not in analytics(client, course, lee)
    course.accept_objection(objection, instructor)
    score = round(100 / lee.sentences.count())
    assert f'{score}% <span class="muted">(1 attempt)</span>' in row_of(dashboard(client, course), "student")
    assert "Got it right: <strong>100%</strong> (1 of 1 answers)" in analytics(client, course, lee)


def test_a_removed_student_leaves_the_class_average_at_once(client, course, instructor, make, lee):
    strong, weak = make.user("strong"), make.user("weak")
    for user, right in ((strong, True), (weak, False)):
        course.join(user)
        make.attempt(make.learner(user), lee, right=right)
    client.force_login(instructor)
    assert '50% <span class="muted">(2 tried)</span>' in dashboard(client, course)
    course.remove_student(weak)
    html = dashboard(client, course)
    assert '100% <span class="muted">(1 tried)</span>' in html and 'data-student="weak"' not in html


def test_an_attempt_written_by_hand_in_sql_shows_at_the_next_view(client, course, instructor, student, make, lee):
    course.join(student)
    attempt = make.attempt(make.learner(student), lee, right=False)
    client.force_login(instructor)
    assert "Counting 1 attempt by 1 student" in analytics(client, course, lee)
    assert "Got it right: <strong>100%</strong>" not in analytics(client, course, lee)
    # As an administrator might, outside the app: the database moves the learner's version itself.
    Answer.objects.filter(attempt=attempt).update(verdict=Verdict.RIGHT)
    Attempt.objects.filter(pk=attempt.pk).update(correct=attempt.total)
    assert "Got it right: <strong>100%</strong>" in analytics(client, course, lee)
    assert '100% <span class="muted">(1 attempt)</span>' in row_of(dashboard(client, course), "student")


def test_a_due_time_passing_marks_the_untried_overdue_with_nothing_written(
    client, course, instructor, student, make, lee
):
    course.join(student)
    due = timezone.now() + datetime.timedelta(hours=1)
    course.assignments.filter(exercise=lee).update(due=due)
    client.force_login(instructor)
    overdue = '<span class="mark mark-overdue">overdue</span>'
    assert overdue not in row_of(dashboard(client, course), "student")
    with mock.patch("courses.analytics.timezone.now", return_value=due + datetime.timedelta(minutes=1)):
        assert row_of(dashboard(client, course), "student").count(overdue) == 1


def test_practice_from_a_learner_who_is_not_in_the_class_keeps_the_kept_results(course, student, make, lee):
    course.join(student)
    make.attempt(make.learner(student), lee)
    progress = ClassProgress.for_course(course)
    outsider = make.learner(make.user("outsider"))
    make.attempt(outsider, lee)
    assert Learner.objects.get(pk=outsider.pk).results_version > 0
    assert ClassProgress.for_course(course).rows_digest == progress.rows_digest
