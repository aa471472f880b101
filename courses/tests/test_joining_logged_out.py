"""A join link works for everyone: logged out, it names the course and leads through log-in or
sign-up into the course. A new account is enrolled at once; nothing else joins without a click."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from courses.models import Role
from testing.factory import PASSWORD
from writing_guide import throttle
from writing_guide.throttle import JOIN_CODE

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-fresh-pass-phrase-77"


def link(course):
    return reverse("join_link", args=[course.join_code])


def sign_up(client, username, next_url):
    data = {"username": username, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "next": next_url}
    return client.post(reverse("signup"), data, follow=True)


def test_a_join_link_opened_logged_out_names_the_course_and_offers_both_ways_in(client, course):
    response = client.get(link(course))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Join Writing 101</h1>" in html
    next_param = f"?next={link(course)}"
    assert f'href="{reverse("signup")}{next_param}">Sign up to join</a>' in html
    assert f'href="{reverse("login")}{next_param}">Log in to join</a>' in html


def test_signing_up_from_a_join_link_enrols_the_new_account_and_lands_on_the_course(client, course):
    signup_page = client.get(reverse("signup"), {"next": link(course)}).content.decode()
    assert f'<input type="hidden" name="next" value="{link(course)}">' in signup_page

    response = sign_up(client, "newcomer", link(course))

    newcomer = get_user_model().objects.get(username="newcomer")
    assert course.role_of(newcomer) == Role.STUDENT
    assert response.redirect_chain[-1] == (course.get_absolute_url(), 302)
    assert "You are in Writing 101." in [str(m) for m in response.context["messages"]]


def test_logging_in_from_a_join_link_asks_once_more_then_joins(client, course, student):
    response = client.post(reverse("login"), {"username": "student", "password": PASSWORD, "next": link(course)})
    assert response["Location"] == link(course)
    confirm = client.get(link(course)).content.decode()
    assert "Join Writing 101?" in confirm
    assert course.role_of(student) is None
    assert client.post(link(course))["Location"] == course.get_absolute_url()
    assert course.role_of(student) == Role.STUDENT


def test_an_account_signed_up_for_another_page_is_not_joined_by_opening_a_link(client, course):
    sign_up(client, "newcomer", reverse("exercises"))
    response = client.get(link(course))
    assert response.status_code == 200
    assert "Join Writing 101?" in response.content.decode()
    assert course.members.filter(username="newcomer").exists() is False


def test_the_sign_up_joins_once_and_a_later_visit_to_the_link_asks_again(client, course, make):
    sign_up(client, "newcomer", link(course))
    newcomer = get_user_model().objects.get(username="newcomer")
    course.remove_student(newcomer)
    assert "Join Writing 101?" in client.get(link(course)).content.decode()
    assert course.role_of(newcomer) is None


def test_a_sign_up_with_a_next_on_another_site_is_not_joined_and_lands_by_role(client, course):
    response = sign_up(client, "newcomer", f"https://evil.example{link(course)}")
    assert response.redirect_chain == [(reverse("start"), 302), (reverse("progress"), 302)]
    assert course.members.filter(username="newcomer").exists() is False


def test_a_logged_out_post_to_a_join_link_asks_to_log_in_and_joins_nobody(client, course):
    response = client.post(link(course))
    assert response["Location"] == f"{reverse('login')}?next=/courses/join/{course.join_code}/"
    assert course.memberships.count() == 1


def test_a_wrong_code_in_a_link_gets_the_clear_message_when_logged_out(client, course):
    response = client.get(reverse("join_link", args=["WRONGCODE2"]))
    assert response.status_code == 404
    assert "does not match any course" in response.content.decode()


def test_wrong_codes_from_a_logged_out_address_are_throttled_but_the_right_code_still_works(
    client, course, monkeypatch
):
    monkeypatch.setattr(throttle, "clock", lambda: 1_800_000_000.0)  # one window throughout
    for _ in range(JOIN_CODE.address_limit - 1):
        JOIN_CODE.record(address="127.0.0.1")
    statuses = [client.get(reverse("join_link", args=[f"WRONG{i:05d}"])).status_code for i in range(3)]
    assert statuses == [404, 429, 429]
    response = client.get(reverse("join_link", args=["WRONG00009"]))
    assert "Too many wrong join codes" in response.content.decode()
    assert int(response["Retry-After"]) > 0
    # A classmate behind the same address, with the right code, is not shut out.
    assert client.get(link(course)).status_code == 200


def test_the_join_code_page_works_logged_out_and_leads_to_the_join_link(client, course):
    page = client.get(reverse("join"))
    assert page.status_code == 200
    assert "Next you log in or sign up" in page.content.decode()
    response = client.post(reverse("join"), {"code": course.join_code.lower()})
    assert response["Location"] == link(course)
    wrong = client.post(reverse("join"), {"code": "WRONGCODE2"})
    assert wrong.status_code == 404
    assert "does not match any course" in wrong.content.decode()


def test_logged_out_visitors_find_the_join_code_page_in_the_header_and_on_the_log_in_page(client):
    join_link = f'<a href="{reverse("join")}">Join a course</a>'
    assert join_link in client.get(reverse("home")).content.decode()
    assert join_link in client.get(reverse("login")).content.decode()
    assert join_link in client.get(reverse("signup")).content.decode()
