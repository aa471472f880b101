"""`manage.py restore FILE`: load a `manage.py backup` file into a migrated database."""

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from writing_guide.management.commands.backup import DERIVED, EXCLUDED


def rows_present():
    """How many rows the tables a backup fills hold already."""
    skipped = {label for label in EXCLUDED if "." not in label}
    skipped_models = {label for label in EXCLUDED + DERIVED if "." in label}
    return sum(
        model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label not in skipped and model._meta.label_lower not in skipped_models
    )


class Command(BaseCommand):
    help = "Load a backup into this (migrated) database. An empty database only, unless --replace."

    def add_arguments(self, parser):
        parser.add_argument("file", help="a file written by `manage.py backup`")
        parser.add_argument("--replace", action="store_true", help="delete every row first, then load the backup")

    def handle(self, *args, file, replace=False, verbosity=1, **options):
        with transaction.atomic():
            present = rows_present()
            if present and not replace:
                raise CommandError(
                    f"The database already holds {present} rows. Restore into a freshly migrated database, "
                    "or give --replace to delete them first (everything in the backup's tables)."
                )
            if present:
                call_command("flush", interactive=False, verbosity=0)
            call_command("loaddata", file, verbosity=verbosity)
