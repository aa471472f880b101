"""What a later course page will read: each student's latest draft with its move map, and the intents that disagree."""

import pytest

from drafts.models import Revision, RevisionSentence
from drafts.tagger import Tagged

pytestmark = pytest.mark.django_db


def record(learner, draft_id, *moves):
    answer = [Tagged(f"Sentence {n} of {moves}.", move, 0.9, "why") for n, move in enumerate(moves)]
    return Revision.objects.record(learner.pk, draft_id, " ".join(t.text for t in answer), answer)


def test_each_learners_latest_revision_of_any_draft_comes_in_one_query(
    make, student, other_student, django_assert_num_queries
):
    alice, bob = make.learner(student), make.learner(other_student)
    first = record(alice, None, "lead-in", "about")
    record(alice, first.draft_id, "lead-in", "problem", "about")
    newest = record(alice, None, "problem", "about", "importance")
    bobs = record(bob, None, "about")
    with django_assert_num_queries(1):
        latest = {
            r.draft.learner.user.username: r.moves
            for r in Revision.objects.filter(draft__learner__user__in=[student, other_student])
            .latest_per_learner()
            .select_related("draft__learner__user")
        }
    assert latest == {"student": newest.moves, "other-student": bobs.moves}


def test_the_latest_revision_of_each_draft(make):
    learner = make.learner()
    first = record(learner, None, "about")
    second = record(learner, first.draft_id, "problem", "about")
    other = record(learner, None, "importance")
    assert set(Revision.objects.latest_of_each_draft().values_list("pk", flat=True)) == {second.pk, other.pk}


def test_instructors_can_read_the_intents_that_disagree_with_the_tagger(make):
    learner = make.learner()
    revision = record(learner, None, "lead-in", "problem", "about")
    sentences = {s.position: s for s in revision.sentences.all()}
    sentences[1].intend("problem")  # disagrees
    sentences[2].intend("problem")  # agrees
    disagreements = list(RevisionSentence.objects.disagreements().values_list("position", "move", "intended"))
    assert disagreements == [(1, "lead-in", "problem")]
