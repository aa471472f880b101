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
    expect(page.locator("mark[data-note]").first).to_be_visible()

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
    page.get_by_label("The same password again").fill("a-long-test-password-42")
    page.get_by_role("button", name="Create my account").click()

    expect(page).to_have_url(re.compile(r"/progress/$"))
    row = page.locator(f'tr[data-exercise="{exercise.slug}"]')
    expect(row.locator("td").nth(0)).to_have_text("2")
    expect(row.locator("td").nth(1)).to_have_text("100%")


@pytest.mark.parametrize("debug", [True, False], ids=["DEBUG on, as make run", "DEBUG off"])
@pytest.mark.parametrize("width", [1280, 390])
def test_an_incomplete_then_a_complete_submit_keep_the_whole_page(browser_as, settings, make, exercise, width, debug):
    settings.DEBUG = debug
    page = browser_as(None, viewport={"width": width, "height": 900})
    page.goto(EXERCISE_URL)
    # Every sentence right but one, labelled with a wrong label that has a note written for it.
    noted = next(s for s in exercise.sentences.order_by("position") if s.feedback_html)
    answers = {**make.answers(exercise), noted.field_name: next(iter(noted.feedback_html))}
    first_field = next(name for name in answers if name != "version")
    label_every_sentence(page, {name: slug for name, slug in answers.items() if name != first_field})
    page.get_by_role("button", name="Check my labels").click()

    errors = page.get_by_role("alert").filter(has_text="Your answers were not saved")
    expect(errors).to_be_visible()
    expect(errors).to_contain_text("Choose a label for sentence 1.")
    # The fragment swapped into the page: the header, the title and the instructions are still there.
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(exercise.title)
    assert page.evaluate("getComputedStyle(document.body).fontFamily") != "Times New Roman"
    # The labels chosen before are kept.
    kept = answers[next(name for name in answers if name not in ("version", first_field))]
    expect(page.locator(f'input[value="{kept}"]:checked').first).to_be_attached()

    page.locator(f'input[name="{first_field}"][value="{answers[first_field]}"]').check()
    submit_and_see_feedback(page, 1)
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    note = page.locator(".wrong-feedback")
    expect(note).to_have_count(1)
    expect(note.locator("em").first).to_be_visible()
    assert "*" not in note.inner_text()


def test_a_failed_request_says_so_and_leaves_the_page_as_it_was(page, make, exercise):
    page.goto(EXERCISE_URL)
    label_every_sentence(page, make.answers(exercise))
    page.route("**/submit/", lambda route: route.fulfill(status=503, body="database unavailable"))
    page.get_by_role("button", name="Check my labels").click()
    expect(page.get_by_role("alert")).to_contain_text("That did not go through (503)")
    expect(page.get_by_role("heading", level=1)).to_have_text(exercise.title)
    expect(page.get_by_role("button", name="Check my labels")).to_be_enabled()
