from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from exercises.overrides import pending_edits


class Command(BaseCommand):
    help = (
        "Print the edits to fixtures/exercises/*.toml that make the files say every label accepted for everyone; "
        "the next load_guide then retires those overrides. Prints only: the files are edited by people."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fixtures", default=str(settings.FIXTURES_DIR), help="the content folder")

    def handle(self, *args, **options):
        pending = pending_edits(Path(options["fixtures"]))
        for problem in pending.unreadable:
            self.stdout.write(f"Could not read {problem}")
        if pending.empty:
            self.stdout.write("No labels accepted for everyone are waiting: the files say all of them.")
            return
        if pending.files:
            count = sum(len(sentence.accepted) for edits in pending.files for sentence in edits.sentences)
            self.stdout.write(
                f"{count} label{'' if count == 1 else 's'} accepted for everyone not in the files yet. "
                "Make these edits, then run `manage.py load_guide`: it retires the overrides the files now say."
            )
        for edits in pending.files:
            self.stdout.write("")
            if edits.path is None:
                self.stdout.write(f"exercise {edits.exercise}: no file in exercises/ has slug = {edits.exercise!r}")
            else:
                self.stdout.write(f"--- {edits.path}\n+++ {edits.path}")
            for sentence in edits.sentences:
                self.stdout.write(_hunk(sentence))
        if pending.settled:
            listed = ", ".join(str(override) for override in pending.settled)
            self.stdout.write(f"\nIn the files already (the next `manage.py load_guide` retires them): {listed}")


def _hunk(edit):
    where = f"line {edit.line}, sentence {edit.position}" if edit.line else f"sentence {edit.position}"
    lines = [f'@@ {where}: "{edit.opening}" (accept {", ".join(edit.accepted)}) @@']
    if edit.note:
        lines.append(f"   note: {edit.note}")
    if edit.context:
        lines.append(f" {edit.context}")
    lines += [f"-{line}" for line in edit.before]
    lines += [f"+{line}" for line in edit.after]
    return "\n".join(lines)
