"""The keyboard focus is drawn in a calm colour that stands out from the page and from the accent blue.

An orange outline read as an error on the fields and headings the app focuses for the learner; the
focus colour must still meet WCAG 2.x's 3:1 for non-text contrast (1.4.11, 2.4.13) against the page
and against the accent of buttons and links, beside which it is drawn.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

CSS = (Path(settings.BASE_DIR) / "static" / "site.css").read_text()
MIN_CONTRAST = 3.0


def _root_colour(name):
    root = re.search(r":root\s*\{(.*?)\}", CSS, re.S).group(1)
    return re.search(rf"--{name}:\s*(#[0-9a-fA-F]{{6}})\s*;", root).group(1)


def _relative_luminance(hex_colour):
    """WCAG 2.x relative luminance of an sRGB colour written #rrggbb."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one, other):
    lighter, darker = sorted((_relative_luminance(one), _relative_luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_the_contrast_formula_gives_the_published_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1.0)


@pytest.mark.parametrize("against", ["paper", "accent"])
def test_the_focus_colour_stands_out_from_the_page_and_the_accent(against):
    focus, other = _root_colour("focus"), _root_colour(against)
    assert contrast(focus, other) >= MIN_CONTRAST, f"--focus {focus} on --{against} {other}"


def test_the_focus_colour_is_not_the_orange_that_read_as_an_error():
    focus = _root_colour("focus").lower()
    r, g, b = (int(focus[i : i + 2], 16) for i in (1, 3, 5))
    assert not (r > g > b and r - b > 96), f"--focus {focus} is an orange or a red"


def test_every_focus_outline_uses_the_focus_colour():
    rules = re.findall(r"([^{}]*:focus[^{}]*)\{([^}]*)\}", CSS)
    outlines = [(selector.strip(), body) for selector, body in rules if re.search(r"outline\s*:", body)]
    assert outlines
    for selector, body in outlines:
        declaration = re.search(r"outline\s*:([^;]*)", body).group(1)
        assert "none" in declaration or "var(--focus)" in declaration, selector
