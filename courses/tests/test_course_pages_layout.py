"""Course tables people can read (review M8) and the courses list for students (review Low 15)."""

import pytest
from django.urls import reverse

from courses.analytics import Cell
from courses.models import Assignment
from exercises.models import Exercise

pytestmark = pytest.mark.django_db


def test_dashboard_headers_use_short_names_with_the_full_title_on_hover(client, course, instructor):
    client.force_login(instructor)
    html = client.get(course.get_absolute_url()).content.decode()
    head = html.split("<thead>")[1].split("</thead>")[0]
    assert "Label the moves of" not in head.replace('title="Label the moves of', "")
    assert ">Lee et al.&#x27;s abstract</a>" in head
    assert 'title="Label the moves of Lee et al.&#x27;s abstract"' in head


def test_a_short_title_drops_only_the_shared_prefix():
    assert Assignment(exercise=Exercise(title="Label the moves of the AlexNet abstract")).short_title == (
        "the AlexNet abstract"
    )
    assert Assignment(exercise=Exercise(title="Which sentences need a citation?")).short_title == (
        "Which sentences need a citation?"
    )


def test_dashboard_cells_carry_a_heat_band_and_still_print_the_number(client, course, instructor, student, make):
    course.join(student)
    make.attempt(make.learner(student), Exercise.objects.get(slug="lee-2016-abstract"), right=False)
    client.force_login(instructor)
    html = client.get(course.get_absolute_url()).content.decode()
    assert '<td class="score-cell heat-low">0% <span class="muted">(1 attempt)</span>' in html
    assert "under 50% (hatched)" in html  # the key says what the pattern means
    assert [Cell(1, b).band for b in (0, 49.9, 50, 79.9, 80, 100)] == ["low", "low", "middle", "middle", "high", "high"]


def test_the_dashboard_table_has_its_own_scroll_box_with_sticky_names_and_headers(client, course, instructor):
    from django.conf import settings

    client.force_login(instructor)
    html = client.get(course.get_absolute_url()).content.decode()
    assert 'class="table-scroll dashboard-scroll"' in html
    css = (settings.BASE_DIR / "static" / "site.css").read_text()
    assert '.dashboard-table th[scope="row"] { position: sticky; left: 0;' in css
    assert ".dashboard-table thead th { position: sticky; top: 0;" in css


def test_verdicts_on_the_student_page_come_second_with_an_icon_and_a_word(client, course, instructor, student, make):
    course.join(student)
    make.attempt(make.learner(student), Exercise.objects.get(slug="lee-2016-abstract"), right=False)
    client.force_login(instructor)
    html = client.get(reverse("course_student", args=[course.slug, student.pk])).content.decode()
    assert '<th scope="col">#</th><th scope="col">Verdict</th>' in html
    assert '<span class="verdict-icon" aria-hidden="true">✗</span> wrong</td>' in html


def test_a_student_sees_join_as_the_primary_action_and_create_as_a_link(client, student):
    client.force_login(student)
    html = client.get(reverse("courses")).content.decode()
    assert f'<a class="button" href="{reverse("join")}">Join a course with a code</a>' in html
    assert f'<a class="button" href="{reverse("course_new")}">' not in html
    assert f'<a href="{reverse("course_new")}">Create a course</a>' in html


def test_an_instructor_still_sees_create_as_the_primary_action(client, course, instructor):
    client.force_login(instructor)
    html = client.get(reverse("courses")).content.decode()
    assert f'<a class="button" href="{reverse("course_new")}">Create a course</a>' in html
