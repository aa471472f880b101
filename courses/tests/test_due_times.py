"""Due times (review M6): a date and a time in the course's zone, a warning for a past one, overdue
and late marks for students and instructors, and lists in due order."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.forms import AssignmentsForm
from courses.models import Assignment, Deadline
from exercises.models import Exercise

pytestmark = pytest.mark.django_db


@pytest.fixture
def lee():
    return Exercise.objects.get(slug="lee-2016-abstract")


def post_assignments(client, course, data):
    return client.post(reverse("course_assignments", args=[course.slug]), {**data, "confirm": "yes"})


def set_due(course, exercise, due):
    course.assignments.filter(exercise=exercise).update(due=due)


def test_a_due_date_and_time_are_read_in_the_courses_time_zone(client, course, instructor, lee):
    client.force_login(instructor)
    response = post_assignments(
        client,
        course,
        {"time_zone": "America/New_York", f"assign-{lee.pk}": "on", f"due-{lee.pk}": "2027-01-15",
         f"due-time-{lee.pk}": "17:30"},
    )  # fmt: skip
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.time_zone == "America/New_York"
    due = course.assignments.get(exercise=lee).due
    assert due == datetime(2027, 1, 15, 17, 30, tzinfo=ZoneInfo("America/New_York"))
    assert due.astimezone(UTC).hour == 22


def test_the_form_shows_the_saved_due_time_in_the_courses_zone(client, course, instructor, lee):
    course.time_zone = "Asia/Tokyo"
    course.save()
    set_due(course, lee, datetime(2027, 3, 1, 0, 0, tzinfo=UTC))  # 09:00 in Tokyo
    client.force_login(instructor)
    html = client.get(reverse("course_assignments", args=[course.slug])).content.decode()
    assert f'name="due-{lee.pk}" value="2027-03-01"' in html
    assert f'name="due-time-{lee.pk}" value="09:00"' in html
    assert '<option value="Asia/Tokyo" selected>' in html


def test_a_course_is_created_with_the_time_zone_chosen(client, instructor):
    client.force_login(instructor)
    assert '<option value="UTC" selected>' in client.get(reverse("course_new")).content.decode()
    client.post(reverse("course_new"), {"title": "Writing 101", "time_zone": "Europe/Berlin"})
    assert instructor.courses.get().time_zone == "Europe/Berlin"


def test_a_time_zone_that_does_not_exist_is_refused_and_nothing_changes(client, course, instructor, lee):
    client.force_login(instructor)
    response = client.post(reverse("course_new"), {"title": "Elsewhere", "time_zone": "Mars/Base"})
    assert response.status_code == 400
    assert "is not a time zone name" in response.content.decode()
    response = post_assignments(client, course, {"time_zone": "../../etc/passwd", f"assign-{lee.pk}": "on"})
    assert response.status_code == 400
    course.refresh_from_db()
    assert course.time_zone == "UTC" and course.assignments.count() > 1


def test_a_past_due_time_is_saved_with_a_clear_warning(client, course, instructor, lee):
    client.force_login(instructor)
    response = client.post(
        reverse("course_assignments", args=[course.slug]),
        {f"assign-{lee.pk}": "on", f"due-{lee.pk}": "2020-01-01", "confirm": "yes"},
        follow=True,
    )
    html = response.content.decode()
    assert course.assignments.get(exercise=lee).due.year == 2020
    assert "Warning: the due time you gave" in html and "message-warning" in html


def test_saving_again_does_not_warn_about_a_past_due_time_already_saved(client, course, instructor, lee):
    set_due(course, lee, datetime(2020, 1, 1, 23, 59, tzinfo=UTC))
    client.force_login(instructor)
    response = client.post(
        reverse("course_assignments", args=[course.slug]),
        {f"assign-{lee.pk}": "on", f"due-{lee.pk}": "2020-01-01", "confirm": "yes"},
        follow=True,
    )
    assert "Warning" not in response.content.decode()


def test_a_future_due_time_gets_no_warning(client, course, instructor, lee):
    client.force_login(instructor)
    response = post_assignments(client, course, {f"assign-{lee.pk}": "on", f"due-{lee.pk}": "2099-01-01"})
    assert response.status_code == 302
    assert not [m for m in response.wsgi_request._messages if m.level_tag == "warning"]


def test_where_a_student_stands_against_a_due_time():
    due = datetime(2027, 1, 15, 23, 59, tzinfo=UTC)
    assignment = Assignment(due=due)
    before, after = due - timedelta(hours=1), due + timedelta(hours=1)
    assert assignment.deadline_for(before, now=after) == Deadline.ON_TIME
    assert assignment.deadline_for(after, now=after) == Deadline.LATE
    assert assignment.deadline_for(None, now=after) == Deadline.OVERDUE
    assert assignment.deadline_for(None, now=before) == Deadline.PENDING
    assert Assignment(due=None).deadline_for(None, now=after) == Deadline.NONE


def test_a_student_sees_overdue_marks_and_assignments_soonest_due_first(client, course, student, make, lee):
    course.join(student)
    diehl = Exercise.objects.get(slug="diehl-2015-abstract")
    now = timezone.now()
    set_due(course, lee, now + timedelta(days=3))
    set_due(course, diehl, now - timedelta(days=1))
    client.force_login(student)
    html = client.get(course.get_absolute_url()).content.decode()
    rows = html.split('<tr data-exercise="')[1:]
    assert [row.split('"')[0] for row in rows[:2]] == ["diehl-2015-abstract", "lee-2016-abstract"]
    assert 'data-deadline="overdue"' in rows[0] and "overdue</span>" in rows[0]
    assert "overdue" not in rows[1]
    assert "no due date" in rows[-1]  # no due time: last


def test_work_done_after_the_due_time_is_marked_late_everywhere(client, course, instructor, student, make, lee):
    course.join(student)
    attempt = make.attempt(make.learner(student), lee)
    set_due(course, lee, attempt.created - timedelta(minutes=1))
    client.force_login(student)
    row = client.get(course.get_absolute_url()).content.decode().split('<tr data-exercise="lee-2016-abstract"')[1]
    assert 'data-deadline="late"' in row.split("</tr>")[0]
    client.force_login(instructor)
    dashboard = client.get(course.get_absolute_url()).content.decode()
    cell = dashboard.split('<tr data-student="student">')[1].split("</tr>")[0]
    assert 'data-deadline="late"' in cell and "late</span>" in cell
    detail = client.get(reverse("course_student", args=[course.slug, student.pk])).content.decode()
    assert "late</span> after the due time" in detail
    body = b"".join(client.get(reverse("course_export_answers", args=[course.slug])).streaming_content)
    assert {line.rsplit(",", 1)[1] for line in body.decode("utf-8-sig").splitlines()[1:]} == {"yes"}


def test_work_before_the_due_time_is_on_time_and_unmarked(client, course, instructor, student, make, lee):
    course.join(student)
    attempt = make.attempt(make.learner(student), lee)
    set_due(course, lee, attempt.created + timedelta(minutes=1))
    client.force_login(instructor)
    detail = client.get(reverse("course_student", args=[course.slug, student.pk])).content.decode()
    assert "late</span>" not in detail
    body = b"".join(client.get(reverse("course_export_progress", args=[course.slug])).streaming_content)
    lines = body.decode("utf-8-sig").splitlines()
    assert lines[0].endswith(",deadline")
    assert next(line for line in lines if ",lee-2016-abstract," in line).endswith(",on-time")


def test_the_dashboard_counts_who_is_overdue_over_the_whole_class(client, course, instructor, make, lee):
    tried, *_ = [make.user(name) for name in ("a", "b", "c")]
    for user in course.students().model.objects.filter(username__in=["a", "b", "c"]):
        course.join(user)
    make.attempt(make.learner(tried), lee)
    set_due(course, lee, timezone.now() - timedelta(hours=1))
    client.force_login(instructor)
    html = client.get(course.get_absolute_url()).content.decode()
    header = html.split('<th scope="col" data-exercise="lee-2016-abstract">')[1].split("</th>")[0]
    assert "2 overdue" in header
    assert html.count('data-deadline="overdue"') == 2


def test_the_progress_csv_writes_due_times_in_the_courses_zone(client, course, instructor, student, lee):
    course.join(student)
    course.time_zone = "Europe/Paris"
    course.save()
    set_due(course, lee, datetime(2027, 1, 15, 22, 59, tzinfo=UTC))
    client.force_login(instructor)
    body = b"".join(client.get(reverse("course_export_progress", args=[course.slug])).streaming_content)
    line = next(line for line in body.decode("utf-8-sig").splitlines() if ",lee-2016-abstract," in line)
    assert "2027-01-15T23:59:00+01:00" in line


def test_a_due_time_without_a_date_is_refused(course, lee):
    form = AssignmentsForm(course, [lee], {}, {f"assign-{lee.pk}": "on", f"due-time-{lee.pk}": "09:00"})
    assert not form.is_valid()
    assert "Give the date this time is on" in str(form.errors)


@pytest.mark.parametrize("page", ["course page", "own attempts"])
def test_a_students_pages_take_the_same_queries_however_much_they_did(
    client, course, student, make, lee, django_assert_num_queries, page
):
    course.join(student)
    set_due(course, lee, timezone.now() + timedelta(days=1))
    learner = make.learner(student)
    url = (
        course.get_absolute_url()
        if page == "course page"
        else reverse("course_student", args=[course.slug, student.pk])
    )
    # course page: session, user, membership+course, stats per exercise, assignments
    # own attempts: session, user, membership+course, student, attempts, answers, sentences, right labels, chosen
    # and on both, the count of new answers to one's questions (the navigation shows it, issue 18)
    expected = 6 if page == "course page" else 10
    client.force_login(student)
    for tries in (1, 6):
        for _ in range(tries):
            make.attempt(learner, lee)
        with django_assert_num_queries(expected):
            assert client.get(url).status_code == 200
