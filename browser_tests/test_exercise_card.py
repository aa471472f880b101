"""The exercise screen as drawn: the passage whole above the form, each sentence inside its card."""

import pytest
from playwright.sync_api import expect

from browser_tests.actions import EXERCISE_URL

pytestmark = pytest.mark.browser

# Where each card's parts are drawn: the card's inner top edge, the legend's box, the labels' rows.
CARDS = """() => [...document.querySelectorAll("fieldset.sentence-card")].map(card => {
  const box = card.getBoundingClientRect(), style = getComputedStyle(card);
  const legend = card.querySelector("legend").getBoundingClientRect();
  const labels = [...card.querySelectorAll(".choices label")].map(label => label.getBoundingClientRect());
  return {inner_top: box.top + parseFloat(style.borderTopWidth), left: box.left, right: box.right,
          legend_top: legend.top, legend_bottom: legend.bottom, legend_left: legend.left, legend_right: legend.right,
          label_tops: labels.map(label => Math.round(label.top)), labels_top: Math.min(...labels.map(l => l.top))};
})"""


@pytest.mark.parametrize("width", [390, 1280])
def test_each_sentence_is_drawn_inside_its_card_above_its_choices(page, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(EXERCISE_URL)
    cards = page.evaluate(CARDS)
    assert cards
    for number, card in enumerate(cards, start=1):
        assert card["legend_top"] >= card["inner_top"], f"sentence {number} runs through its card's top border"
        assert card["left"] < card["legend_left"] and card["legend_right"] < card["right"], f"sentence {number}"
        assert card["legend_bottom"] <= card["labels_top"], f"sentence {number}: its choices overlap it"


def test_four_labels_sit_on_one_row_on_a_desktop(page):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(EXERCISE_URL)
    for card in page.evaluate(CARDS):
        assert len(card["label_tops"]) == 4 and len(set(card["label_tops"])) == 1, card["label_tops"]


def test_the_group_is_still_announced_with_its_sentence(page, exercise):
    page.goto(EXERCISE_URL)
    first = exercise.sentences.order_by("position").first()
    group = page.get_by_role("group", name=f"Sentence 1 {first.text}")
    expect(group).to_be_visible()
    expect(group.get_by_role("radio")).to_have_count(exercise.label_set.moves.count())


def test_the_passage_is_read_whole_before_the_first_card(page, exercise):
    page.goto(EXERCISE_URL)
    passage = page.locator(".passage-text")
    text = " ".join(sentence.text for sentence in exercise.sentences.order_by("position"))
    expect(passage).to_have_text(text)
    passage_box, card_box = passage.bounding_box(), page.locator("fieldset.sentence-card").first.bounding_box()
    assert passage_box["y"] + passage_box["height"] < card_box["y"]
