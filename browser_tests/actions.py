"""What a person does in the browser, shared by the journeys and the page scans."""

import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from testing.factory import PASSWORD

EXERCISE_URL = "/exercises/lee-2016-abstract/"
WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
              "resultTypes": ["violations"]}  # fmt: skip
AXE = Axe()
PHONE = 390


def log_in(page: Page, username):
    """Log in through the form, as a person does (`browser_as(user)` skips the form)."""
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name=re.compile("Log out"))).to_be_visible()


def answers_with_one_wrong(make, exercise):
    """Every sentence right except the first: the feedback then shows both verdicts."""
    answers = make.answers(exercise, right=True)
    first = exercise.sentences.order_by("position").first()
    answers[first.field_name] = make.answers(exercise, right=False)[first.field_name]
    return answers


def label_every_sentence(page: Page, answers):
    """Tick one label per sentence: `answers` maps field names to label slugs (see `Factory.answers`)."""
    for name, slug in answers.items():
        if name != "version":
            page.locator(f'input[name="{name}"][value="{slug}"]').check()


def submit_and_see_feedback(page: Page, attempt_number):
    page.get_by_role("button", name="Check my labels").click()
    heading = page.locator("#feedback")
    expect(heading).to_contain_text(f"Feedback on attempt {attempt_number}")
    return heading


def page_width(page: Page):
    """(scroll width of the page, width of the viewport) in CSS pixels."""
    return page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")


def focus_is_visible(page: Page):
    """True when the focused element draws an outline (our :focus-visible style)."""
    return page.evaluate(
        """() => {
          const style = getComputedStyle(document.activeElement);
          return style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
        }"""
    )


def focused(page: Page):
    """What has the focus: its tag, id, classes and the start of its text."""
    return page.evaluate(
        "({tag: document.activeElement.tagName, id: document.activeElement.id,"
        " classes: document.activeElement.className, text: document.activeElement.textContent.trim().slice(0, 60)})"
    )


def tab_until(page: Page, wanted, limit=60):
    """Press Tab until `wanted(focused element)` holds; every stop on the way shows its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        assert focus_is_visible(page), f"no visible focus on {now}"
        if wanted(now):
            return now
    raise AssertionError(f"{limit} presses of Tab did not reach it (last: {focused(page)})")


def assert_no_sideways_scroll_on_a_phone(page: Page):
    page.set_viewport_size({"width": PHONE, "height": 844})
    scroll_width, viewport_width = page_width(page)
    assert scroll_width <= viewport_width, f"{page.url} scrolls sideways at {PHONE} px"


def axe_violations(page: Page):
    """What axe-core finds against WCAG 2.1 A and AA on the page as it is now, one line per rule."""
    results = AXE.run(page, options=WCAG_21_AA).response["violations"]
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[node['target'] for node in v['nodes']]}" for v in results]
