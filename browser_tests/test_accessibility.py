"""Every kind of page passes axe-core at WCAG 2.1 A and AA, with the structure a screen reader relies on."""

import pytest

from browser_tests.actions import axe_violations
from browser_tests.page_kinds import PAGE_KINDS

pytestmark = pytest.mark.browser

UNLABELLED_CONTROLS = """() => [...document.querySelectorAll("input, select, textarea, button")]
  .filter(control => control.type !== "hidden")
  .filter(control => !(
    control.getAttribute("aria-label") || control.getAttribute("aria-labelledby")
    || [...control.labels].some(label => label.textContent.trim())
    || (control.tagName === "BUTTON" && control.textContent.trim())
  ))
  .map(control => control.outerHTML.slice(0, 120))"""

FIRST_TAB_STOP = """() => [...document.querySelectorAll("a[href], button, input, select, textarea, summary, [tabindex]")
  ].find(element => element.tabIndex >= 0 && element.type !== "hidden").textContent.trim()"""


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_page_passes_axe_and_has_landmarks_one_h1_labels_and_a_skip_link(browser_as, populated_class, kind):
    page = PAGE_KINDS[kind].open(browser_as, populated_class)
    assert axe_violations(page) == []
    assert page.locator("h1").count() == 1
    for landmark in ("body > header", "body > header nav", "body > main#main", "body > footer"):
        assert page.locator(landmark).count() == 1, f"no {landmark}"
    assert page.evaluate(UNLABELLED_CONTROLS) == []

    first_stop = page.evaluate(FIRST_TAB_STOP)
    assert first_stop == "Skip to content"
    page.locator(".skip-link").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
