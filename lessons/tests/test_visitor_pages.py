"""Whole pages kept for visitors (`lessons.pages`): never another person's page, never stale."""

import re

import pytest
from django.db import OperationalError
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template import engines
from django.test import Client
from django.urls import path, reverse

from lessons import pages
from lessons.models import Lesson
from lessons.pages import CSRF_MARKER, kept_for_visitors

LESSON = "/lessons/main-body/"
pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_a_visitor_after_another_gets_the_same_page_from_one_query(client, django_assert_num_queries):
    first = client.get(LESSON)
    with django_assert_num_queries(1):  # the guide's version
        again = Client().get(LESSON)
    assert again.status_code == 200
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_a_signed_in_reader_never_gets_a_visitors_page(client, student):
    assert "Log in" in Client().get(LESSON).content.decode()
    client.force_login(student)
    html = client.get(LESSON).content.decode()
    assert f'Signed in as <a href="{reverse("account")}">{student.username}</a>' in html
    assert "Sign up" not in html


def test_a_message_waiting_for_a_visitor_shows_on_a_kept_page(client, student):
    Client().get("/")  # kept for visitors
    client.force_login(student)
    html = client.post(reverse("logout"), follow=True).content.decode()
    assert "You are logged out." in html
    assert "Log in" in html


def test_a_reading_asked_in_the_address_is_made_for_it(client):
    client.get(LESSON)
    response = client.get(LESSON, {"only": "no-such-move"})
    assert response.status_code == 400
    assert "There is no move called “no-such-move”" in response.content.decode()


def test_a_new_guide_version_shows_the_new_page_at_once(client):
    client.get(LESSON)
    Lesson.objects.update(guide_version="after-a-reload")  # as every load does, on every lesson
    Lesson.objects.filter(slug="main-body").update(title="The Middle")
    assert "<title>The Middle · " in client.get(LESSON).content.decode()


def test_with_the_content_caches_off_every_visitor_gets_a_page_made_afresh(client, settings):
    settings.CONTENT_CACHES = False
    client.get(LESSON)
    Lesson.objects.filter(slug="main-body").update(title="The Middle")  # the version unchanged
    assert "<title>The Middle · " in client.get(LESSON).content.decode()


MADE = []  # the pages the views below made, in order


@kept_for_visitors
def _page_with_a_form(request):
    MADE.append("form")
    template = engines["django"].from_string('<form method="post">{% csrf_token %}</form>')
    return HttpResponse(template.render({}, request))


@kept_for_visitors
def _page_with_a_token_of_its_own(request):
    MADE.append("token")
    return HttpResponse(f"<p data-token='{get_token(request)}'>")


urlpatterns = [path("form/", _page_with_a_form), path("token/", _page_with_a_token_of_its_own)]


@pytest.mark.urls(__name__)
def test_a_kept_page_gives_each_visitor_their_own_csrf_token():
    MADE.clear()
    first, second = Client(), Client()
    tokens = [TOKEN.search(visitor.get("/form/").content.decode()).group(1) for visitor in (first, second)]
    assert MADE == ["form"]  # made once, then kept
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
    assert tokens[0] != tokens[1]
    assert CSRF_MARKER not in first.get("/form/").content.decode()


@pytest.mark.urls(__name__)
def test_a_page_that_takes_a_csrf_token_of_its_own_is_never_kept():
    MADE.clear()
    pages = {Client().get("/token/").content for _ in range(2)}
    assert MADE == ["token", "token"]
    assert len(pages) == 2


def test_two_visitors_each_submit_an_exercise_from_the_kept_page(django_assert_num_queries):
    url = reverse("exercise", args=["lee-2016-abstract"])
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.get(url)
    with django_assert_num_queries(1):  # the guide's version: the page was kept
        page = second.get(url).content.decode()
    for visitor, html in ((first, first.get(url).content.decode()), (second, page)):
        data = dict(re.findall(r'name="(csrfmiddlewaretoken|version)" value="([^"]+)"', html))
        data.update((field, "problem") for field in re.findall(r'name="(sentence-\d+)"', html))
        response = visitor.post(reverse("exercise_submit", args=["lee-2016-abstract"]), data)
        assert response.status_code == 302  # accepted (a CSRF refusal is a 403): on to the feedback
        assert "/attempts/" in response["Location"]


def test_a_database_fault_while_reading_the_version_is_the_503_page(client, monkeypatch):
    def outage(request=None):
        raise OperationalError("unable to open database file")

    monkeypatch.setattr(pages, "guide_version", outage)
    response = client.get(LESSON)
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    assert "We are back in a moment" in response.content.decode()
