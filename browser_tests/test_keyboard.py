"""The exercise done with the keyboard alone: focus always visible, and on the feedback at the end."""

import pytest
from playwright.sync_api import expect

from browser_tests.actions import EXERCISE_URL, focus_is_visible

pytestmark = pytest.mark.browser


def _focused(page):
    return page.evaluate(
        "({tag: document.activeElement.tagName, id: document.activeElement.id, type: document.activeElement.type,"
        " name: document.activeElement.name, value: document.activeElement.value,"
        " checked: document.activeElement.checked, text: document.activeElement.textContent.trim()})"
    )


def _press(page, key):
    page.keyboard.press(key)
    focused = _focused(page)
    assert focus_is_visible(page), f"no visible focus after {key} on {focused}"
    return focused


def _tab_to_next_radio_group(page, limit=10):
    for _ in range(limit):
        focused = _press(page, "Tab")
        if focused["type"] == "radio":
            return focused
    raise AssertionError(f"{limit} presses of Tab did not reach a radio button")


def test_exercise_can_be_done_with_the_keyboard_alone(page, make, exercise):
    page.goto(EXERCISE_URL)
    assert _press(page, "Tab")["text"] == "Skip to content"
    page.keyboard.press("Enter")
    assert _focused(page)["id"] == "main"

    labels = [label.slug for label in exercise.label_set.moves.all()]
    right = make.answers(exercise, right=True)
    for sentence in exercise.sentences.order_by("position"):
        focused = _tab_to_next_radio_group(page)
        assert focused["name"] == sentence.field_name
        # Arrow keys move through the group and tick as they go; Space ticks the one in focus.
        steps = labels.index(right[sentence.field_name]) - labels.index(focused["value"])
        for _ in range(abs(steps)):
            _press(page, "ArrowDown" if steps > 0 else "ArrowUp")
        page.keyboard.press("Space")
        focused = _focused(page)
        assert (focused["value"], focused["checked"]) == (right[sentence.field_name], True)

    assert _press(page, "Tab")["text"] == "Check my labels"
    page.keyboard.press("Enter")

    expect(page.locator("#feedback")).to_be_focused()
    expect(page.locator("#feedback")).to_contain_text("Feedback on attempt 1")
    assert focus_is_visible(page)
    expect(page.locator('[data-verdict="right"]')).to_have_count(exercise.sentences.count())
