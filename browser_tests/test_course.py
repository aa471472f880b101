"""An instructor runs a course; a student joins it with the code and practises; the instructor sees it."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from browser_tests.actions import answers_with_one_wrong, label_every_sentence, submit_and_see_feedback

pytestmark = pytest.mark.browser


def _download(page, link_name):
    with page.expect_download() as download:
        page.get_by_role("link", name=link_name).click()
    text = download.value.path().read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_instructor_sees_a_student_who_joined_with_the_code(browser_as, instructor, student, make, exercise):
    teacher = browser_as(instructor)
    teacher.goto("/courses/new/")
    teacher.get_by_label("Course title").fill("Writing 101")
    teacher.get_by_role("button", name="Create the course").click()
    expect(teacher.get_by_role("heading", level=1)).to_have_text("Writing 101")
    code = teacher.locator(".code").inner_text()
    dashboard_url = teacher.url

    learner = browser_as(student)
    learner.goto("/courses/join/")
    learner.get_by_label("Join code").fill(code)
    learner.get_by_role("button", name="Join").click()
    expect(learner.get_by_role("status")).to_contain_text("You are in Writing 101")
    learner.get_by_role("link", name=exercise.title).click()
    label_every_sentence(learner, answers_with_one_wrong(make, exercise))
    submit_and_see_feedback(learner, 1)

    sentences = exercise.sentences.count()
    score = round(100 * (sentences - 1) / sentences)
    teacher.goto(dashboard_url)
    row = teacher.locator('tr[data-student="student"]')
    expect(row).to_contain_text(f"{score}% (1 attempt)")

    # The dashboard's headers drop the prefix every exercise's title shares.
    teacher.get_by_role("link", name=exercise.title.removeprefix("Label the moves of "), exact=True).click()
    expect(teacher).to_have_url(re.compile(rf"/courses/writing-101/exercises/{exercise.slug}/$"))
    expect(teacher.get_by_text("Counting 1 attempt by 1 student")).to_be_visible()
    expect(teacher.locator("[data-sentence]")).to_have_count(sentences)
    expect(teacher.locator('[data-sentence="1"]')).to_contain_text("Got it right: 0%")
    expect(teacher.locator('[data-sentence="2"]')).to_contain_text("Got it right: 100%")

    teacher.goto(dashboard_url)
    progress = _download(teacher, "Download progress (CSV)")
    assert {row["student"] for row in progress} == {"student"}
    (tried,) = [row for row in progress if row["exercise"] == exercise.slug]
    assert (tried["attempts"], tried["best_score_percent"]) == ("1", str(score))

    answers = _download(teacher, "Download every answer (CSV)")
    assert len(answers) == sentences
    assert [row["verdict"] for row in answers].count("wrong") == 1
    assert {(row["student"], row["exercise"], row["attempt"]) for row in answers} == {("student", exercise.slug, "1")}
