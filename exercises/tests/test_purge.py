"""Anonymous work is kept for the retention period and then purged; accounts' work never is."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from exercises.models import Answer, Attempt, Learner

pytestmark = pytest.mark.django_db


def aged(learner, days):
    then = timezone.now() - timedelta(days=days)
    Learner.objects.filter(pk=learner.pk).update(created=then)
    Attempt.objects.filter(learner=learner).update(created=then)


def test_purge_deletes_anonymous_learners_idle_past_the_retention_period(make, exercise, student, settings):
    settings.ANONYMOUS_RETENTION_DAYS = 30
    idle, active, account = make.learner(), make.learner(), make.learner(student)
    for learner in (idle, active, account):
        make.attempt(learner, exercise)
        aged(learner, 45)
    make.attempt(active, exercise)  # came back today
    out = StringIO()
    call_command("purge_anonymous", stdout=out)
    assert set(Learner.objects.values_list("pk", flat=True)) == {active.pk, account.pk}
    assert not Answer.objects.filter(attempt__learner_id=idle.pk).exists()
    assert "Deleted 1 anonymous learners and 1 attempts" in out.getvalue()


def test_a_dry_run_deletes_nothing(make, exercise, settings):
    settings.ANONYMOUS_RETENTION_DAYS = 30
    aged(make.learner(), 45)
    out = StringIO()
    call_command("purge_anonymous", "--dry-run", stdout=out)
    assert Learner.objects.count() == 1
    assert "Would delete 1" in out.getvalue()
