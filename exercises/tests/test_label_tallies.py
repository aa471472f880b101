"""The learners' answers counted by label (`LabelTally`, kept by the database: migration 0009): after
every kind of write that changes what they count, they are what counting the answers afresh gives."""

import pytest
from django.db.models import Count

from exercises.models import Answer, LabelTally, Learner, Sentence, Verdict

pytestmark = pytest.mark.django_db


def counted_afresh(learner):
    rows = (
        Answer.objects.filter(attempt__learner=learner)
        .values("sentence__label", "chosen", "verdict")
        .annotate(n=Count("pk"))
        .values_list("sentence__label", "chosen", "verdict", "n")
    )
    return {(label, chosen, verdict): n for label, chosen, verdict, n in rows}


def kept(learner):
    tallies = LabelTally.objects.filter(learner=learner, answers__gt=0)
    return {(t.label_id, t.chosen_id, t.verdict): t.answers for t in tallies}


def test_the_tallies_follow_submits_regrades_claims_relabelled_sentences_and_deletions(
    make, student, instructor, exercise
):
    learner = make.learner(student)
    make.attempt(learner, exercise)
    wrong = make.attempt(learner, exercise, label_slug="problem")
    assert kept(learner) == counted_afresh(learner) and sum(kept(learner).values()) == 2 * exercise.sentences.count()

    # A regrade (an accepted objection, a republished exercise) changes verdicts in place.
    first = Answer.objects.filter(attempt=wrong, verdict=Verdict.WRONG).order_by("sentence__position")[:1]
    assert Answer.objects.filter(pk__in=first).regrade(lambda answer: Verdict.ACCEPTED, by=instructor, reason="r") == 1
    assert kept(learner) == counted_afresh(learner)

    # An anonymous learner's attempts, claimed at sign-up, are counted as the account's.
    anonymous = make.learner()
    make.attempt(anonymous, exercise, label_slug="about")
    assert Learner.objects.claim(anonymous.pk, student) == learner.pk
    assert kept(learner) == counted_afresh(learner) and not LabelTally.objects.filter(learner=anonymous.pk).exists()

    # A sentence given another right label (a load of changed content) moves its answers to that label.
    sentence = exercise.sentences.order_by("position").first()
    other = exercise.label_set.moves.exclude(pk=sentence.label_id).first()
    Sentence.objects.filter(pk=sentence.pk).update(label=other)
    assert kept(learner) == counted_afresh(learner)
    assert any(label == other.pk for label, *_ in kept(learner))

    # An attempt deleted takes its answers out; a learner purged takes every tally.
    wrong.delete()
    assert kept(learner) == counted_afresh(learner)
    Learner.objects.filter(pk=learner.pk).purge()
    assert not LabelTally.objects.filter(learner=learner.pk).exists()


def test_two_learners_answering_alike_keep_counts_of_their_own(make, student, other_student, exercise):
    mine, theirs = make.learner(student), make.learner(other_student)
    for _ in range(3):
        make.attempt(mine, exercise, label_slug="problem")
    make.attempt(theirs, exercise, label_slug="problem")
    assert kept(theirs) == counted_afresh(theirs)
    assert kept(mine) == {key: 3 * n for key, n in kept(theirs).items()}
