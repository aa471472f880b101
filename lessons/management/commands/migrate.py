"""Django's `migrate`, and the one command allowed to create the SQLite database file.

Every other process opens an existing file only (writing_guide/sqlite_files.py), so a fresh clone,
`make run`, `make restore` and the test, stress and benchmark harnesses build their database with
this command, as they did before.
"""

from django.core.management.commands import migrate
from django.db import DEFAULT_DB_ALIAS, connections

from writing_guide.sqlite_files import creatable


class Command(migrate.Command):
    def execute(self, *args, **options):
        # execute, not handle: the system checks that run before handle connect too.
        settings_dict = connections[options.get("database", DEFAULT_DB_ALIAS)].settings_dict
        name = settings_dict["NAME"]
        settings_dict["NAME"] = creatable(name)
        try:
            return super().execute(*args, **options)
        finally:
            # The connection open now stays on the file it created; a new one opens it as existing.
            settings_dict["NAME"] = name
