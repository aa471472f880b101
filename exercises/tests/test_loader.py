"""The whole guide's load (`load_guide`, the `load_guide` command): lessons-side and exercises content
checked together, every problem reported at once with the file, the item and the fix, and nothing
stored unless all of it loads; exercises and learners' attempts survive a reload.

The lessons-side files alone are tested in lessons/tests/test_loader.py.
"""

import re
import shutil

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from exercises.loader import load_guide
from exercises.models import Attempt, Exercise, Sentence
from lessons.content_files import ContentErrors
from lessons.models import Annotation, Excerpt, Lesson, Move, Paper

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(tmp_path):
    """A copy of the real fixtures to break."""
    root = tmp_path / "fixtures"
    shutil.copytree(settings.FIXTURES_DIR, root)
    return root


def counts():
    return [model.objects.count() for model in (Paper, Excerpt, Annotation, Lesson, Move, Exercise, Sentence)]


def edit(path, old, new, count=1):
    text = path.read_text()
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count))


def assert_refused(content, *fragments):
    before = counts()
    html_before = Excerpt.objects.get(slug="lee-2016-abstract").html
    with pytest.raises(ContentErrors) as raised:
        load_guide(content)
    message = str(raised.value)
    for fragment in fragments:
        assert fragment in message, message
    assert counts() == before
    assert Excerpt.objects.get(slug="lee-2016-abstract").html == html_before
    return message


def test_an_exercise_without_a_source_is_refused(content):
    path = content / "exercises/lee-2016-abstract.toml"
    path.write_text(re.sub(r"(?m)^source = .*$", "", path.read_text(), count=1))
    assert_refused(content, "exercises/lee-2016-abstract.toml", "needs its `source`")


def test_an_exercise_label_outside_its_label_set_is_refused(content):
    edit(content / "exercises/lee-2016-abstract.toml", 'label = "problem"', 'label = "background"')
    assert_refused(content, "exercise lee-2016-abstract, sentence", "unknown label 'background'")


def test_a_signal_missing_from_its_sentence_is_refused(content):
    path = content / "exercises/lee-2016-wta.toml"
    path.write_text(re.sub(r'(?m)^signals = \["', 'signals = ["not in the sentence", "', path.read_text(), count=1))
    assert_refused(content, "exercises/lee-2016-wta.toml", "the signal 'not in the sentence' is not in")


def test_every_problem_is_reported_at_once(content):
    edit(content / "papers/diehl-2015.toml", 'part = "meta"', 'part = "preface"')
    edit(content / "exercises/lee-2016-abstract.toml", 'label = "problem"', 'label = "background"')
    message = assert_refused(content)
    assert "diehl-2015.toml" in message and "lee-2016-abstract.toml" in message


def test_loading_twice_changes_nothing():
    before = {
        "ids": list(Excerpt.objects.order_by("pk").values_list("pk", "slug", "html")),
        "sentences": list(Sentence.objects.order_by("pk").values_list("pk", "text", "label_id")),
        "counts": counts(),
    }
    load_guide(settings.FIXTURES_DIR)
    load_guide(settings.FIXTURES_DIR)
    after = {
        "ids": list(Excerpt.objects.order_by("pk").values_list("pk", "slug", "html")),
        "sentences": list(Sentence.objects.order_by("pk").values_list("pk", "text", "label_id")),
        "counts": counts(),
    }
    assert after == before


def test_reloading_keeps_learners_attempts(make, exercise):
    learner = make.learner()
    attempt = make.attempt(learner, exercise)
    load_guide(settings.FIXTURES_DIR)
    attempt.refresh_from_db()
    assert attempt.answers.count() == exercise.sentences.count()


def test_changing_a_sentence_changes_the_exercise_version(content, exercise):
    path = content / "exercises/lee-2016-abstract.toml"
    path.write_text(path.read_text().replace('label = "problem"', 'label = "about"', 1))
    old_version = exercise.version
    load_guide(content)
    exercise.refresh_from_db()
    assert exercise.version != old_version


def test_dropping_an_exercise_that_learners_attempted_is_refused_with_a_clear_message(content, make):
    wta = Exercise.objects.get(slug="lee-2016-wta")
    make.attempt(make.learner(), wta)
    (content / "exercises/lee-2016-wta.toml").unlink()
    with pytest.raises(ContentErrors, match="attempts still point at"):
        load_guide(content)
    assert Attempt.objects.filter(exercise=wta).count() == 1


def test_the_command_says_what_it_loaded(capsys):
    call_command("load_guide")
    assert re.search(r"Loaded the guide: \d+ lessons, 4 papers, \d+ excerpts, \d+ exercises", capsys.readouterr().out)


def test_the_command_fails_with_every_problem(content):
    edit(content / "papers/diehl-2015.toml", 'part = "meta"', 'part = "preface"')
    with pytest.raises(CommandError, match="(?s)nothing changed.*unknown part 'preface'"):
        call_command("load_guide", fixtures=str(content))


def test_a_signal_inside_maths_is_refused(content):
    edit(content / "exercises/lee-2016-wta.toml", 'signals = ["With this scheme"]', 'signals = ["V_{th}"]')
    assert_refused(content, "exercises/lee-2016-wta.toml", "sentence 6", "falls inside maths")


def test_a_note_for_a_wrong_label_must_be_one_paragraph(content):
    edit(
        content / "exercises/lee-2016-wta.toml",
        "result = \"You chose *what's the result*: the sentence",
        "result = \"You chose *what's the result*:\\n\\n- the sentence",
    )
    assert_refused(content, "exercises/lee-2016-wta.toml", "must be a single paragraph")
