"""The one line `make test` and `make test-fast` end with: what ran, how it ended, how long it took.

    python -m testing.summary STARTED_FILE JUNIT_XML...

STARTED_FILE holds the run's start (seconds since the epoch, written by the Makefile); each JUnit
file is one pytest pass (`--junitxml`), named `<part>.xml`. Exits non-zero when a pass failed, so
a summary never reads as green after a red pass.
"""

import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path


def duration(seconds):
    minutes, seconds = divmod(round(seconds), 60)
    return f"{minutes} min {seconds} s" if minutes else f"{seconds} s"


def part(path):
    """'sqlite: 1,896 passed, 2 skipped in 4 min 51 s' from one pass's JUnit file."""
    suite = ET.parse(path).getroot()  # noqa: S314 (our own pytest run wrote it)
    suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
    tests, skipped = int(suite.get("tests", 0)), int(suite.get("skipped", 0))
    failed = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
    counts = [f"{tests - skipped - failed:,} passed"]
    counts += [f"{failed:,} FAILED"] if failed else []
    counts += [f"{skipped:,} skipped"] if skipped else []
    return failed, f"{Path(path).stem}: {', '.join(counts)} in {duration(float(suite.get('time', 0)))}"


def main(started, *junit_files):
    parts = [part(path) for path in junit_files if Path(path).exists()]
    failed = sum(count for count, _ in parts)
    elapsed = duration(time.time() - float(Path(started).read_text()))
    verdict = "FAILED" if failed else "all passed"
    print(f"== {verdict} in {elapsed} (lint clean; {'; '.join(text for _, text in parts)}) ==")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
