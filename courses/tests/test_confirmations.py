"""Nothing destructive in a course happens in one click (review M7): making a new code, removing a
student and taking exercises away each ask first, without JavaScript."""

import pytest
from django.urls import reverse

from courses.models import Role
from exercises.models import Exercise

pytestmark = pytest.mark.django_db


def test_make_a_new_code_is_a_link_to_a_page_that_explains_and_asks(client, course, instructor):
    client.force_login(instructor)
    url = reverse("course_regenerate_code", args=[course.slug])
    dashboard = client.get(course.get_absolute_url()).content.decode()
    assert f'<a href="{url}">Make a new code…</a>' in dashboard
    assert f'action="{url}"' not in dashboard  # no one-click form on the dashboard
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert course.join_code in html and "stop working at once" in html
    assert f'<form method="post" action="{url}"' in html
    old = course.join_code
    course.refresh_from_db()
    assert course.join_code == old  # looking changes nothing


def test_confirming_makes_the_new_code(client, course, instructor):
    old = course.join_code
    client.force_login(instructor)
    response = client.post(reverse("course_regenerate_code", args=[course.slug]), follow=True)
    course.refresh_from_db()
    assert course.join_code != old
    assert f"New join code: {course.join_code}" in response.content.decode()


def test_remove_is_a_quiet_link_at_the_end_of_the_student_page(client, course, instructor, student, make):
    course.join(student)
    make.attempt(make.learner(student), Exercise.objects.get(slug="lee-2016-abstract"))
    client.force_login(instructor)
    html = client.get(reverse("course_student", args=[course.slug, student.pk])).content.decode()
    url = reverse("course_remove_student", args=[course.slug, student.pk])
    assert f'<p class="quiet-action"><a href="{url}">Remove student from Writing 101…</a></p>' in html
    assert html.index("quiet-action") > html.index('class="student-attempt"')
    assert "<button" not in html.split("<main")[1].split("</main>")[0]  # not a button at all


def test_the_removal_page_explains_and_asks(client, course, instructor, student):
    course.join(student)
    client.force_login(instructor)
    url = reverse("course_remove_student", args=[course.slug, student.pk])
    html = client.get(url).content.decode()
    assert "Remove student from Writing 101?" in html
    assert "Their attempts are kept" in html and f'<form method="post" action="{url}"' in html
    assert course.role_of(student) == Role.STUDENT
    client.post(url)
    assert course.role_of(student) is None


def test_taking_exercises_away_asks_once_more_and_saves_nothing_until_confirmed(client, course, instructor):
    lee = Exercise.objects.get(slug="lee-2016-abstract")
    client.force_login(instructor)
    url = reverse("course_assignments", args=[course.slug])
    before = course.assignments.count()
    response = client.post(url, {f"assign-{lee.pk}": "on"})
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Take {before - 1} exercises away from the course?" in html
    assert 'name="confirm" value="yes"' in html
    assert course.assignments.count() == before
    assert client.post(url, {f"assign-{lee.pk}": "on", "confirm": "yes"}).status_code == 302
    assert list(course.assignments.values_list("exercise", flat=True)) == [lee.pk]


def test_saving_without_taking_anything_away_needs_no_confirmation(client, course, instructor):
    client.force_login(instructor)
    data = {f"assign-{pk}": "on" for pk in Exercise.objects.values_list("pk", flat=True)}
    assert client.post(reverse("course_assignments", args=[course.slug]), data).status_code == 302
