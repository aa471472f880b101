"""The service behind the exercise editor (`courses.authoring`): a pasted passage split and tagged, the
draft checked by the loader's own code, published as immutable revisions, regraded only when asked,
exported as a fixtures file and imported back."""

import shutil
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction

from courses import authoring
from courses.models import Assignment, CourseExercise, ExerciseRevision
from exercises.loader import DatabaseContent, load_guide, read_exercise
from exercises.models import Attempt, Exercise, Verdict, VerdictChange
from lessons.content_files import ContentErrors, FileReader
from testing.factory import Factory

pytestmark = pytest.mark.django_db

ABSTRACT = (
    "Deep networks now recognise images as well as people do. "
    "However, they need far more energy than the brain. "
    "We propose a spiking network that learns with local rules. "
    "It matches the accuracy of earlier models with a tenth of the energy."
)


def written(course, instructor, passage=ABSTRACT):
    """A draft with everything publishing needs, its suggested labels confirmed as they are."""
    draft = authoring.start(course, instructor, passage, "abstract")
    draft.draft.update(
        title="Label the moves of an abstract on spiking networks",
        source="Doe, J. (2024). Spiking networks that learn locally. Journal of Examples, 1, 1-10.",
        paper={"title": "Spiking networks that learn locally", "licence": "CC BY 4.0", "url": "https://example.org/a"},
    )
    for sentence in draft.draft["sentences"]:
        sentence["confirmed"] = True
        sentence["explanation"] = "The sentence does this job."
    draft.save()
    return draft


def test_a_pasted_abstract_is_split_and_each_sentence_gets_a_suggested_move_with_a_reason(course, instructor):
    draft = authoring.start(course, instructor, ABSTRACT, "abstract")

    sentences = draft.draft["sentences"]
    assert [s["text"] for s in sentences] == [
        "Deep networks now recognise images as well as people do.",
        "However, they need far more energy than the brain.",
        "We propose a spiking network that learns with local rules.",
        "It matches the accuracy of earlier models with a tenth of the energy.",
    ]
    assert sentences[1]["suggestion"]["label"] == "problem"
    assert sentences[2]["suggestion"]["label"] == "about"
    for sentence in sentences:
        assert sentence["suggestion"]["reason"] and 0 < sentence["suggestion"]["confidence"] <= 1
        assert sentence["confirmed"] is False
    assert draft.slug == "deep-networks-now-recognise-images-as"


def test_a_passage_of_another_label_set_is_split_without_suggestions(course, instructor):
    draft = authoring.start(course, instructor, ABSTRACT, "end")
    assert all("suggestion" not in s and s["label"] == "" for s in draft.draft["sentences"])
    assert draft.draft["part"] == "end"


def test_a_suggested_label_must_be_confirmed_before_publishing(course, instructor):
    draft = written(course, instructor)
    draft.draft["sentences"][1]["confirmed"] = False
    draft.save()

    errors, data = authoring.check(draft)

    assert data is None
    assert [(e.field, e.message) for e in errors] == [
        ("sentences.2.label", "the label is the tagger's suggestion: check it, then tick “confirmed”")
    ]


def test_each_problem_names_its_field(course, instructor):
    draft = written(course, instructor)
    draft.draft["title"] = ""
    draft.draft["paper"]["url"] = "not a link"
    draft.draft["sentences"][0]["signals"] = ["not in the sentence"]
    draft.draft["sentences"][2]["explanation"] = "  "
    draft.draft["sentences"][3].update(label="importance", feedback={"importance": "Right.", "moon": "No such label."})
    draft.save()

    fields = authoring.errors_by_field(authoring.check(draft)[0])

    assert set(fields) == {
        "title",
        "paper.url",
        "sentences.1.signals",
        "sentences.3.explanation",
        "sentences.4.feedback",  # "moon" is no label of the set
        "sentences.4.feedback.importance",  # feedback for the right label
    }
    assert fields["sentences.3.explanation"] == ["`explanation` is empty"]


def test_the_editor_and_the_loader_find_the_same_problems_in_the_same_data(tmp_path):
    """One validator: a fixture file broken the same way is refused by `load_guide` with the message
    the editor shows next to the field."""
    shutil_root = tmp_path / "fixtures"
    shutil.copytree(settings.FIXTURES_DIR, shutil_root)
    path = shutil_root / "exercises" / "lee-2016-abstract.toml"
    data = tomllib.loads(path.read_text())
    signal = data["sentences"][0]["signals"][0]
    path.write_text(path.read_text().replace(f'signals = ["{signal}"', 'signals = ["no such words"', 1))

    with pytest.raises(ContentErrors) as refused:
        load_guide(shutil_root)

    file_error = next(e for e in refused.value.errors if e.field == "sentences.1.signals")
    reader = FileReader(".")
    data["sentences"][0]["signals"][0] = "no such words"
    read_exercise(reader, Path("x"), data, DatabaseContent())
    assert [(e.item, e.message, e.field) for e in reader.errors] == [
        (file_error.item, file_error.message, file_error.field)
    ]


def test_publishing_makes_an_unlisted_revision_that_students_reach_only_through_the_course(course, instructor):
    draft = written(course, instructor)

    revision = authoring.publish(draft, instructor)

    exercise = revision.exercise
    assert revision.number == 1 and draft.__class__.objects.get(pk=draft.pk).current == exercise
    assert not exercise.listed and exercise.home == f"/courses/{course.slug}/own/{draft.slug}/"
    assert exercise.get_absolute_url() == exercise.home
    assert exercise.attempt_url(7) == f"{exercise.home}attempts/7/"
    assert not Exercise.objects.filter(pk=exercise.pk).exists()  # the bank never lists it
    assert [s.label.slug for s in exercise.sentences.order_by("position")] == [
        s["label"] for s in draft.draft["sentences"]
    ]


def test_publishing_an_unchanged_draft_makes_no_new_revision_and_an_edit_makes_one(course, instructor):
    draft = written(course, instructor)
    first = authoring.publish(draft, instructor)
    assert authoring.publish(draft, instructor) == first

    draft.refresh_from_db()
    draft.draft["sentences"][0]["explanation"] = "It sets the scene: *now recognise* describes the field."
    draft.save()
    second = authoring.publish(draft, instructor)

    assert second.number == 2 and second.exercise != first.exercise
    assert ExerciseRevision.objects.filter(course_exercise=draft).count() == 2
    first.exercise.refresh_from_db()
    assert "describes the field" not in first.exercise.sentences.first().explanation_html  # revision 1 unchanged


def test_a_draft_with_problems_is_not_published_and_nothing_is_written(course, instructor):
    draft = written(course, instructor)
    draft.draft["source"] = ""
    draft.save()
    before = Exercise.everywhere.count()

    with pytest.raises(authoring.NotPublishable) as refused:
        authoring.publish(draft, instructor)

    assert [e.field for e in refused.value.errors] == ["source", "source"]
    assert Exercise.everywhere.count() == before and not ExerciseRevision.objects.exists()


def _attempt_choosing(exercise, learner, slugs):
    labels = {m.slug: m for m in exercise.label_set.moves.all()}
    sentences = list(exercise.sentences.order_by("position"))
    grade = exercise.grade({s.pk: labels[slug] for s, slug in zip(sentences, slugs, strict=True)})
    return Attempt.objects.record(learner.pk, exercise, grade)


def _second_label_changed_to_about(draft):
    draft.refresh_from_db()
    draft.draft["sentences"][1]["label"] = "about"
    draft.save()


def test_old_attempts_keep_their_verdicts_when_a_right_label_changes(course, instructor, student):
    draft = written(course, instructor)
    first = authoring.publish(draft, instructor).exercise
    chosen = ["lead-in", "about", "about", "importance"]
    attempt = _attempt_choosing(first, Factory().learner(student), chosen)
    score = attempt.correct

    _second_label_changed_to_about(draft)
    authoring.publish(draft, instructor)

    attempt.refresh_from_db()
    assert attempt.correct == score and attempt.exercise == first
    assert attempt.answers.get(sentence__position=2).verdict == Verdict.WRONG
    assert not VerdictChange.objects.exists()


def test_the_instructor_can_ask_to_regrade_earlier_answers_which_is_audited(course, instructor, student):
    draft = written(course, instructor)
    first = authoring.publish(draft, instructor).exercise
    attempt = _attempt_choosing(first, Factory().learner(student), ["lead-in", "about", "about", "importance"])
    before = attempt.correct

    _second_label_changed_to_about(draft)
    revision = authoring.publish(draft, instructor, regrade=True)

    attempt.refresh_from_db()
    assert revision.regraded_answers == 1
    assert attempt.correct == before + 1
    change = VerdictChange.objects.get()
    assert (change.before, change.after, change.changed_by) == (Verdict.WRONG, Verdict.RIGHT, instructor)
    assert "revision 2" in change.reason


def test_a_regrade_that_fails_half_way_leaves_every_verdict_and_revision_as_it_was(
    monkeypatch, course, instructor, student
):
    draft = written(course, instructor)
    first = authoring.publish(draft, instructor).exercise
    attempt = _attempt_choosing(first, Factory().learner(student), ["lead-in", "about", "about", "importance"])
    _second_label_changed_to_about(draft)
    regrade = authoring._regrade_earlier
    seen = []

    def fail_after_the_regrade(*args):
        seen.append(regrade(*args))  # by now the verdicts are changed, in the transaction this failure must undo
        raise IntegrityError("the revision's count could not be written")

    monkeypatch.setattr(authoring, "_regrade_earlier", fail_after_the_regrade)
    with pytest.raises(IntegrityError):
        authoring.publish(draft, instructor, regrade=True)

    assert seen == [1]
    assert attempt.answers.get(sentence__position=2).verdict == Verdict.WRONG
    assert not VerdictChange.objects.exists()
    assert ExerciseRevision.objects.filter(course_exercise=draft).count() == 1
    draft.refresh_from_db()
    assert draft.current == first


def test_a_new_revision_takes_over_the_assignment_and_its_due_time(course, instructor):
    draft = written(course, instructor)
    first = authoring.publish(draft, instructor).exercise
    due = datetime(2030, 1, 31, 23, 59, tzinfo=UTC)
    Assignment.objects.create(course=course, exercise=first, due=due)

    draft.refresh_from_db()
    draft.draft["title"] = "Label the moves of a renamed abstract"
    draft.save()
    second = authoring.publish(draft, instructor).exercise

    assert list(course.assignments.filter(exercise__listed=False).values_list("exercise", "due")) == [(second.pk, due)]


def test_an_export_imports_as_the_same_exercise(course, instructor, make):
    draft = written(course, instructor)
    draft.draft["sentences"][0]["signals"] = ["now recognise"]
    draft.draft["sentences"][1]["feedback"] = {"lead-in": "You chose *lead-in*: *However* turns to a problem."}
    draft.draft["sentences"][1]["also_accepted"] = ["importance"]
    draft.save()
    text = authoring.export_toml(draft)
    other = make.course(instructor, "Writing 202")

    imported = authoring.import_toml(other, instructor, text)

    assert imported.slug == draft.slug and imported.course == other
    assert authoring.check(imported)[1] == authoring.check(draft)[1]
    assert tomllib.loads(text)["sentences"][1]["feedback"]["lead-in"].startswith("You chose")


def test_an_imported_file_with_problems_is_refused_whole(course, instructor):
    draft = written(course, instructor)
    text = authoring.export_toml(draft).replace('label = "about"', 'label = "moon"', 1)

    with pytest.raises(ContentErrors) as refused:
        authoring.import_toml(course, instructor, text)

    assert any("unknown label 'moon'" in e.message for e in refused.value.errors)
    assert CourseExercise.objects.count() == 1


def test_a_file_that_is_not_toml_is_refused_with_a_message(course, instructor):
    with pytest.raises(ContentErrors) as refused:
        authoring.import_toml(course, instructor, 'slug = "a\n')
    assert "not valid TOML" in str(refused.value)


def test_a_course_has_at_most_the_set_number_of_exercises(course, instructor, settings):
    settings.COURSE_EXERCISES_MAX = 2
    authoring.start(course, instructor, ABSTRACT, "abstract")
    authoring.start(course, instructor, ABSTRACT, "abstract")

    with pytest.raises(authoring.AuthoringRefused, match="2 exercises of its own"):
        authoring.start(course, instructor, ABSTRACT, "abstract")

    assert [e.slug for e in course.own_exercises.order_by("pk")] == [
        "deep-networks-now-recognise-images-as",
        "deep-networks-now-recognise-images-as-2",
    ]


def test_join_and_split_correct_the_split(course, instructor):
    draft = authoring.start(course, instructor, ABSTRACT, "abstract").draft

    authoring.join(draft, 1)
    assert draft["sentences"][0]["text"] == (
        "Deep networks now recognise images as well as people do. However, they need far more energy than the brain."
    )
    authoring.split_sentence(draft, 1, "However, they")
    assert [s["text"] for s in draft["sentences"][:2]] == [
        "Deep networks now recognise images as well as people do.",
        "However, they need far more energy than the brain.",
    ]
    with pytest.raises(authoring.AuthoringRefused):
        authoring.split_sentence(draft, 1, "Deep")  # nothing before it
    with pytest.raises(authoring.AuthoringRefused):
        authoring.join(draft, 4)  # the last has no next


def test_reloading_the_guide_keeps_the_courses_exercises(course, instructor):
    exercise = authoring.publish(written(course, instructor), instructor).exercise

    load_guide(settings.FIXTURES_DIR)

    assert Exercise.everywhere.filter(pk=exercise.pk).exists()


def test_an_unlisted_exercise_may_share_a_slug_but_two_listed_ones_may_not(course, instructor):
    bank = Exercise.objects.get(slug="lee-2016-abstract")
    draft = written(course, instructor)
    draft.slug = draft.draft["slug"] = "lee-2016-abstract"
    draft.save()

    authoring.publish(draft, instructor)  # no clash with the bank's slug

    assert Exercise.objects.get(slug="lee-2016-abstract") == bank
    with pytest.raises(IntegrityError), transaction.atomic():
        Exercise.everywhere.create(**{f.name: getattr(bank, f.name) for f in Exercise._meta.concrete_fields[1:]})


def test_every_label_set_of_the_guide_is_offered_with_a_part_and_instructions_that_render():
    from lessons.markdown import render_markdown
    from lessons.models import MoveSet, Part

    points = authoring.starting_points()
    assert set(points) == set(MoveSet.objects.values_list("slug", flat=True))
    assert [slug for slug, _ in authoring.label_set_choices()] == list(points)
    for point in points.values():
        assert Part.objects.filter(slug=point["part"]).exists()
        assert render_markdown(point["instructions"]).strip()
