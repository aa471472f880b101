"""The migrations that start keeping facts on write fill them in from what is already stored: each
student's first attempt for a course, and the courses whose own exercises have a second revision."""

from importlib import import_module

import pytest
from django.apps import apps

from courses.models import Course, CourseFirstAttempt
from courses.tests.authoring_support import publish_revision, published_exercise

pytestmark = pytest.mark.django_db


def test_each_students_earliest_attempt_per_course_and_exercise_is_found(make, student, course, instructor, exercise):
    other_course = make.course(instructor, "Writing 102")
    learner, classmate = make.learner(student), make.learner(make.user("classmate"))
    make.attempt(learner, exercise)  # on their own: no course's
    mine = make.attempt(learner, exercise, course=course)
    make.attempt(learner, exercise, course=course)
    theirs = make.attempt(classmate, exercise, course=course)
    elsewhere = make.attempt(learner, exercise, course=other_course)
    CourseFirstAttempt.objects.all().delete()  # as before the migration

    import_module("courses.migrations.0006_course_first_attempts").record_the_first_attempts(apps, None)

    found = set(CourseFirstAttempt.objects.values_list("attempt", "course", "learner"))
    assert found == {
        (mine.pk, course.pk, learner.pk),
        (theirs.pk, course.pk, classmate.pk),
        (elsewhere.pk, other_course.pk, learner.pk),
    }


def test_the_courses_whose_own_exercise_has_a_second_revision_are_marked(course, instructor, make):
    other = make.course(instructor, "Writing 102")
    revised = published_exercise(course, instructor)
    publish_revision(revised, instructor)
    published_exercise(other, instructor)  # one revision only
    Course.objects.update(has_revisions=False)  # as before the migration

    import_module("courses.migrations.0007_course_has_revisions").mark_the_courses_with_revisions(apps, None)

    assert set(Course.objects.filter(has_revisions=True)) == {course}
