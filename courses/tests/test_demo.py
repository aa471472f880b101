import pytest
from django.core.management import call_command

from courses.demo import DEMO_COURSE_SLUG, DEMO_STUDENTS
from courses.models import Course
from exercises.models import Attempt, Exercise

pytestmark = pytest.mark.django_db


def test_the_demo_class_is_not_created_with_debug_off(settings, capsys):
    settings.DEBUG = False
    call_command("load_demo")
    assert "not created: DEBUG is off" in capsys.readouterr().out
    assert not Course.objects.filter(slug=DEMO_COURSE_SLUG).exists()


def test_the_demo_class_is_created_once_with_debug_on(settings, capsys, client):
    settings.DEBUG = True
    call_command("load_demo")
    attempts = Attempt.objects.count()
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "username demo-instructor, password" in out
    course = Course.objects.get(slug=DEMO_COURSE_SLUG)
    assert course.students().count() == len(DEMO_STUDENTS)
    assert attempts > len(DEMO_STUDENTS)
    assert Attempt.objects.count() == attempts
    assert client.login(username="demo-instructor", password=settings.DEMO_PASSWORD)
    assert "ada" in client.get(course.get_absolute_url()).content.decode()


def test_the_demo_class_assigns_the_guided_exercises_only(settings):
    settings.DEBUG = True
    call_command("load_demo")
    course = Course.objects.get(slug=DEMO_COURSE_SLUG)
    assert not course.assignments.filter(exercise__exemplar=False).exists()
    assert course.assignments.count() == Exercise.objects.filter(exemplar=True).count()
    assert not Attempt.objects.filter(exercise__exemplar=False).exists()
