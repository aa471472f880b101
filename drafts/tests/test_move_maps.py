"""The papers' move maps: read from the exemplar abstract exercises, once per guide version (new on every load)."""

import pytest

from drafts.move_maps import abstract_guide
from exercises.loader import load_guide
from exercises.models import Exercise

pytestmark = pytest.mark.django_db


def test_the_papers_strips_are_the_labels_of_the_four_exemplar_abstracts():
    guide = abstract_guide()
    captions = {paper.caption: paper for paper in guide.papers}
    assert set(captions) == {
        "Diehl & Cook (2015)", "Krizhevsky, Sutskever & Hinton (2012)", "Lee, Delbruck & Pfeiffer (2016)",
        "Rueckauer et al. (2017)",
    }  # fmt: skip
    lee = Exercise.objects.get(slug="lee-2016-abstract")
    assert captions["Lee, Delbruck & Pfeiffer (2016)"].slugs == [s.label.slug for s in lee.sentences.all()]
    assert captions["Lee, Delbruck & Pfeiffer (2016)"].url == "/papers/lee-2016/#excerpt-lee-2016-abstract"
    assert [move.slug for move in guide.moves] == ["lead-in", "problem", "about", "importance"]


def test_they_are_read_once_and_again_only_under_a_new_guide_version(django_assert_num_queries):
    first = abstract_guide()
    with django_assert_num_queries(1):  # the guide version only
        assert abstract_guide() is first
    Exercise.objects.update(guide_version="a-new-version")
    again = abstract_guide()
    assert again is not first and again.key == "a-new-version"


def test_a_load_of_the_same_files_reads_them_again(settings):
    first = abstract_guide()
    load_guide(settings.FIXTURES_DIR)  # every load writes a new guide version
    again = abstract_guide()
    assert again is not first and again.key != first.key
    assert again.papers == first.papers


def test_with_the_content_caches_off_they_are_read_every_time(settings):
    settings.CONTENT_CACHES = False
    assert abstract_guide() is not abstract_guide()


def test_a_move_the_guide_does_not_know_is_shown_by_its_slug():
    strip = abstract_guide().strip("Yours", ["problem", "mystery"], 10)
    assert [(move.slug, move.name) for move in strip.steps] == [("problem", "The problem"), ("mystery", "mystery")]
