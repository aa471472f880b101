from datetime import UTC, datetime

import pytest
from django.urls import reverse

from courses.models import JOIN_CODE_ALPHABET, Course, Membership, Role
from exercises.models import Exercise

pytestmark = pytest.mark.django_db


def test_a_signed_in_user_creates_a_course_and_teaches_it(client, instructor):
    client.force_login(instructor)
    response = client.post(reverse("course_new"), {"title": "Writing 101"})
    course = Course.objects.get()
    assert response.status_code == 302 and response["Location"] == course.get_absolute_url()
    assert course.role_of(instructor) == Role.INSTRUCTOR
    # The guided exercises only: the instructor picks unseen bank passages on the assignments page.
    assert set(course.assignments.values_list("exercise", flat=True)) == set(
        Exercise.objects.filter(exemplar=True).values_list("pk", flat=True)
    )
    assert Exercise.objects.filter(exemplar=False).exists()


def test_creating_a_course_needs_an_account_and_a_title(client, instructor):
    assert client.get(reverse("course_new")).status_code == 302
    client.force_login(instructor)
    assert client.post(reverse("course_new"), {"title": ""}).status_code == 400
    assert Course.objects.count() == 0


def test_join_codes_are_long_and_free_of_look_alikes(make, instructor):
    codes = {make.course(instructor, f"Course {i}").join_code for i in range(20)}
    assert len(codes) == 20
    for code in codes:
        assert len(code) >= 9  # 31 symbols: 9 of them carry 44.6 bits
        assert set(code) <= set(JOIN_CODE_ALPHABET)
    assert not set("01OIL") & set(JOIN_CODE_ALPHABET)


def test_a_course_slug_never_shadows_the_course_pages(make, instructor):
    assert make.course(instructor, "New").slug not in {"new", "join"}


def test_course_list_shows_what_a_user_teaches_and_takes(client, course, instructor, student):
    course.join(student)
    client.force_login(student)
    assert "You take this course." in client.get(reverse("courses")).content.decode()
    client.force_login(instructor)
    assert "You teach this course." in client.get(reverse("courses")).content.decode()


def test_a_student_joins_with_the_code_and_joining_twice_is_harmless(client, course, student):
    client.force_login(student)
    for _ in range(2):
        response = client.post(reverse("join"), {"code": course.join_code.lower()})
        assert response.status_code == 302
    assert Membership.objects.filter(course=course, user=student, role=Role.STUDENT).count() == 1


def test_the_join_link_asks_then_joins(client, course, student):
    client.force_login(student)
    url = reverse("join_link", args=[course.join_code])
    assert course.title in client.get(url).content.decode()
    assert course.role_of(student) is None
    assert client.post(url).status_code == 302
    assert course.role_of(student) == Role.STUDENT


def test_a_wrong_code_gets_a_clear_message(client, course, student):
    client.force_login(student)
    response = client.post(reverse("join"), {"code": "WRONGCODE2"})
    assert response.status_code == 404
    assert "does not match any course" in response.content.decode()
    assert course.role_of(student) is None


def test_repeated_wrong_codes_are_throttled(client, course, student):
    client.force_login(student)
    statuses = [client.post(reverse("join"), {"code": f"WRONG{i:05d}"}).status_code for i in range(8)]
    assert statuses[:6] == [404] * 6
    assert statuses[6:] == [429, 429]
    response = client.post(reverse("join"), {"code": course.join_code})
    assert response.status_code == 429
    assert response["Retry-After"] == "15"
    assert "Too many wrong join codes" in response.content.decode()
    assert course.role_of(student) is None


def test_the_instructor_regenerates_the_code_and_the_old_one_stops_working(client, course, instructor, student):
    old = course.join_code
    client.force_login(instructor)
    client.post(reverse("course_regenerate_code", args=[course.slug]))
    course.refresh_from_db()
    assert course.join_code != old
    client.force_login(student)
    assert client.post(reverse("join"), {"code": old}).status_code == 404


def test_the_instructor_invites_a_co_instructor_who_teaches_once_they_accept(client, course, instructor, make):
    colleague = make.user("colleague")
    client.force_login(instructor)
    client.post(reverse("course_add_instructor", args=[course.slug]), {"username": "colleague"})
    assert course.role_of(colleague) is None
    client.force_login(colleague)
    invitation = course.invitations.get(user=colleague)
    client.post(reverse("accept_invitation", args=[invitation.pk]))
    assert course.role_of(colleague) == Role.INSTRUCTOR
    assert client.get(course.get_absolute_url()).status_code == 200


def test_inviting_an_unknown_name_never_says_whether_the_account_exists(client, course, instructor):
    client.force_login(instructor)
    response = client.post(reverse("course_add_instructor", args=[course.slug]), {"username": "ghost"}, follow=True)
    html = response.content.decode()
    assert "If an account called ghost exists, they will see your invitation on their Courses page." in html
    assert "There is no user" not in html


def test_the_instructor_removes_a_student(client, course, instructor, student):
    course.join(student)
    client.force_login(instructor)
    client.post(reverse("course_remove_student", args=[course.slug, student.pk]))
    assert course.role_of(student) is None


def test_removing_an_instructor_as_a_student_is_404(client, course, instructor, make):
    colleague = make.user("colleague")
    course.add_instructor(colleague)
    client.force_login(instructor)
    assert client.post(reverse("course_remove_student", args=[course.slug, colleague.pk])).status_code == 404
    assert course.role_of(colleague) == Role.INSTRUCTOR


def test_the_instructor_chooses_assignments_and_due_dates(client, course, instructor):
    lee = Exercise.objects.get(slug="lee-2016-abstract")
    client.force_login(instructor)
    response = client.post(
        reverse("course_assignments", args=[course.slug]),
        {f"assign-{lee.pk}": "on", f"due-{lee.pk}": "2027-01-15", "confirm": "yes"},
    )
    assert response.status_code == 302
    # A date alone means the end of that day in the course's time zone (UTC here).
    assert list(course.assignments.values_list("exercise__slug", "due")) == [
        ("lee-2016-abstract", datetime(2027, 1, 15, 23, 59, tzinfo=UTC))
    ]


def test_a_bad_due_date_is_refused_and_nothing_changes(client, course, instructor):
    lee = Exercise.objects.get(slug="lee-2016-abstract")
    client.force_login(instructor)
    before = course.assignments.count()
    response = client.post(
        reverse("course_assignments", args=[course.slug]), {f"assign-{lee.pk}": "on", f"due-{lee.pk}": "soon"}
    )
    assert response.status_code == 400
    assert "Enter a valid date" in response.content.decode()
    assert course.assignments.count() == before


def test_a_student_sees_assigned_exercises_due_dates_and_their_best(client, course, student, make):
    course.join(student)
    lee = Exercise.objects.get(slug="lee-2016-abstract")
    course.assignments.filter(exercise=lee).update(due=datetime(2027, 2, 1, 17, 0, tzinfo=UTC))
    make.attempt(make.learner(student), lee)
    client.force_login(student)
    html = client.get(course.get_absolute_url()).content.decode()
    row = html[html.index('<tr data-exercise="lee-2016-abstract"') :]
    row = row[: row.index("</tr>")]
    assert "1 Feb 2027, 17:00" in row and "100%" in row and "Done, full marks" in row
    assert "Join code" not in html
