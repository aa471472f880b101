"""Whole pages kept for visitors (`lessons.pages`): never another person's page, never stale."""

import re

import pytest
from django.http import HttpResponse
from django.template import engines
from django.test import Client
from django.urls import path, reverse

from lessons.models import Lesson
from lessons.pages import kept_for_visitors

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


@kept_for_visitors
def _page_with_a_form(request):
    template = engines["django"].from_string('<form method="post">{% csrf_token %}</form>')
    return HttpResponse(template.render({}, request))


urlpatterns = [path("form/", _page_with_a_form)]


@pytest.mark.urls(__name__)
def test_a_page_holding_a_csrf_token_is_never_kept():
    first, second = Client(), Client()
    for visitor in (first, second):
        response = visitor.get("/form/")
        assert visitor.cookies["csrftoken"].value
        assert TOKEN.search(response.content.decode())
    # Each visitor's form posts with their own token: had the first page been kept, the second
    # visitor would hold the first one's token (and its secret).
    first_token = TOKEN.search(first.get("/form/").content.decode()).group(1)
    second_token = TOKEN.search(second.get("/form/").content.decode()).group(1)
    assert first_token != second_token
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
