"""What the exercise screen shows: the passage whole first, then one card per sentence to label."""

import re
from html import unescape

import pytest
from django.urls import reverse

from exercises.models import Exercise

pytestmark = pytest.mark.django_db


def _passage(html):
    match = re.search(r'<blockquote class="passage-text"[^>]*><p>(.*?)</p></blockquote>', html, re.S)
    assert match, "no passage on the page"
    return match


def test_the_page_shows_the_passage_whole_before_the_form(client, exercise):
    html = client.get(exercise.get_absolute_url()).content.decode()
    passage = _passage(html)
    sentences = list(exercise.sentences.order_by("position"))
    assert passage.group(1) == " ".join(sentence.text_html for sentence in sentences)
    assert passage.end() < html.index('<form method="post"') < html.index("<fieldset")
    assert html.count('class="passage-text"') == 1


def test_the_passage_carries_its_citation_and_licence(client, exercise):
    html = client.get(exercise.get_absolute_url()).content.decode()
    caption = html[_passage(html).end() :]
    caption = unescape(caption[: caption.index("</figcaption>")])
    assert "Passage from: Lee, J. H., Delbruck, T., & Pfeiffer, M. (2016)" in caption
    assert f"Licence: {exercise.excerpt.paper.licence}" in caption


def test_a_bank_passage_links_its_paper_beside_the_citation(client):
    bank = Exercise.objects.get(slug="anand-2012-abstract")
    html = client.get(bank.get_absolute_url()).content.decode()
    assert f'<blockquote class="passage-text" hx-disable cite="{bank.paper["url"]}">' in html
    caption = html[_passage(html).end() :]
    assert f'<a href="{bank.paper["url"]}">Read the paper</a>' in caption[: caption.index("</figcaption>")]


def test_maths_in_the_passage_is_mathml(client):
    wta = Exercise.objects.get(slug="lee-2016-wta")
    passage = _passage(client.get(wta.get_absolute_url()).content.decode()).group(1)
    assert "<msub><mi>V</mi>" in passage and "$" not in passage


def test_each_sentence_sits_inside_its_card_with_its_choices_below(client, exercise):
    html = client.get(exercise.get_absolute_url()).content.decode()
    cards = re.findall(r'<fieldset class="sentence-card">(.*?)</fieldset>', html, re.S)
    sentences = list(exercise.sentences.order_by("position"))
    assert len(cards) == len(sentences)
    for card, sentence in zip(cards, sentences, strict=True):
        # The legend still names the group with the sentence, so a screen reader announces both.
        legend = re.match(r"\s*<legend>(.*?)</legend>", card, re.S)
        assert legend, "the legend is not the card's first child"
        assert f'<span class="sentence-number">Sentence {sentence.position}</span>' in legend.group(1)
        assert sentence.text_html in legend.group(1)
        assert card.index('<div class="choices">') > legend.end()
        assert card.count(f'name="{sentence.field_name}"') == exercise.label_set.moves.count()


def test_the_form_is_named_by_its_heading(client, exercise):
    html = client.get(exercise.get_absolute_url()).content.decode()
    assert '<h2 id="label-title" class="label-title">Label it sentence by sentence</h2>' in html
    assert 'aria-labelledby="label-title" novalidate>' in html


def test_the_feedback_page_keeps_the_passage_and_drops_the_form(client, make, exercise):
    response = client.post(reverse("exercise_submit", args=[exercise.slug]), make.answers(exercise))
    html = client.get(response["Location"]).content.decode()
    assert _passage(html).start() < html.index('id="feedback"')
    assert "<fieldset" not in html and 'id="label-title"' not in html
