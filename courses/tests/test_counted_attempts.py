"""A course counts only the work done for it (review M6b): attempts made after the student joined.
Earlier practice stays on the student's own Progress page."""

from datetime import timedelta

import pytest
from django.urls import reverse

from courses.analytics import ClassProgress, exercise_analytics
from courses.demo import load_demo
from exercises.models import Attempt, Exercise

pytestmark = pytest.mark.django_db


@pytest.fixture
def lee():
    return Exercise.objects.get(slug="lee-2016-abstract")


@pytest.fixture
def practised_before_joining(course, student, make, lee):
    """`student` tried Lee's abstract (all wrong) before joining the course."""
    attempt = make.attempt(make.learner(student), lee, right=False)
    joined = course.join(student).joined
    Attempt.objects.filter(pk=attempt.pk).update(created=joined - timedelta(days=1))
    return attempt


def test_attempts_made_before_joining_do_not_count_in_the_course(course, student, practised_before_joining, lee):
    assert not course.class_attempts().exists()
    cell = ClassProgress.for_course(course).cells[student.pk, lee.pk]
    assert cell.attempts == 0 and cell.best is None
    assert exercise_analytics(course, lee, "all")["attempts"] == 0


def test_attempts_made_after_joining_count(course, student, practised_before_joining, make, lee):
    later = make.attempt(make.learner(student), lee)
    assert list(course.class_attempts()) == [later]
    cell = ClassProgress.for_course(course).cells[student.pk, lee.pk]
    assert (cell.attempts, cell.best) == (1, 100.0)


def test_every_course_page_and_export_leaves_out_earlier_practice(
    client, course, instructor, student, practised_before_joining, lee
):
    client.force_login(instructor)
    dashboard = client.get(course.get_absolute_url()).content.decode()
    assert "0% <span" not in dashboard.split('<tr data-student="student">')[1].split("</tr>")[0]
    detail = client.get(reverse("course_student", args=[course.slug, student.pk])).content.decode()
    assert "No attempts on this course" in detail
    analytics = client.get(reverse("course_exercise", args=[course.slug, lee.slug]) + "?attempts=all")
    assert "No answers yet" in analytics.content.decode()
    answers = b"".join(client.get(reverse("course_export_answers", args=[course.slug])).streaming_content)
    assert len(answers.decode("utf-8-sig").splitlines()) == 1  # the header alone
    progress = b"".join(client.get(reverse("course_export_progress", args=[course.slug])).streaming_content)
    line = next(line for line in progress.decode("utf-8-sig").splitlines() if ",lee-2016-abstract," in line)
    assert line.split(",")[-4:-2] == ["0", ""]  # no attempts, no best score


def test_the_student_sees_earlier_practice_on_progress_but_not_on_the_course_page(
    client, course, student, practised_before_joining
):
    client.force_login(student)
    course_page = client.get(course.get_absolute_url()).content.decode()
    row = course_page.split('<tr data-exercise="lee-2016-abstract"')[1].split("</tr>")[0]
    assert "Not started" in row
    assert "0%" in client.get(reverse("progress")).content.decode()


def test_a_student_of_another_course_only_counts_where_they_are(course, student, make, instructor, lee):
    other = make.course(instructor, "Writing 202")
    other.join(student)
    make.attempt(make.learner(student), lee)
    assert other.class_attempts().count() == 1
    assert course.class_attempts().count() == 0  # not a member here at all


def test_the_demo_class_shows_its_attempts_and_due_times_past_and_future(settings):
    settings.DEBUG = True
    course = load_demo()
    counted = course.class_attempts().count()
    assert counted == Attempt.objects.filter(learner__user__in=course.students()).count() > 0
    dues = [a.due for a in course.assignments.exclude(due=None)]
    from django.utils import timezone

    assert any(due < timezone.now() for due in dues) and any(due > timezone.now() for due in dues)
    deadlines = {cell.deadline for cell in ClassProgress.for_course(course).cells.values()}
    assert {"late", "on-time", "overdue"} <= deadlines
