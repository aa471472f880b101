"""With JavaScript off, the exercise form posts, redirects, and shows the same feedback."""

import re

import pytest
from playwright.sync_api import expect

from browser_tests.actions import answers_with_one_wrong, label_every_sentence

pytestmark = pytest.mark.browser


def test_student_joins_and_practises_without_javascript(browser_as, instructor, student, make, exercise):
    course = make.course(instructor, "Writing 101")
    page = browser_as(student, java_script_enabled=False)
    page.goto("/courses/join/")
    page.get_by_label("Join code").fill(course.join_code)
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_role("status")).to_contain_text("You are in Writing 101")

    page.get_by_role("link", name=exercise.title).click()
    label_every_sentence(page, answers_with_one_wrong(make, exercise))
    page.get_by_role("button", name="Check my labels").click()

    expect(page).to_have_url(re.compile(rf"/exercises/{exercise.slug}/attempts/\d+/#feedback$"))
    expect(page.locator("#feedback")).to_contain_text("Feedback on attempt 1")
    expect(page.locator("[data-verdict]")).to_have_count(exercise.sentences.count())
    expect(page.locator('[data-verdict="wrong"]')).to_have_count(1)

    page.goto(course.get_absolute_url())
    expect(page.locator(f'tr[data-exercise="{exercise.slug}"]')).to_contain_text("Tried 1 time")
