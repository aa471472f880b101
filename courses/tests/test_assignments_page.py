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
    assert '<script src="/static/site.js" defer></script>' in html
    assert 'data-select="all"' in html and 'data-select="none"' in html


def test_save_is_the_first_button_so_enter_saves(client, course, instructor):
    client.force_login(instructor)
    html = client.get(reverse("course_assignments", args=[course.slug])).content.decode()
    form = html.split('class="assignments-form"')[1]
    assert form.split("<button", 1)[1].startswith(' type="submit" class="button">Save assignments')


def test_a_new_course_assigns_the_guided_exercises_and_leaves_the_bank_to_the_instructor(make, instructor):
    course = make.course(instructor)
    assigned = set(course.assignments.values_list("exercise", flat=True))
    assert assigned == set(Exercise.objects.filter(exemplar=True).values_list("pk", flat=True))
    assert not assigned & set(Exercise.objects.filter(exemplar=False).values_list("pk", flat=True))


def test_the_page_lists_guided_exercises_apart_from_unseen_passages_with_difficulty_and_field(
    client, course, instructor
):
    bank = Exercise.objects.filter(exemplar=False).exclude(field="").first()
    assert bank is not None, "the fixtures have a bank exercise with a field"
    exemplar = Exercise.objects.filter(exemplar=True).first()
    client.force_login(instructor)
    html = client.get(reverse("course_assignments", args=[course.slug])).content.decode()
    guided = html.split('data-group="exemplar"')[1].split("</section>")[0]
    unseen = html.split('data-group="unseen"')[1].split("</section>")[0]
    assert "Guided (exemplar)" in guided and "Unseen passages" in unseen
    assert f'name="assign-{exemplar.pk}"' in guided and f'name="assign-{exemplar.pk}"' not in unseen
    assert f'name="assign-{bank.pk}"' in unseen and f'name="assign-{bank.pk}"' not in guided
    facts = f"{bank.part.name} · difficulty {bank.difficulty} of 3 · {bank.field}"
    assert facts in unseen
    # Each group holds exactly its kind, and every exercise is offered once.
    assert guided.count('type="checkbox"') == Exercise.objects.filter(exemplar=True).count()
    assert unseen.count('type="checkbox"') == Exercise.objects.filter(exemplar=False).count()


def test_the_instructor_adds_an_unseen_passage_to_the_guided_ones(client, course, instructor):
    bank = Exercise.objects.filter(exemplar=False).first()
    chosen = [*course.assignments.values_list("exercise", flat=True), bank.pk]
    client.force_login(instructor)
    response = client.post(reverse("course_assignments", args=[course.slug]), {f"assign-{pk}": "on" for pk in chosen})
    assert response.status_code == 302  # nothing taken away, so nothing to confirm
    assert set(course.assignments.values_list("exercise", flat=True)) == set(chosen)
