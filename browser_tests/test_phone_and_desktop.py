"""Every kind of page holds on a phone (390 px) and a desktop (1280 px): the page never scrolls sideways."""

import pytest

from browser_tests.actions import page_width
from browser_tests.page_kinds import PAGE_KINDS

pytestmark = pytest.mark.browser

WIDTHS = [390, 1280]

# Tables wider than their place must scroll inside a `.table-scroll` box of their own.
LOOSE_WIDE_TABLES = """() => [...document.querySelectorAll("main table")]
  .filter(table => !table.closest(".table-scroll"))
  .filter(table => table.getBoundingClientRect().right > document.querySelector("main").getBoundingClientRect().right)
  .map(table => table.outerHTML.slice(0, 80))"""


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_page_fits_a_phone_and_a_desktop_without_sideways_scrolling(browser_as, populated_class, kind):
    page = PAGE_KINDS[kind].open(browser_as, populated_class)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        scroll_width, viewport_width = page_width(page)
        assert scroll_width <= viewport_width, f"{kind} scrolls sideways at {width} px"
        assert page.evaluate(LOOSE_WIDE_TABLES) == [], f"{kind} at {width} px"
