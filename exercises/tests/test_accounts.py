import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from exercises.models import Answer, Attempt, Learner
from writing_guide.testing import PASSWORD

pytestmark = pytest.mark.django_db


def practise(client, make, exercise, right=True):
    response = client.post(reverse("exercise_submit", args=[exercise.slug]), make.answers(exercise, right=right))
    assert response.status_code == 302


def test_signing_up_moves_anonymous_attempts_to_the_account(client, make, exercise):
    practise(client, make, exercise, right=False)
    practise(client, make, exercise)
    response = client.post(reverse("signup"), {"username": "newcomer", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    user = get_user_model().objects.get(username="newcomer")
    assert list(Attempt.objects.filter(learner__user=user).values_list("number", "correct")) == [(2, 6), (1, 0)]
    assert Learner.objects.count() == 1
    html = client.get(reverse("progress")).content.decode()
    assert '<tr data-exercise="lee-2016-abstract">' in html
    assert "<td>2</td>" in html


def test_logging_in_merges_anonymous_attempts_after_the_accounts_own(client, make, student, exercise):
    make.attempt(make.learner(student), exercise)
    practise(client, make, exercise, right=False)
    answers_before = Answer.objects.count()
    response = client.post(reverse("login"), {"username": "student", "password": PASSWORD})
    assert response.status_code == 302
    attempts = list(Attempt.objects.filter(learner__user=student).order_by("number").values_list("number", "correct"))
    assert attempts == [(1, 6), (2, 0)]
    assert Answer.objects.count() == answers_before
    assert Learner.objects.count() == 1


def test_logging_in_twice_doubles_nothing(client, make, student, exercise):
    practise(client, make, exercise)
    client.post(reverse("login"), {"username": "student", "password": PASSWORD})
    client.post(reverse("logout"))
    client.post(reverse("login"), {"username": "student", "password": PASSWORD})
    assert Attempt.objects.filter(learner__user=student).count() == 1


def test_a_wrong_password_is_refused_with_a_message(client, student):
    response = client.post(reverse("login"), {"username": "student", "password": "wrong"})
    assert response.status_code == 400
    assert "Please enter a correct username and password" in response.content.decode()


def test_login_redirects_only_to_this_site(client, student):
    response = client.post(
        reverse("login"), {"username": "student", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("progress")
    client.post(reverse("logout"))
    response = client.post(reverse("login"), {"username": "student", "password": PASSWORD, "next": "/exercises/"})
    assert response["Location"] == "/exercises/"


def test_logout_needs_a_post(client, student):
    client.force_login(student)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_change(client, student):
    client.force_login(student)
    new = "another-long-password-77"
    response = client.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    student.refresh_from_db()
    assert student.check_password(new)


def test_password_change_needs_an_account(client):
    assert client.get(reverse("password_change")).status_code == 302


def test_signup_with_mismatched_passwords_is_refused(client):
    response = client.post(reverse("signup"), {"username": "x", "password1": PASSWORD, "password2": "nope"})
    assert response.status_code == 400
    assert get_user_model().objects.count() == 0
