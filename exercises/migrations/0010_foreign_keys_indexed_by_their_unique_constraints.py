"""Attempt.learner, Answer.attempt and LabelTally.learner lose the index Django gives every foreign key:
each table's unique constraint leads with that column and serves every lookup by it, and the second
index cost each submit pages more to write (bench/README.md).

By hand, not Django's AlterField: on SQLite that remakes the table, and the triggers of 0008 and 0009 on
it would go with the old table (and fail the copy). Here only the indexes are dropped."""

import django.db.models.deletion
from django.db import migrations, models

# (model, field): the foreign keys whose own index goes.
COVERED = [("attempt", "learner"), ("answer", "attempt"), ("labeltally", "learner")]


def drop_indexes(apps, schema_editor):
    for model_name, field_name in COVERED:
        model = apps.get_model("exercises", model_name)
        column = model._meta.get_field(field_name).column
        # The index on the column alone: the unique constraints that lead with it are left alone.
        for name in schema_editor._constraint_names(model, [column], index=True, unique=False, primary_key=False):
            schema_editor.execute(schema_editor._delete_index_sql(model, name))


def create_indexes(apps, schema_editor):
    for model_name, field_name in COVERED:
        model = apps.get_model("exercises", model_name)
        schema_editor.execute(schema_editor._create_index_sql(model, fields=[model._meta.get_field(field_name)]))


class Migration(migrations.Migration):
    dependencies = [
        ("exercises", "0009_label_tallies"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="answer",
                    name="attempt",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="answers",
                        to="exercises.attempt",
                    ),
                ),
                migrations.AlterField(
                    model_name="attempt",
                    name="learner",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="attempts",
                        to="exercises.learner",
                    ),
                ),
                migrations.AlterField(
                    model_name="labeltally",
                    name="learner",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="exercises.learner",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(drop_indexes, create_indexes)],
        ),
    ]
