"""A comparable picture of a database: row counts per model and a few whole rows of each.

Run in whichever process is connected to the database in question (see test_backup_restore).
"""

import json

from django.apps import apps

from writing_guide.management.commands.backup import DERIVED, EXCLUDED

# Counters the database moves itself on every write it is given (the learners' `results_version`, which
# a restore's writes move on): what they count is a change, not a value a restore must bring back.
MOVED_BY_THE_DATABASE = {"results_version"}


def summary(rows_per_table=3):
    skipped = {label for label in EXCLUDED if "." not in label}
    picture = {}
    for model in apps.get_models():
        if model._meta.app_label in skipped or model._meta.label_lower in EXCLUDED:
            continue
        if model._meta.label_lower in DERIVED:
            # Rebuilt on restore under new ids: what it counts is compared, not its rows' ids.
            fields = sorted(f.attname for f in model._meta.concrete_fields if not f.primary_key)
            counted = model.objects.exclude(answers=0).order_by(*fields).values_list(*fields)
            picture[model._meta.label] = {"count": len(counted), "rows": json.loads(json.dumps(list(counted)))}
            continue
        rows = model.objects.order_by("pk")
        count = rows.count()
        fields = [f.attname for f in model._meta.concrete_fields if f.attname not in MOVED_BY_THE_DATABASE]
        sample = list(rows.values(*fields)[:rows_per_table]) + list(
            rows.order_by("-pk").values(*fields)[:rows_per_table]
        )
        picture[model._meta.label] = {"count": count, "rows": json.loads(json.dumps(sample, default=str))}
    return picture


def print_summary():
    print("SUMMARY " + json.dumps(summary(), sort_keys=True))  # noqa: T201 (read by the test)
