"""Your abstract (/write/): check, revise and say what you meant, with JavaScript on and off and by keyboard alone."""

import re

import pytest
from playwright.sync_api import expect

from browser_tests.actions import focus_is_visible, page_width
from browser_tests.writing import EXAMPLE_ABSTRACT, WRITE_URL, check_an_abstract

pytestmark = pytest.mark.browser

HOSTILE = "<script>window.pwned = 1</script> **bold** stays as typed. However, it is a test."


def test_a_visitor_checks_and_revises_an_abstract_in_place_with_htmx(browser_as):
    page = browser_as(None)
    page.goto(WRITE_URL)
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_label("Working title (optional)").fill("My SNN paper")
    check_an_abstract(page)

    expect(page).to_have_url(re.compile(r"/write/\d+/$"))  # pushed, so a reload shows the draft
    expect(page.locator("mark.sentence-text[data-move]")).to_have_count(4)
    expect(page.locator(".reason").first).to_contain_text("Why: ")
    expect(page.locator(".move-map > li")).to_have_count(5)
    expect(page.locator(".move-map > li").nth(3)).to_contain_text("Lee, Delbruck & Pfeiffer (2016)")

    check_an_abstract(page, EXAMPLE_ABSTRACT + " We release our code.", revision=2)
    expect(page.locator(".revision-list > li")).to_have_count(2)

    page.locator("#intent-1").select_option("problem")
    page.locator("#sentence-1").get_by_role("button", name="Save").click()
    expect(page.locator("#sentence-1")).to_contain_text("You meant this as The problem")
    expect(page.locator("#sentence-1 [role=status]")).to_have_text("Saved.")
    assert page.evaluate("window.stillTheSamePage") is True


def test_hostile_text_shows_as_typed_and_never_runs(browser_as):
    page = browser_as(None)
    page.goto(WRITE_URL)
    check_an_abstract(page, HOSTILE)
    expect(page.locator("#sentence-1 mark")).to_contain_text("<script>window.pwned = 1</script> **bold**")
    assert page.evaluate("window.pwned") is None
    page.reload()
    expect(page.locator("#id_text")).to_have_value(HOSTILE)
    assert page.evaluate("window.pwned") is None


def test_a_student_writes_revises_renames_and_deletes_without_javascript(browser_as, student):
    page = browser_as(student, java_script_enabled=False)
    page.goto("/")
    page.get_by_role("link", name="Your abstract").click()
    check_an_abstract(page)
    expect(page).to_have_url(re.compile(r"/write/\d+/#analysis$"))

    check_an_abstract(page, EXAMPLE_ABSTRACT + " We release our code.", revision=2)
    page.locator("#intent-2").select_option("lead-in")
    page.locator("#sentence-2").get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(r"/write/\d+/#sentence-2$"))
    expect(page.locator("#sentence-2")).to_contain_text("You meant this as Lead-in")

    page.get_by_label("Title of this draft").fill("Thesis abstract")
    page.get_by_role("button", name="Rename").click()
    expect(page.get_by_role("status")).to_contain_text("This draft is now called “Thesis abstract”")

    page.get_by_role("link", name="Revision 1").click()
    expect(page.locator("#analysis")).to_have_text("What the tagger reads in revision 1")

    page.get_by_role("link", name="Delete this draft…").click()
    page.get_by_role("button", name="Delete this draft").click()
    expect(page).to_have_url(re.compile(r"/write/$"))
    expect(page.get_by_role("status")).to_contain_text("“Thesis abstract” and its 2 revisions are deleted")


def test_an_empty_check_says_what_is_wrong_with_and_without_javascript(browser_as):
    for javascript in (True, False):
        page = browser_as(None, java_script_enabled=javascript)
        page.goto(WRITE_URL)
        page.locator("#id_text").fill("   ")
        page.get_by_role("button", name="Check", exact=True).click()
        expect(page.locator("#form-errors")).to_contain_text("Write or paste your abstract first")


def _press(page, key):
    page.keyboard.press(key)
    assert focus_is_visible(page), f"no visible focus after {key}"


def _tab_to(page, selector, limit=15):
    for _ in range(limit):
        _press(page, "Tab")
        if page.evaluate("(selector) => document.activeElement.matches(selector)", selector):
            return
    raise AssertionError(f"{limit} presses of Tab did not reach {selector}")


def test_the_page_works_with_the_keyboard_alone_on_a_phone(browser_as):
    page = browser_as(None)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(WRITE_URL)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # skip to content
    _tab_to(page, "#id_text")
    page.keyboard.insert_text(EXAMPLE_ABSTRACT)
    _tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("#analysis")).to_be_focused()

    _tab_to(page, "#intent-1", limit=40)
    page.keyboard.press("ArrowDown")  # a closed select changes its value with the arrow keys
    page.keyboard.press("ArrowDown")
    _tab_to(page, "#sentence-1 button")
    page.keyboard.press("Enter")
    expect(page.locator("#sentence-1 [role=status]")).to_have_text("Saved.")
    expect(page.locator("#sentence-1 .intent")).to_be_visible()
    scroll_width, viewport_width = page_width(page)
    assert scroll_width <= viewport_width
