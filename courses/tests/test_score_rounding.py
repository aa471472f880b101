"""One attempt shows one score everywhere: 1 of 8 is 13% on every page and in the CSV."""

import csv
import io

import pytest
from django.urls import reverse

from exercises.models import Exercise
from exercises.scores import percent

pytestmark = pytest.mark.django_db


def test_halves_round_up_whether_counted_or_already_a_percentage():
    assert percent(1, 8) == 13
    assert percent(12.5) == 13
    assert percent(3, 8) == 38
    assert percent(12.49) == 12
    assert percent(0, 0) is None


def one_of_eight(client, make, student):
    diehl = Exercise.objects.get(slug="diehl-2015-abstract")
    assert diehl.sentences.count() == 8
    answers = make.answers(diehl, right=False)
    first = diehl.sentences.select_related("label").get(position=1)
    answers[first.field_name] = first.label.slug
    client.force_login(student)
    client.post(reverse("exercise_submit", args=[diehl.slug]), answers)
    return diehl


def test_one_of_eight_reads_13_percent_on_every_page_and_in_the_csv(client, make, course, student, instructor):
    course.join(student)
    diehl = one_of_eight(client, make, student)
    pages = {
        "progress": reverse("progress"),
        "exercise list": reverse("exercises"),
        "exercise page": reverse("exercise", args=[diehl.slug]),
        "course page": course.get_absolute_url(),
        "own attempts in the course": reverse("course_student", args=[course.slug, student.pk]),
    }
    for name, url in pages.items():
        html = client.get(url).content.decode()
        assert "13%" in html, name
        assert "12%" not in html, name
    client.force_login(instructor)
    for url in (course.get_absolute_url(), reverse("course_student", args=[course.slug, student.pk])):
        html = client.get(url).content.decode()
        assert "13%" in html and "12%" not in html, url
    body = b"".join(client.get(reverse("course_export_progress", args=[course.slug])).streaming_content)
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8").lstrip("\ufeff"))))
    row = next(r for r in rows if r["exercise"] == diehl.slug)
    assert row["best_score_percent"] == "13"
