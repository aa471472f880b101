"""A visitor without an account reads, practises twice, signs up, and keeps both attempts."""

import re

import pytest
from playwright.sync_api import expect

from browser_tests.actions import EXERCISE_URL, answers_with_one_wrong, label_every_sentence, submit_and_see_feedback

pytestmark = pytest.mark.browser


def test_visitor_practises_then_signs_up_and_finds_both_attempts(page, make, exercise):
    page.goto("/")
    page.get_by_role("link", name="Lesson: Meta information").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Meta information")
    expect(page.locator("mark[data-move]").first).to_be_visible()

    page.goto(EXERCISE_URL)
    label_every_sentence(page, answers_with_one_wrong(make, exercise))
    page.evaluate("window.notReloaded = true")
    submit_and_see_feedback(page, 1)
    # htmx swapped the feedback into the same document: no navigation happened.
    assert page.url.endswith(EXERCISE_URL)
    assert page.evaluate("window.notReloaded") is True
    verdicts = page.locator("[data-verdict]")
    expect(verdicts).to_have_count(exercise.sentences.count())
    expect(page.locator('[data-verdict="wrong"]')).to_have_count(1)

    page.get_by_role("link", name="Try again").click()
    label_every_sentence(page, make.answers(exercise, right=True))
    submit_and_see_feedback(page, 2)
    expect(page.locator('[data-verdict="wrong"]')).to_have_count(0)
    expect(page.get_by_role("region", name="Your attempts").get_by_role("listitem")).to_have_count(2)

    page.get_by_role("link", name="Sign up to keep your attempts").click()
    page.get_by_label("Username").fill("new-writer")
    page.get_by_label("Password", exact=True).fill("a-long-test-password-42")
    page.get_by_label("Password confirmation").fill("a-long-test-password-42")
    page.get_by_role("button", name="Create my account").click()

    expect(page).to_have_url(re.compile(r"/progress/$"))
    row = page.locator(f'tr[data-exercise="{exercise.slug}"]')
    expect(row.locator("td").nth(0)).to_have_text("2")
    expect(row.locator("td").nth(1)).to_have_text("100%")
