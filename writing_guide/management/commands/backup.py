"""`manage.py backup`: every row the app owns, as compressed JSON any database can load."""

from datetime import UTC, datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

# JSON with whole timestamps (see writing_guide.backup_json); `loaddata` reads it as plain JSON.
BACKUP_FORMAT = "backup-json"

# Rebuilt by `migrate` (content types, permissions) or not worth keeping (sessions, admin log).
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]
# Kept by the database itself from the rows a backup holds, and so rebuilt as a restore loads them:
# the learners' answers counted by label (exercises.LabelTally, migration 0009).
DERIVED = ["exercises.labeltally"]


def excluded_labels():
    """The EXCLUDED labels whose app is installed (dumpdata refuses unknown ones), and DERIVED."""
    installed = [label for label in EXCLUDED if apps.is_installed(f"django.contrib.{label.split('.')[0]}")]
    return installed + DERIVED


class Command(BaseCommand):
    help = "Write the database to backups/<UTC timestamp>.json.gz (or --output), for `manage.py restore`."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="the file to write: .json, or compressed .json.gz, .json.bz2, .json.xz")

    def handle(self, *args, output=None, verbosity=1, **options):
        if output:
            path = Path(output)
            if not path.name.split(".", 1)[-1].startswith("json"):
                raise CommandError(f"{path} must end in .json, .json.gz, .json.bz2 or .json.xz (the backup is JSON).")
        else:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            path = Path(settings.BASE_DIR) / "backups" / f"{stamp}.json.gz"
        path.parent.mkdir(parents=True, exist_ok=True)
        serializers.register_serializer(BACKUP_FORMAT, "writing_guide.backup_json")
        nested = connection.in_atomic_block
        # One transaction, so the dump is one consistent snapshot even while learners submit.
        with transaction.atomic():
            if connection.vendor == "postgresql" and not nested:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            call_command(
                "dumpdata",
                format=BACKUP_FORMAT,
                natural_foreign=True,
                natural_primary=True,
                exclude=excluded_labels(),
                output=str(path),
                verbosity=0,
            )
        if verbosity:
            self.stdout.write(f"Backup written to {path}")
