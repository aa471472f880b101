"""The migration that turns due dates into due times keeps each date as 23:59 that day in the
course's zone, and going back gives the same dates."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from exercises.loader import load_guide
from exercises.models import Exercise as LatestExercise

BEFORE = [("courses", "0001_initial")]
AFTER = [("courses", "0002_due_times_and_course_time_zone")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


# A real transaction (migrations): run with the transactional tests, last, and flushed after. A test of
# that group before this one may have emptied the guide, so it is loaded again if it is gone; with
# serialized_rollback the flushes leave no content types for the next such test to meet twice.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_due_dates_become_the_end_of_that_day_and_come_back(settings):
    settings.TIME_ZONE = "Europe/London"
    if not LatestExercise.objects.exists():
        load_guide(settings.FIXTURES_DIR)
    try:
        apps = migrate(BEFORE)
        Course, Assignment = apps.get_model("courses", "Course"), apps.get_model("courses", "Assignment")
        Exercise = apps.get_model("exercises", "Exercise")
        course = Course.objects.create(title="Old", slug="old", join_code="ABCDEFGHJK")
        first, second = Exercise.objects.order_by("pk")[:2]
        Assignment.objects.create(course=course, exercise=first, due=date(2026, 7, 1))
        Assignment.objects.create(course=course, exercise=second, due=None)

        apps = migrate(AFTER)
        Course, Assignment = apps.get_model("courses", "Course"), apps.get_model("courses", "Assignment")
        assert Course.objects.get(slug="old").time_zone == "Europe/London"
        dues = dict(Assignment.objects.values_list("exercise_id", "due"))
        # 23:59 British Summer Time is 22:59 UTC: stored as the instant, whatever the database.
        assert dues == {first.pk: datetime(2026, 7, 1, 23, 59, tzinfo=ZoneInfo("Europe/London")), second.pk: None}

        apps = migrate(BEFORE)
        Assignment = apps.get_model("courses", "Assignment")
        assert dict(Assignment.objects.values_list("exercise_id", "due")) == {
            first.pk: date(2026, 7, 1),
            second.pk: None,
        }
    finally:
        # Back to the latest migration of every app, not just to AFTER: later tests need every table.
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
