import pytest

from exercises.models import Attempt, Verdict

pytestmark = pytest.mark.django_db


def labels_of(exercise):
    return {label.slug: label for label in exercise.label_set.moves.all()}


def test_all_right_labels_score_full_marks(exercise):
    labels = labels_of(exercise)
    grade = exercise.grade({s.pk: labels[s.label.slug] for s in exercise.sentences.select_related("label")})
    assert grade.correct == grade.total == exercise.sentences.count()
    assert {r.verdict for r in grade.results} == {Verdict.RIGHT}


def test_an_also_accepted_label_counts_as_right_with_its_own_verdict(exercise):
    labels = labels_of(exercise)
    sentences = list(exercise.sentences.select_related("label"))
    two_jobs = next(s for s in sentences if s.also_accepted)
    choices = {s.pk: labels[s.label.slug] for s in sentences}
    choices[two_jobs.pk] = labels[two_jobs.also_accepted[0]]
    grade = exercise.grade(choices)
    result = next(r for r in grade.results if r.sentence.pk == two_jobs.pk)
    assert result.verdict == Verdict.ACCEPTED
    assert grade.correct == grade.total


def test_a_wrong_label_scores_nothing_and_gets_its_specific_feedback(exercise):
    labels = labels_of(exercise)
    sentences = list(exercise.sentences.select_related("label"))
    with_feedback = next(s for s in sentences if s.feedback_html)
    wrong_slug, message = next(iter(with_feedback.feedback_html.items()))
    choices = {s.pk: labels[s.label.slug] for s in sentences}
    choices[with_feedback.pk] = labels[wrong_slug]
    grade = exercise.grade(choices)
    result = next(r for r in grade.results if r.sentence.pk == with_feedback.pk)
    assert result.verdict == Verdict.WRONG
    assert result.wrong_label_feedback_html == message
    assert grade.correct == grade.total - 1


def test_recording_numbers_attempts_per_learner_and_exercise(make, exercise):
    learner, other = make.learner(), make.learner()
    first = make.attempt(learner, exercise)
    second = make.attempt(learner, exercise, right=False)
    theirs = make.attempt(other, exercise)
    assert (first.number, second.number, theirs.number) == (1, 2, 1)
    assert second.correct < second.total
    assert second.answers.count() == exercise.sentences.count()


def test_attempt_numbers_are_unique_in_the_database(make, exercise):
    from django.db import IntegrityError, transaction

    learner = make.learner()
    attempt = make.attempt(learner, exercise)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attempt.objects.create(learner=learner, exercise=exercise, number=attempt.number, correct=0, total=1)
