from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from exercises.loader import load_guide
from lessons.content_files import ContentErrors


class Command(BaseCommand):
    help = "Load (or reload) the guide's lessons, papers, excerpts and exercises from fixtures/, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("--fixtures", default=str(settings.FIXTURES_DIR), help="the content folder")

    def handle(self, *args, **options):
        try:
            content, exercises, overrides = load_guide(Path(options["fixtures"]))
        except ContentErrors as error:
            raise CommandError(
                f"The guide was not loaded; nothing changed. {len(error.errors)} problem(s):\n{error}"
            ) from None
        excerpts = sum(len(paper["excerpts"]) for paper in content.papers)
        self.stdout.write(
            f"Loaded the guide: {len(content.lessons)} lessons, {len(content.papers)} papers, "
            f"{excerpts} excerpts, {len(exercises)} exercises."
        )
        if overrides.retired:
            self.stdout.write(
                f"Retired {_count(overrides.retired, 'override')} now in the files: {_listed(overrides.retired)}."
            )
        if overrides.dropped:
            self.stdout.write(
                f"Deleted {_count(overrides.dropped, 'override')} with their sentence, gone from the files: "
                f"{_listed(overrides.dropped)}."
            )
        if overrides.moved:
            self.stdout.write(
                f"Kept {_count(overrides.moved, 'override')} on a sentence whose text the files changed "
                f"(check each still fits): {_listed(overrides.moved)}."
            )
        if overrides.remaining:
            self.stdout.write(
                f"{_count(overrides.remaining, 'label')} accepted for everyone not in the files yet: "
                "`manage.py export_overrides` prints the edits."
            )


def _count(items, noun):
    number = items if isinstance(items, int) else len(items)
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _listed(overrides):
    return ", ".join(str(override) for override in overrides)
