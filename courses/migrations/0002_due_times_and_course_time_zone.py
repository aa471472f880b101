"""Due dates become due times: each course gets a time zone, and a due date already set becomes the
end of that day (23:59) in the course's zone.

The date column is not altered in place: PostgreSQL would cast a date to midnight UTC, and SQLite
would keep the bare date text in a datetime column. A new column is filled in Python (the same on
both databases, zone rules from zoneinfo), then takes the old one's name. Reversible: going back
keeps the day each due time falls on in the course's zone.
"""

from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.db import migrations, models

import courses.models

END_OF_DAY = time(23, 59)  # a copy: a migration must not change when the app's constant does


def dates_to_end_of_day(apps, schema_editor):
    Assignment = apps.get_model("courses", "Assignment")
    rows = Assignment.objects.filter(due__isnull=False).select_related("course").order_by("pk")
    changed = []
    for assignment in rows.iterator(chunk_size=1000):
        zone = ZoneInfo(assignment.course.time_zone)
        assignment.due_at = datetime.combine(assignment.due, END_OF_DAY, tzinfo=zone)
        changed.append(assignment)
    Assignment.objects.bulk_update(changed, ["due_at"], batch_size=500)


def end_of_day_to_dates(apps, schema_editor):
    Assignment = apps.get_model("courses", "Assignment")
    rows = Assignment.objects.filter(due_at__isnull=False).select_related("course").order_by("pk")
    changed = []
    for assignment in rows.iterator(chunk_size=1000):
        assignment.due = assignment.due_at.astimezone(ZoneInfo(assignment.course.time_zone)).date()
        changed.append(assignment)
    Assignment.objects.bulk_update(changed, ["due"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="course",
            name="time_zone",
            field=models.CharField(
                default=courses.models.default_time_zone,
                max_length=64,
                validators=[courses.models.validate_time_zone],
            ),
        ),
        migrations.AddField(
            model_name="assignment",
            name="due_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(dates_to_end_of_day, end_of_day_to_dates),
        migrations.RemoveField(model_name="assignment", name="due"),
        migrations.RenameField(model_name="assignment", old_name="due_at", new_name="due"),
        migrations.AlterModelOptions(
            name="assignment",
            options={
                "ordering": [
                    models.OrderBy(models.F("due"), nulls_last=True),
                    "exercise__part__order",
                    "exercise__order",
                ]
            },
        ),
    ]
