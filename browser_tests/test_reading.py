"""The reading screen in Chromium: notes level with their highlights on a wide screen, under their
sentence on a phone, highlight and note lit up together, and one move shown on request."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PAPER = "/papers/lee-2016/"

BOXES = """() => [...document.querySelectorAll('.margin-note[data-note-for]')].slice(0, 40).map(note => {
  const mark = document.querySelector(`mark[data-note="${note.dataset.noteFor}"]`);
  const n = note.getBoundingClientRect(), m = mark.getBoundingClientRect();
  const quote = note.closest('.quoted').getBoundingClientRect();
  return {number: note.dataset.noteFor, noteTop: n.top, noteBottom: n.bottom, noteLeft: n.left,
          markTop: m.top, markBottom: m.bottom, textRight: quote.right,
          lineHeight: parseFloat(getComputedStyle(mark).lineHeight),
          quote: note.closest('.quoted').closest('figure').id};
})"""


def _open(browser_as, live_server, width, path=PAPER):
    page = browser_as(viewport={"width": width, "height": 900})
    page.goto(live_server.url + path)
    page.wait_for_load_state("load")
    return page


def test_on_a_wide_screen_each_note_sits_level_with_its_highlight_or_below_the_note_before(
    browser_as, live_server, guide
):
    page = _open(browser_as, live_server, 1280)
    boxes = page.evaluate(BOXES)
    assert len(boxes) >= 20
    previous = {}
    for box in boxes:
        assert box["noteLeft"] >= box["textRight"] - 1, box  # in the margin, beside the text
        before = previous.get(box["quote"])
        level = abs(box["noteTop"] - box["markTop"]) <= box["lineHeight"]
        pushed = (
            before is not None and box["noteTop"] > box["markTop"] and abs(box["noteTop"] - before["noteBottom"]) <= 12
        )
        assert level or pushed, box
        if before is not None:
            assert box["noteTop"] >= before["noteBottom"], (before, box)  # never piled on each other
        previous[box["quote"]] = box


def test_on_a_phone_each_note_follows_its_sentence_and_opens_and_closes(browser_as, live_server, guide):
    page = _open(browser_as, live_server, 390)
    for box in page.evaluate(BOXES):
        assert box["noteTop"] >= box["markBottom"] - 2, box
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390

    note = page.locator("#note-2")
    toggle = note.get_by_role("button", name="The problem")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(note.locator(".note-text")).to_be_hidden()
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(note.locator(".note-text")).to_contain_text("'However' turns from promise to obstacle")

    all_notes = page.get_by_role("button", name="Open all notes")
    all_notes.click()
    expect(page.locator(".margin-note.is-closed")).to_have_count(0)
    page.get_by_role("button", name="Close all notes").click()
    expect(page.locator(".margin-note:not(.is-closed)")).to_have_count(0)


def test_pointing_at_a_highlight_or_focusing_its_marker_lights_up_both(browser_as, live_server, guide):
    page = _open(browser_as, live_server, 1280)
    page.locator('mark[data-note="3"]').hover()
    expect(page.locator("#note-3")).to_have_class("margin-note is-lit")
    page.mouse.move(0, 0)
    expect(page.locator("#note-3")).not_to_have_class("margin-note is-lit")
    page.locator('.note-marker[href="#note-4"]').focus()
    expect(page.locator('mark[data-note="4"]')).to_have_class("is-lit")
    expect(page.locator("#note-4")).to_have_class("margin-note is-lit")


def test_a_reader_shows_one_move_only_from_the_legend_and_can_read_without_highlights(browser_as, live_server, guide):
    page = _open(browser_as, live_server, 1280)
    page.locator(".move-key summary").click()
    page.get_by_role("link", name="Show only this move: The problem").click()
    expect(page.locator("mark[data-note]").first).to_be_visible()
    moves = page.evaluate("[...new Set([...document.querySelectorAll('mark[data-note]')].map(m => m.dataset.move))]")
    assert moves == ["problem"]
    page.get_by_role("link", name="Read without highlights").click()
    expect(page.locator("mark[data-note]")).to_have_count(0)
    expect(page.locator(".quoted").first).to_contain_text("Deep spiking neural networks (SNNs) hold great potential")


def test_the_marker_says_the_move_and_the_note_is_read_with_its_number(browser_as, live_server, guide):
    page = _open(browser_as, live_server, 1280)
    expect(page.locator('.note-marker[href="#note-2"]')).to_have_accessible_name("Note 2: The problem")
    snapshot = page.locator("#excerpt-lee-2016-abstract blockquote").aria_snapshot()
    sentence = snapshot.index("However, training such networks is difficult")
    assert sentence < snapshot.index("Note 2: The problem") < snapshot.index("'However' turns from promise to obstacle")
