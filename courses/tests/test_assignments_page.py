"""The assignments page (review V1): each checkbox beside its exercise's name, "tick all" and
"none" that work without JavaScript, and a due date with a time."""

import re

import pytest
from django.urls import reverse

from exercises.models import Exercise

pytestmark = pytest.mark.django_db


def test_each_checkbox_sits_inside_the_same_line_as_its_exercise_name(client, course, instructor):
    client.force_login(instructor)
    html = client.get(reverse("course_assignments", args=[course.slug])).content.decode()
    for exercise in Exercise.objects.all():
        pattern = (
            rf'<span class="assignment-choice"><input type="checkbox" name="assign-{exercise.pk}" '
            rf'id="id_assign-{exercise.pk}"[^>]*> <label for="id_assign-{exercise.pk}">'
        )
        assert re.search(pattern, html), exercise.slug
        assert f'type="time" name="due-time-{exercise.pk}"' in html


def test_the_field_rule_no_longer_stretches_checkboxes():
    from django.conf import settings

    css = (settings.BASE_DIR / "static" / "site.css").read_text()
    assert '.field input:not([type="checkbox"], [type="radio"]), .field select { width: 100%;' in css


@pytest.mark.parametrize(("button", "ticked"), [("all", True), ("none", False)])
def test_tick_all_and_none_come_back_ticked_without_saving_and_keep_what_was_typed(
    client, course, instructor, button, ticked
):
    exercises = list(Exercise.objects.all())
    lee = next(e for e in exercises if e.slug == "lee-2016-abstract")
    course.assignments.exclude(exercise=lee).delete()
    client.force_login(instructor)
    url = reverse("course_assignments", args=[course.slug])
    response = client.post(url, {"select": button, f"assign-{lee.pk}": "on", f"due-{lee.pk}": "2031-05-06"})
    html = response.content.decode()
    assert response.status_code == 200
    boxes = re.findall(r'<input type="checkbox" name="assign-\d+" id="[^"]+"( checked)?>', html)
    assert len(boxes) == len(exercises)
    assert all(bool(box) == ticked for box in boxes)
    assert f'name="due-{lee.pk}" value="2031-05-06"' in html
    assert list(course.assignments.values_list("exercise", flat=True)) == [lee.pk]  # nothing saved


def test_the_script_that_ticks_in_place_is_served_from_our_own_static_files(client, course, instructor):
    client.force_login(instructor)
    html = client.get(reverse("course_assignments", args=[course.slug])).content.decode()
    assert '<script src="/static/courses-assignments.js" defer></script>' in html
    assert 'data-select="all"' in html and 'data-select="none"' in html


def test_save_is_the_first_button_so_enter_saves(client, course, instructor):
    client.force_login(instructor)
    html = client.get(reverse("course_assignments", args=[course.slug])).content.decode()
    form = html.split('class="assignments-form"')[1]
    assert form.split("<button", 1)[1].startswith(' type="submit" class="button">Save assignments')
