"""Where log-in and sign-up lead: each role to the page it needs, unless `next` names a page here."""

import pytest
from django.urls import reverse

from testing.factory import PASSWORD

pytestmark = pytest.mark.django_db


def log_in(client, username, **extra):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD, **extra}, follow=True)


def landing(client, username, **extra):
    return log_in(client, username, **extra).redirect_chain[-1][0]


def test_an_instructor_lands_on_their_courses(client, course):
    assert landing(client, "instructor") == reverse("courses")


def test_a_student_with_assignments_in_one_course_lands_on_that_course(client, course, student):
    course.join(student)
    assert landing(client, "student") == course.get_absolute_url()


def test_a_student_with_assignments_in_several_courses_lands_on_the_list(client, course, student, make, instructor):
    course.join(student)
    make.course(instructor, "Writing 202").join(student)
    assert landing(client, "student") == reverse("courses")


def test_a_student_whose_course_assigns_nothing_lands_on_their_progress(client, course, student):
    course.join(student)
    course.set_assignments({})
    assert landing(client, "student") == reverse("progress")


def test_an_account_without_a_course_lands_on_its_progress(client, student):
    assert landing(client, "student") == reverse("progress")


def test_a_next_on_this_site_wins_over_the_role(client, course):
    assert landing(client, "instructor", next=reverse("exercises")) == reverse("exercises")


def test_a_next_on_another_site_is_ignored(client, course):
    assert landing(client, "instructor", next="https://evil.example/courses/") == reverse("courses")
    client.post(reverse("logout"))
    assert landing(client, "instructor", next="//evil.example/") == reverse("courses")


def test_a_new_account_without_a_next_lands_on_its_progress(client):
    data = {"username": "newcomer", "password1": "a-fresh-pass-phrase-77", "password2": "a-fresh-pass-phrase-77"}
    response = client.post(reverse("signup"), data, follow=True)
    assert response.redirect_chain == [(reverse("start"), 302), (reverse("progress"), 302)]


def test_the_landing_needs_an_account(client):
    response = client.get(reverse("start"))
    assert response["Location"] == f"{reverse('login')}?next={reverse('start')}"
