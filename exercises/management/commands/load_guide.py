from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from exercises.loader import load_guide
from lessons.content_files import ContentErrors


class Command(BaseCommand):
    help = "Load (or reload) the guide's lessons, papers, excerpts and exercises from fixtures/, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("--fixtures", default=str(settings.FIXTURES_DIR), help="the content folder")

    def handle(self, *args, **options):
        from pathlib import Path

        try:
            content, exercises = load_guide(Path(options["fixtures"]))
        except ContentErrors as error:
            raise CommandError(
                f"The guide was not loaded; nothing changed. {len(error.errors)} problem(s):\n{error}"
            ) from None
        excerpts = sum(len(paper["excerpts"]) for paper in content.papers)
        self.stdout.write(
            f"Loaded the guide: {len(content.lessons)} lessons, {len(content.papers)} papers, "
            f"{excerpts} excerpts, {len(exercises)} exercises."
        )
