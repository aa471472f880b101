"""Delete the work of visitors without an account once it is older than the retention period."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from exercises.models import Learner


class Command(BaseCommand):
    help = (
        "Delete anonymous learners (and their attempts) with no attempt in the last ANONYMOUS_RETENTION_DAYS "
        "days. Run it daily, beside `clearsessions`."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what would be deleted; delete nothing.")

    def handle(self, *args, dry_run=False, **options):
        cutoff = timezone.now() - timedelta(days=settings.ANONYMOUS_RETENTION_DAYS)
        stale = Learner.objects.anonymous_inactive_since(cutoff)
        if dry_run:
            self.stdout.write(f"Would delete {stale.count()} anonymous learners inactive since {cutoff:%Y-%m-%d}.")
            return
        deleted = stale.purge()
        self.stdout.write(
            f"Deleted {deleted['learners']} anonymous learners and {deleted['attempts']} attempts "
            f"inactive since {cutoff:%Y-%m-%d}."
        )
