"""Advice on an abstract: when each kind applies, and the content file it reads its words from."""

import pytest
from django.conf import settings

from drafts.advice import KINDS, advice_texts, read_advice
from lessons.content_files import ContentErrors
from lessons.models import Lesson

FOUR = ["lead-in", "problem", "about", "importance"]


def kinds(moves, words=100, most_sentences=8, most_words=250):
    return [piece.kind for piece in advice_texts().advise(moves, words, most_sentences, most_words)]


def test_an_abstract_with_the_four_moves_in_order_gets_no_advice():
    assert kinds(FOUR) == []
    assert kinds(["lead-in", "lead-in", "problem", "about", "about", "importance"]) == []


@pytest.mark.parametrize(
    ("moves", "expected"),
    [
        (["lead-in", "about", "importance"], ["missing-problem"]),
        (["lead-in", "problem", "importance"], ["missing-about"]),
        (["lead-in", "problem", "about"], ["no-result"]),
        (["lead-in", "about", "problem", "importance"], ["problem-after-contribution"]),
        (["problem", "about", "importance"], ["missing-lead-in"]),
        (["about", "about"], ["missing-problem", "no-result", "missing-lead-in"]),
    ],
)
def test_each_kind_of_advice_applies_when_its_rule_says(moves, expected):
    assert kinds(moves) == expected


def test_a_problem_named_both_before_and_after_the_contribution_is_fine():
    assert kinds(["lead-in", "problem", "about", "problem", "importance"]) == []


def test_an_abstract_far_longer_than_the_papers_is_told_so_with_the_numbers():
    assert kinds(FOUR * 3, words=300) == []  # 12 sentences: not more than 1.5 x 8
    advice = advice_texts().advise(FOUR * 4, 300, 8, 250)
    assert [piece.kind for piece in advice] == ["too-long"]
    assert "16 sentences and 300 words" in advice[0].text and "8 sentences and 250 words" in advice[0].text
    assert kinds(FOUR, words=400) == ["too-long"]


def test_every_piece_of_advice_links_to_a_lesson_of_the_guide(db):
    texts = advice_texts()
    lessons = set(Lesson.objects.values_list("slug", flat=True))
    assert set(texts.lessons) == set(KINDS)
    assert set(texts.lessons.values()) <= lessons


def write(tmp_path, text):
    (tmp_path / "advice.toml").write_text(text, encoding="utf-8")
    return tmp_path


def test_the_advice_file_of_the_guide_loads():
    assert read_advice(settings.FIXTURES_DIR / "tagger").too_long_factor >= 1


def test_a_broken_advice_file_names_every_problem_and_the_fix(tmp_path):
    real = (settings.FIXTURES_DIR / "tagger" / "advice.toml").read_text(encoding="utf-8")
    broken = real.replace('[no-result]\nlesson = "meta-information"\n', '[no-result]\nlesson = "Meta Information"\n')
    broken = broken.replace("{most_words}", "{most_wordz}").replace("[missing-lead-in]", "[missing-leadin]")
    broken = broken.replace("factor = 1.5", "factor = 0.5")
    with pytest.raises(ContentErrors) as refused:
        read_advice(write(tmp_path, broken))
    message = str(refused.value)
    assert "advice.toml: [no-result]: `lesson` 'Meta Information' is not a slug" in message
    assert "[too-long]: `text` uses ['most_wordz']; the placeholders allowed here:" in message
    assert "[missing-leadin]: is not a kind of advice" in message
    assert "[missing-lead-in]: is missing" in message
    assert "`factor` must be a number, 1 or more" in message


def test_advice_text_may_not_use_placeholders_meant_for_another_kind(tmp_path):
    real = (settings.FIXTURES_DIR / "tagger" / "advice.toml").read_text(encoding="utf-8")
    broken = real.replace("No sentence reads as the problem.", "No sentence of {sentences} reads as the problem.")
    with pytest.raises(ContentErrors, match=r"\[missing-problem\]: `text` uses \['sentences'\]"):
        read_advice(write(tmp_path, broken))


def test_an_advice_file_that_is_not_toml_is_refused(tmp_path):
    with pytest.raises(ContentErrors, match="advice.toml: file: is not valid TOML"):
        read_advice(write(tmp_path, "[missing-problem\n"))
