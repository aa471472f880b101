"""`Learner.results_version` moves with every write to the learner's attempts and answers, whoever makes
it: the database's triggers (migration 0008) move it, on SQLite and PostgreSQL alike."""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from exercises.loader import load_guide
from exercises.models import Answer, Attempt, Exercise, Learner, Objection, ObjectionStatus, Verdict

pytestmark = pytest.mark.django_db


def versions(*learners):
    return [Learner.objects.get(pk=learner.pk).results_version for learner in learners]


def test_a_submit_moves_the_submitters_version_and_no_one_elses(make, exercise):
    mine, theirs = make.learner(make.user("me")), make.learner(make.user("them"))
    before = versions(mine, theirs)
    make.attempt(mine, exercise)
    after = versions(mine, theirs)
    assert after[0] > before[0] and after[1] == before[1]


def test_a_regrade_moves_the_version_of_each_learner_regraded(make, exercise):
    mine, theirs = make.learner(make.user("me")), make.learner(make.user("them"))
    make.attempt(mine, exercise, right=False)
    make.attempt(theirs, exercise)
    before = versions(mine, theirs)
    changed = Answer.objects.filter(attempt__learner=mine).accept(by=None, reason="a test")
    assert changed > 0
    after = versions(mine, theirs)
    assert after[0] > before[0] and after[1] == before[1]


def test_claiming_anonymous_work_moves_the_accounts_version(make, exercise, student):
    mine, anonymous = make.learner(student), make.learner()
    make.attempt(anonymous, exercise)
    before = versions(mine)[0]
    Learner.objects.claim(anonymous.pk, student)
    assert versions(mine)[0] > before and Attempt.objects.filter(learner=mine).count() == 1


def test_deleting_an_attempt_moves_the_version(make, exercise):
    learner = make.learner(make.user("me"))
    attempt = make.attempt(learner, exercise)
    before = versions(learner)[0]
    attempt.delete()
    assert versions(learner)[0] > before


def test_an_update_by_hand_in_sql_moves_the_version(make, exercise):
    learner = make.learner(make.user("me"))
    attempt = make.attempt(learner, exercise, right=False)
    before = versions(learner)[0]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE exercises_answer SET verdict = %s WHERE attempt_id = %s", [Verdict.RIGHT, attempt.pk])
    assert versions(learner)[0] > before


def test_a_decision_on_an_objection_moves_the_version(make, exercise, student):
    learner = make.learner(student)
    objection = make.objection(make.attempt(learner, exercise, right=False))
    before = versions(learner)[0]
    objection.status = ObjectionStatus.REJECTED
    objection.save(update_fields=["status"])
    assert versions(learner)[0] > before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite lets one writer at a time hold any lock")
# Threads need their own connections, so real transactions (run last, and flushed after: a transactional
# test before this one may have emptied the guide, so it is loaded again if it is gone). serialized_rollback
# makes the flush leave no content types behind, which the next serialized test would meet twice.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_regrade_and_an_objection_raised_meanwhile_both_go_through(make, settings):
    """The regrade's triggers lock each regraded learner; a learner raising an objection holds their own
    row and then needs the answer's. The regrade takes its learners first (`LearnerQuerySet.lock`), so
    it waits for the objection instead of deadlocking with it."""
    if not Exercise.objects.exists():
        load_guide(settings.FIXTURES_DIR)
    exercise = Exercise.objects.get(slug="lee-2016-abstract")
    mine, theirs = make.learner(make.user("mine")), make.learner(make.user("theirs"))
    attempts = [make.attempt(learner, exercise, right=False) for learner in (mine, theirs)]
    answer = attempts[0].answers.select_related("attempt").first()
    holding, errors = threading.Event(), []

    def raise_objection():  # as `raise_for` does: the learner's row first, then the objection
        try:
            with transaction.atomic():
                Learner.objects.filter(pk=mine.pk).lock()
                holding.set()
                time.sleep(0.5)  # the regrade starts meanwhile
                Objection.objects.create(
                    answer=answer,
                    learner=mine,
                    sentence_id=answer.sentence_id,
                    chosen_id=answer.chosen_id,
                    reason="Fits.",
                )
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)
        finally:
            connections.close_all()

    def regrade():
        holding.wait()
        try:
            Answer.objects.filter(attempt__in=attempts, sentence_id=answer.sentence_id).accept(by=None, reason="test")
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=raise_objection), threading.Thread(target=regrade)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert Objection.objects.filter(answer=answer).exists()
    assert set(
        Answer.objects.filter(attempt__in=attempts, sentence_id=answer.sentence_id).values_list("verdict", flat=True)
    ) == {Verdict.ACCEPTED}
