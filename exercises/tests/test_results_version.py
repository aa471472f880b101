"""`Learner.results_version` moves with every write to the learner's attempts and answers, whoever makes
it: the database's triggers (migration 0008) move it, on SQLite and PostgreSQL alike."""

import pytest
from django.db import connection

from exercises.models import Answer, Attempt, Learner, ObjectionStatus, Verdict

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
