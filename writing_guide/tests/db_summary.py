"""A comparable picture of a database: row counts per model and a few whole rows of each.

Run in whichever process is connected to the database in question (see test_backup_restore).
"""

import json

from django.apps import apps

from writing_guide.management.commands.backup import EXCLUDED


def summary(rows_per_table=3):
    skipped = {label for label in EXCLUDED if "." not in label}
    picture = {}
    for model in apps.get_models():
        if model._meta.app_label in skipped or model._meta.label_lower in EXCLUDED:
            continue
        rows = model.objects.order_by("pk")
        count = rows.count()
        sample = list(rows.values()[:rows_per_table]) + list(rows.order_by("-pk").values()[:rows_per_table])
        picture[model._meta.label] = {"count": count, "rows": json.loads(json.dumps(sample, default=str))}
    return picture


def print_summary():
    print("SUMMARY " + json.dumps(summary(), sort_keys=True))  # noqa: T201 (read by the test)
