"""Co-instructors by invitation (issue 11, security review 13 and 3i): an instructor invites a
username, the answer never says whether that account exists, and nothing changes until the invitee
accepts on their own Courses page."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from courses.models import Course, Invitation, Membership, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(make):
    return make.user("colleague")


def invite(client, course, username, **kwargs):
    return client.post(reverse("course_add_instructor", args=[course.slug]), {"username": username}, **kwargs)


def accept(client, invitation):
    return client.post(reverse("accept_invitation", args=[invitation.pk]))


def decline(client, invitation):
    return client.post(reverse("decline_invitation", args=[invitation.pk]))


def withdraw_url(invitation):
    return reverse("course_withdraw_invitation", args=[invitation.course.slug, invitation.pk])


def test_inviting_a_colleague_changes_nothing_until_they_accept(client, course, instructor, colleague):
    client.force_login(instructor)
    response = invite(client, course, "colleague", follow=True)
    html = response.content.decode()
    assert "If an account called colleague exists, they will see your invitation on their Courses page." in html
    invitation = Invitation.objects.get()
    assert (invitation.course, invitation.user, invitation.invited_by) == (course, colleague, instructor)
    assert course.role_of(colleague) is None
    # The dashboard lists it as waiting, with a way to withdraw it.
    assert "Invited to teach, waiting for an answer" in html
    assert f'href="{withdraw_url(invitation)}">Withdraw…</a>' in html


def test_the_invitation_waits_on_the_invitees_courses_page_with_accept_and_decline_forms(
    client, course, instructor, colleague
):
    invitation = course.invite("colleague", instructor)
    client.force_login(colleague)
    html = client.get(reverse("courses")).content.decode()
    assert "Invitations to teach" in html
    assert course.title in html and "instructor invites you to teach this course." in html
    for action in ("accept_invitation", "decline_invitation"):
        # Plain forms that post with a CSRF token: no JavaScript needed.
        form = re.search(rf'<form method="post" action="{reverse(action, args=[invitation.pk])}">(.*?)</form>', html)
        assert form and 'name="csrfmiddlewaretoken"' in form.group(1), action


def test_nobody_else_sees_the_invitation(client, course, instructor, colleague, stranger):
    course.invite("colleague", instructor)
    client.force_login(stranger)
    assert "Invitations to teach" not in client.get(reverse("courses")).content.decode()


def test_accepting_makes_the_invitee_an_instructor_and_ends_the_invitation(client, course, instructor, colleague):
    invitation = course.invite("colleague", instructor)
    client.force_login(colleague)
    response = accept(client, invitation)
    assert response.status_code == 302 and response["Location"] == course.get_absolute_url()
    assert course.role_of(colleague) == Role.INSTRUCTOR
    assert not Invitation.objects.exists()
    html = client.get(course.get_absolute_url()).content.decode()
    assert f"You now teach {course.title}." in html
    assert "Class progress" in html


def test_an_invitation_can_be_accepted_once(client, course, instructor, colleague):
    invitation = course.invite("colleague", instructor)
    client.force_login(colleague)
    assert accept(client, invitation).status_code == 302
    assert accept(client, invitation).status_code == 404
    assert Membership.objects.filter(course=course, user=colleague).count() == 1


def test_an_answer_that_comes_after_the_invitation_is_gone_changes_nothing(course, instructor, colleague):
    # Two tabs: both loaded the invitation; the first accepts, the second finds nothing to accept.
    pk = course.invite("colleague", instructor).pk
    first, second = Invitation.objects.get(pk=pk), Invitation.objects.get(pk=pk)
    first.accept()
    with pytest.raises(Invitation.DoesNotExist):
        second.accept()
    assert course.role_of(colleague) == Role.INSTRUCTOR


def test_a_student_who_accepts_teaches_the_course_and_is_told_so(client, course, instructor, student):
    course.join(student)
    invitation = course.invite("student", instructor)
    client.force_login(student)
    assert "You take this course now: accepting makes you one of its instructors" in (
        client.get(reverse("courses")).content.decode()
    )
    response = accept(client, invitation)
    assert course.role_of(student) == Role.INSTRUCTOR
    html = client.get(response["Location"]).content.decode()
    assert f"You were a student of {course.title}; you now teach it." in html
    assert not course.students().filter(pk=student.pk).exists()


def test_declining_ends_the_invitation_and_changes_nothing_else(client, course, instructor, colleague):
    invitation = course.invite("colleague", instructor)
    client.force_login(colleague)
    response = decline(client, invitation)
    assert response.status_code == 302 and response["Location"] == reverse("courses")
    assert course.role_of(colleague) is None
    assert not Invitation.objects.exists()
    assert f"You declined to teach {course.title}." in client.get(reverse("courses")).content.decode()
    assert accept(client, invitation).status_code == 404


def test_withdrawing_asks_first_and_then_the_invitee_cannot_accept(client, course, instructor, colleague):
    invitation = course.invite("colleague", instructor)
    client.force_login(instructor)
    page = client.get(withdraw_url(invitation))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Withdraw the invitation to colleague?" in html
    assert f'<form method="post" action="{withdraw_url(invitation)}"' in html
    assert Invitation.objects.exists()  # the GET only asks
    response = client.post(withdraw_url(invitation), follow=True)
    assert "The invitation to colleague is withdrawn." in response.content.decode()
    client.force_login(colleague)
    assert accept(client, invitation).status_code == 404
    assert course.role_of(colleague) is None


def test_a_stranger_cannot_answer_someone_elses_invitation(client, course, instructor, colleague, stranger):
    invitation = course.invite("colleague", instructor)
    client.force_login(stranger)
    assert accept(client, invitation).status_code == 404
    assert decline(client, invitation).status_code == 404
    assert Invitation.objects.filter(pk=invitation.pk, user=colleague).exists()
    assert course.role_of(stranger) is None


def test_answering_needs_a_post_with_a_csrf_token(course, instructor, colleague):
    invitation = course.invite("colleague", instructor)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(colleague)
    assert browser.get(reverse("accept_invitation", args=[invitation.pk])).status_code == 405
    assert accept(browser, invitation).status_code == 403
    assert decline(browser, invitation).status_code == 403
    assert course.role_of(colleague) is None and Invitation.objects.exists()


def normalised(response, username):
    """The page with the invited name, the invitation's id and the per-response CSRF token blanked."""
    html = response.content.decode().replace(username, "NAME")
    html = re.sub(r"/invitations/\d+/", "/invitations/ID/", html)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value="TOKEN"', html)


def test_the_answer_for_an_unknown_username_is_the_same_as_for_a_known_one(client, course, instructor, make):
    make.user("k-okafor")
    client.force_login(instructor)
    known = invite(client, course, "k-okafor")
    known_page = client.get(known["Location"])
    assert Invitation.objects.get().user is not None
    Invitation.objects.all().delete()
    unknown = invite(client, course, "nobody-here")
    unknown_page = client.get(unknown["Location"])
    assert Invitation.objects.get().user is None
    assert (
        (known.status_code, known["Location"])
        == (unknown.status_code, unknown["Location"])
        == (302, course.get_absolute_url())
    )
    assert "If an account called nobody-here exists" in unknown_page.content.decode()
    assert "k-okafor" in known_page.content.decode()
    assert normalised(known_page, "k-okafor") == normalised(unknown_page, "nobody-here")


def test_an_unknown_name_reaches_nobody_even_if_someone_signs_up_with_it_later(client, course, instructor, make):
    client.force_login(instructor)
    invite(client, course, "latecomer")
    invitation = Invitation.objects.get(username="latecomer")
    assert invitation.user is None
    latecomer = make.user("latecomer")
    client.force_login(latecomer)
    assert "Invitations to teach" not in client.get(reverse("courses")).content.decode()
    assert accept(client, invitation).status_code == 404
    assert course.role_of(latecomer) is None


def test_a_name_typed_in_another_case_reaches_the_same_account(client, course, instructor, colleague):
    client.force_login(instructor)
    invite(client, course, "Colleague")
    assert Invitation.objects.get().user == colleague


def test_an_instructor_cannot_invite_themselves(client, course, instructor):
    client.force_login(instructor)
    response = invite(client, course, "Instructor")
    assert response.status_code == 400
    assert "That is your own username: you teach this course already." in response.content.decode()
    assert not Invitation.objects.exists()


def test_inviting_someone_who_teaches_the_course_already_is_harmless(client, course, instructor, colleague):
    course.add_instructor(colleague)
    client.force_login(instructor)
    response = invite(client, course, "colleague", follow=True)
    assert "colleague teaches this course already." in response.content.decode()
    assert not Invitation.objects.exists()
    assert course.role_of(colleague) == Role.INSTRUCTOR


def test_inviting_twice_keeps_one_invitation(client, course, instructor, colleague, make):
    client.force_login(instructor)
    for username in ("colleague", "colleague", "ghost", "ghost"):
        assert invite(client, course, username).status_code == 302
    assert sorted(Invitation.objects.values_list("username", flat=True)) == ["colleague", "ghost"]


def test_a_co_instructor_can_withdraw_an_invitation_of_the_course(client, course, instructor, colleague, make):
    co_instructor = make.user("co-instructor")
    course.add_instructor(co_instructor)
    invitation = course.invite("colleague", instructor)
    client.force_login(co_instructor)
    assert client.post(withdraw_url(invitation)).status_code == 302
    assert not Invitation.objects.exists()


def test_an_invitation_cannot_be_withdrawn_through_another_course(client, course, instructor, colleague, make):
    other_course = Course.create_for(instructor, "Writing 202")
    invitation = other_course.invite("colleague", instructor)
    client.force_login(instructor)
    url = reverse("course_withdraw_invitation", args=[course.slug, invitation.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert Invitation.objects.filter(pk=invitation.pk).exists()


def test_a_deleted_invitees_invitation_stays_listed_like_one_to_an_unknown_name(course, instructor, colleague):
    invitation = course.invite("colleague", instructor)
    colleague.delete()
    invitation.refresh_from_db()
    assert (invitation.user, invitation.username) == (None, "colleague")


@pytest.mark.parametrize("size", [2, 20])
def test_the_courses_page_does_not_grow_queries_with_invitations_and_memberships(
    client, make, colleague, django_assert_num_queries, size
):
    for index in range(size):
        owner = make.user(f"owner{index:02d}")
        make.course(owner, f"Course {index:02d}").invite("colleague", owner)
        make.course(owner, f"Taken {index:02d}").join(colleague)
    client.force_login(colleague)
    # session, user, courses with their role, invitations with course and inviter,
    # the count of new answers to one's questions (the navigation shows it, issue 18)
    with django_assert_num_queries(5):
        response = client.get(reverse("courses"))
    html = response.content.decode()
    assert html.count('action="/courses/invitations/') == 2 * size
    assert html.count("You take this course.") == size


@pytest.mark.parametrize("size", [2, 20])
def test_the_dashboard_does_not_grow_queries_with_pending_invitations(
    client, course, instructor, make, django_assert_num_queries, size
):
    for index in range(size):  # half to accounts, half to names no account has
        if index % 2:
            make.user(f"invitee{index:02d}")
        course.invite(f"invitee{index:02d}", instructor)
    client.force_login(instructor)
    # session, user, membership+course, student count, assignments, the results' stamp, class averages,
    # open objections, instructors, pending invitations (no students yet: no page of students, no
    # progress rows), the count of new answers to one's questions (the navigation shows it, issue 18),
    # the questions panel's counts (one aggregate, courses/panels.py)
    with django_assert_num_queries(12):
        html = client.get(course.get_absolute_url()).content.decode()
    assert html.count(">Withdraw…</a>") == size
