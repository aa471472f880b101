"""One person, one learner: a browser's concurrent first submissions, and an account's, land together."""

import pytest
from django.test import Client
from django.urls import reverse

from exercises.models import Attempt, Learner
from testing.factory import PASSWORD

pytestmark = pytest.mark.django_db

CSRF_SECRET = "abcdefghijklmnopqrstuvwxyzABCDEF"


def first_submission_from(browser_cookie, make, exercise):
    """A request with no session yet (as each of several racing first submissions has), same browser."""
    client = Client()
    client.cookies["csrftoken"] = browser_cookie
    response = client.post(reverse("exercise_submit", args=[exercise.slug]), make.answers(exercise))
    assert response.status_code == 302
    return client


def test_first_submissions_racing_from_one_browser_end_in_one_learner(make, exercise):
    tabs = [first_submission_from(CSRF_SECRET, make, exercise) for _ in range(3)]
    assert Learner.objects.count() == 1
    assert sorted(Attempt.objects.values_list("number", flat=True)) == [1, 2, 3]
    # Whichever session cookie the browser keeps, it sees every attempt.
    html = tabs[1].get(reverse("progress")).content.decode()
    assert '<tr data-exercise="lee-2016-abstract">' in html and "<td>3</td>" in html


def test_two_browsers_are_two_learners(make, exercise):
    first_submission_from(CSRF_SECRET, make, exercise)
    first_submission_from(CSRF_SECRET[::-1], make, exercise)
    assert Learner.objects.count() == 2


def test_once_claimed_by_an_account_the_browser_starts_a_new_anonymous_learner(make, exercise, student):
    client = first_submission_from(CSRF_SECRET, make, exercise)
    client.post(reverse("login"), {"username": "student", "password": PASSWORD})
    claimed = Learner.objects.get()
    assert claimed.user == student and claimed.browser_key is None
    first_submission_from(CSRF_SECRET, make, exercise)
    assert Learner.objects.filter(user=None).count() == 1
    assert claimed.attempts.count() == 1
