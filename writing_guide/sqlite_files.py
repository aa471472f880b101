"""SQLite database files are opened, never created, except by `migrate`.

SQLite creates a missing file by default. Here a missing file means a volume that is not mounted
or a file moved away: serving a new, empty database would answer every page with a 500 and keep
the empty file's handle after the real one is back. Opened with `mode=rw`, a missing file is an
error ("unable to open database file") that the outage middleware answers with 503 until the file
returns, and the next connection opens the real file without a restart.
"""

from urllib.parse import quote

OPEN_EXISTING = "?mode=rw"
MAY_CREATE = "?mode=rwc"


def existing_file_uri(path):
    """The SQLite URI filename (Django's backend connects with uri=True) that opens `path` only if it exists."""
    return f"file:{quote(str(path))}{OPEN_EXISTING}"


def creatable(name):
    """A DATABASES NAME that creates its file when missing: the one `migrate` connects with."""
    return name.removesuffix(OPEN_EXISTING) + MAY_CREATE if name.endswith(OPEN_EXISTING) else name
