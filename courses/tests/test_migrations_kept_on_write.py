"""The migration that starts keeping each student's first attempt for a course finds, among the
attempts already made for courses, each student's earliest per course and exercise."""

from importlib import import_module

import pytest
from django.apps import apps

from courses.models import CourseFirstAttempt

pytestmark = pytest.mark.django_db
migration = import_module("courses.migrations.0006_course_first_attempts")


def test_each_students_earliest_attempt_per_course_and_exercise_is_found(make, student, course, instructor, exercise):
    other_course = make.course(instructor, "Writing 102")
    learner, classmate = make.learner(student), make.learner(make.user("classmate"))
    make.attempt(learner, exercise)  # on their own: no course's
    mine = make.attempt(learner, exercise, course=course)
    make.attempt(learner, exercise, course=course)
    theirs = make.attempt(classmate, exercise, course=course)
    elsewhere = make.attempt(learner, exercise, course=other_course)
    CourseFirstAttempt.objects.all().delete()  # as before the migration

    migration.record_the_first_attempts(apps, None)

    found = set(CourseFirstAttempt.objects.values_list("attempt", "course", "learner"))
    assert found == {
        (mine.pk, course.pk, learner.pk),
        (theirs.pk, course.pk, classmate.pk),
        (elsewhere.pk, other_course.pk, learner.pk),
    }
