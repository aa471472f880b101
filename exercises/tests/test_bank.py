"""The exercise bank: unseen passages with their papers, a practice path, and feedback on every label."""

import re
import shutil
from html import unescape

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.html import escape

from exercises.loader import load_guide
from exercises.models import Exercise
from lessons.content_files import ContentErrors
from lessons.models import Excerpt

pytestmark = pytest.mark.django_db

BANK_HEADER = """slug = "{slug}"
title = "Label the moves of an abstract"
part = "meta"
label_set = "abstract"
difficulty = {difficulty}
field = "Ecology"
source = "Doe, J. (2020). A paper. Journal, 1, 1-2."
instructions = "Label each sentence."

  [paper]
  authors = ["Jane Doe"]
  title = "A paper"
  venue = "Journal"
  year = 2020
  doi = "10.1000/example"
  arxiv_id = ""
  licence = "CC BY 4.0"
  url = "https://doi.org/10.1000/example"
  read_from = "https://example.org/a-paper"
"""

SENTENCE = """
[[sentences]]
text = "{text}"
label = "{label}"
explanation = "Why."
signals = []
"""


@pytest.fixture
def content(tmp_path):
    root = tmp_path / "fixtures"
    shutil.copytree(settings.FIXTURES_DIR, root)
    return root


def bank_file(content, slug, sentences, difficulty=2):
    text = BANK_HEADER.format(slug=slug, difficulty=difficulty)
    text += "".join(SENTENCE.format(text=sentence, label=label) for sentence, label in sentences)
    (content / "exercises" / f"{slug}.toml").write_text(text)


UNSEEN = [
    ("Coral reefs recover slowly after marine heatwaves across the tropics.", "lead-in"),
    ("How fast they recover where fishing is banned remains unknown to ecologists.", "problem"),
]


def refused(content, *fragments):
    with pytest.raises(ContentErrors) as raised:
        load_guide(content)
    for fragment in fragments:
        assert fragment in str(raised.value), str(raised.value)


def test_a_bank_passage_quoted_in_an_excerpt_is_refused(content):
    excerpt = Excerpt.objects.get(slug="lee-2016-abstract").source
    quoted = re.search(r"However, training[^.]*\.", excerpt).group(0)
    bank_file(content, "doe-2020-abstract", [UNSEEN[0], (quoted.upper(), "problem")])
    refused(content, "doe-2020-abstract.toml", "sentence 2", "appears in excerpt lee-2016-abstract too")


def test_a_bank_passage_repeating_another_exercise_is_refused(content):
    bank_file(content, "doe-2020-abstract", UNSEEN)
    bank_file(content, "roe-2021-abstract", [UNSEEN[1], ("A sentence found nowhere else in the whole guide.", "about")])
    refused(content, "sentence 1", "appears in exercise doe-2020-abstract too")


def test_a_bank_exercise_must_name_its_paper_and_difficulty(content):
    bank_file(content, "doe-2020-abstract", UNSEEN)
    path = content / "exercises" / "doe-2020-abstract.toml"
    path.write_text(
        path.read_text().replace('  read_from = "https://example.org/a-paper"\n', "").replace("difficulty = 2\n", "")
    )
    refused(content, "`difficulty` is missing", "paper: `read_from` is missing")


def test_the_path_puts_the_exemplar_first_then_the_bank_from_easy_to_hard(content):
    bank_file(
        content,
        "hard-2020-abstract",
        [
            ("Seagrass meadows store carbon in their sediments for centuries.", "lead-in"),
            ("A third sentence that appears nowhere else at all.", "about"),
        ],
        3,
    )
    bank_file(content, "easy-2020-abstract", UNSEEN, 1)
    load_guide(content)
    meta = list(Exercise.objects.filter(part__slug="meta").values_list("slug", "exemplar", "difficulty"))
    # Exemplars first, then the bank by difficulty.
    assert meta == sorted(meta, key=lambda row: (not row[1], row[2] if not row[1] else 0))
    slugs = [slug for slug, _, _ in meta]
    assert slugs.index("easy-2020-abstract") < slugs.index("hard-2020-abstract")
    easy = Exercise.objects.get(slug="easy-2020-abstract")
    assert easy.page_content().next_exercise.slug == slugs[slugs.index("easy-2020-abstract") + 1]
    assert easy.paper["read_from"] == "https://example.org/a-paper" and easy.field == "Ecology"


def test_an_exemplar_shows_its_annotated_passage_only_after_a_first_attempt(client, make, exercise):
    annotated = f"#excerpt-{exercise.excerpt.slug}"
    assert annotated not in client.get(exercise.get_absolute_url()).content.decode()
    client.post(reverse("exercise_submit", args=[exercise.slug]), make.answers(exercise))
    assert annotated in client.get(exercise.get_absolute_url()).content.decode()


def test_the_exercise_page_names_its_lesson_and_after_feedback_offers_the_next_exercise(client, make, exercise):
    html = client.get(exercise.get_absolute_url()).content.decode()
    assert f'Practises the lesson <a href="{exercise.lesson.get_absolute_url()}">' in html
    feedback = client.post(
        reverse("exercise_submit", args=[exercise.slug]), make.answers(exercise), headers={"HX-Request": "true"}
    ).content.decode()
    following = exercise.page_content().next_exercise
    assert f'href="{following.get_absolute_url()}">Next exercise: {escape(following.title)}</a>' in feedback


def test_the_exercise_list_marks_what_is_done_and_what_is_next(client, make, exercise):
    client.post(reverse("exercise_submit", args=[exercise.slug]), make.answers(exercise))
    html = client.get(reverse("exercises")).content.decode()
    done = html[html.index(f'data-exercise="{exercise.slug}"') :]
    assert "✓ Done" in done[: done.index("</li>")]
    first_untried = Exercise.objects.exclude(pk=exercise.pk).order_by("part__order", "order").first()
    assert f'<li data-exercise="{first_untried.slug}" class="is-next">' in html


def wrong_label_feedback(client, exercise, slug):
    answers = {"version": exercise.version}
    answers.update({s.field_name: slug for s in exercise.sentences.all()})
    response = client.post(reverse("exercise_submit", args=[exercise.slug]), answers, headers={"HX-Request": "true"})
    assert response.status_code == 200
    return response.content.decode()


def test_every_wrong_label_of_every_exercise_gets_a_note_with_no_raw_markdown_or_latex(client):
    for exercise in Exercise.objects.select_related("label_set"):
        for label in exercise.label_set.moves.all():
            html = wrong_label_feedback(client, exercise, label.slug)
            wrong = html.count('data-verdict="wrong"')
            assert html.count('class="wrong-feedback"') == wrong, (exercise.slug, label.slug)
            text = unescape(re.sub(r"<[^>]+>", "", html[html.index('<ol class="sentences">') :]))
            for raw in ("*", "$", "\\"):
                assert raw not in text, (exercise.slug, label.slug, raw)


def test_each_reader_sees_their_own_standing_on_a_card_whoever_saw_the_list_before(
    client, make, exercise, student, other_student
):
    # Cards are kept per standing (exercises.cards): readers with another standing get another card.
    def card(html):
        at = html[html.index(f'data-exercise="{exercise.slug}"') :]
        return at[: at.index("</li>")]

    make.attempt(make.learner(student), exercise, right=True)
    make.attempt(make.learner(student), exercise, right=False)
    client.force_login(student)
    mine = card(client.get(reverse("exercises")).content.decode())
    assert "Your best: <strong>100%</strong> over 2 attempts." in mine
    client.force_login(other_student)
    theirs = card(client.get(reverse("exercises")).content.decode())
    assert "Not tried yet" in theirs or "→ Next" in theirs
    assert "Your best" not in theirs
    client.post(reverse("exercise_submit", args=[exercise.slug]), make.answers(exercise))
    assert "Your best: <strong>100%</strong> over 1 attempt." in card(client.get(reverse("exercises")).content.decode())
    client.force_login(student)
    make.attempt(make.learner(student), exercise, right=False)
    assert "over 3 attempts." in card(client.get(reverse("exercises")).content.decode())
