import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from exercises.models import Answer, Attempt, Learner
from testing.factory import PASSWORD

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
    assert response["Location"] == reverse("start")
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


def test_an_email_is_optional_on_sign_up_and_kept_when_given(client):
    for username, email in (("no-email", ""), ("with-email", "ada@example.org")):
        data = {"username": username, "email": email, "password1": PASSWORD, "password2": PASSWORD}
        assert client.post(reverse("signup"), data).status_code == 302
        client.post(reverse("logout"))
    emails = dict(get_user_model().objects.values_list("username", "email"))
    assert emails == {"no-email": "", "with-email": "ada@example.org"}


def test_a_malformed_email_on_sign_up_is_refused_with_a_message(client):
    data = {"username": "newcomer", "email": "not-an-address", "password1": PASSWORD, "password2": PASSWORD}
    response = client.post(reverse("signup"), data)
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    assert get_user_model().objects.count() == 0


def test_the_sign_up_help_is_in_our_words_not_djangos(client):
    html = client.get(reverse("signup")).content.decode()
    assert "Required. 150 characters or fewer" not in html
    assert "other personal information" not in html
    assert "Up to 150 letters, digits and the signs @ . + - _" in html
    assert "We use it only to send you a link if you forget your password." in html


def test_the_sign_up_and_log_in_pages_link_to_each_other_keeping_next(client):
    signup = client.get(reverse("signup"), {"next": "/courses/join/ABCDEFGH23/"}).content.decode()
    assert f'<a href="{reverse("login")}?next=/courses/join/ABCDEFGH23/">Log in</a>' in signup
    login = client.get(reverse("login"), {"next": "/courses/join/ABCDEFGH23/"}).content.decode()
    assert f'<a href="{reverse("signup")}?next=/courses/join/ABCDEFGH23/">Sign up</a>' in login


def test_the_sign_up_and_log_in_pages_drop_a_next_on_another_site(client):
    for name in ("signup", "login"):
        html = client.get(reverse(name), {"next": "https://evil.example/"}).content.decode()
        assert "evil.example" not in html


def test_sign_up_leads_to_a_next_on_this_site_only(client):
    data = {"username": "newcomer", "password1": PASSWORD, "password2": PASSWORD, "next": "https://evil.example/"}
    assert client.post(reverse("signup"), data)["Location"] == reverse("start")
    client.post(reverse("logout"))
    data = {**data, "username": "newcomer-2", "next": "/exercises/"}
    assert client.post(reverse("signup"), data)["Location"] == "/exercises/"


def test_the_header_shows_who_is_signed_in_and_links_to_their_account(client, student):
    client.force_login(student)
    html = client.get(reverse("exercises")).content.decode()
    assert f'Signed in as <a href="{reverse("account")}">student</a>' in html


def test_the_account_page_shows_the_account_and_links_to_change_the_password(client, student):
    client.force_login(student)
    html = client.get(reverse("account")).content.decode()
    assert "You are signed in as <strong>student</strong>." in html
    assert f'<a href="{reverse("password_change")}">Change your password</a>' in html


def test_the_account_page_changes_and_removes_the_email(client, student):
    client.force_login(student)
    response = client.post(reverse("account"), {"email": "student@example.org"}, follow=True)
    assert "Password-reset links will go to student@example.org." in response.content.decode()
    student.refresh_from_db()
    assert student.email == "student@example.org"
    client.post(reverse("account"), {"email": ""})
    student.refresh_from_db()
    assert student.email == ""


def test_the_account_page_refuses_a_malformed_email_and_keeps_the_old_one(client, student):
    student.email = "student@example.org"
    student.save()
    client.force_login(student)
    response = client.post(reverse("account"), {"email": "nope"})
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    student.refresh_from_db()
    assert student.email == "student@example.org"


def test_the_account_page_needs_an_account(client):
    response = client.get(reverse("account"))
    assert response["Location"] == f"{reverse('login')}?next={reverse('account')}"


def test_the_log_in_page_offers_a_password_reset(client):
    html = client.get(reverse("login")).content.decode()
    assert f'<a href="{reverse("password_reset")}">Forgot your password?</a>' in html
