"""The README's promise tables (hostile input, faults), written from the last test runs' results.

`docs/results/tables.toml` says which tests prove each row; every test session records how its tests
ended in `.results/<table>.json` (git-ignored; see `ResultsRecorder`, which the root conftest plugs
in); `python -m writing_guide.results_tables` copies the last runs' results into the committed
`docs/results/<table>.json` and renders those into the README between its markers. A test compares
the README with the committed results, so the tables cannot drift from what the runs recorded, and
a run never changes what the next run of the same `make test` compares.
"""

import json
import re
import tomllib
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "docs" / "results"
LAST_RUN = ROOT / ".results"
README = ROOT / "README.md"
TABLES = ("hostile", "faults")


def definitions():
    with open(RESULTS / "tables.toml", "rb") as file:
        return tomllib.load(file)


class ResultsRecorder:
    """A pytest plugin: records how the tables' tests ended, test by test, in docs/results/<table>.json.

    A row may gather tests from several runs (`make test` and `make stress`), so each run updates
    the tests it ran and keeps the others' last results; a test a run's files no longer hold is
    dropped, unless the run was narrowed with -k.
    """

    def __init__(self):
        self.rows = definitions()
        self.ran = {}  # node id: (passed, properties)
        self.collected = set()
        self.narrowed = False

    def _tables_of(self, nodeid):
        return {
            table
            for table in TABLES
            for row in self.rows.get(table, [])
            if any(nodeid.startswith(prefix) for prefix in row["tests"])
        }

    def pytest_collection_finish(self, session):
        self.collected |= {item.nodeid for item in session.items}
        self.narrowed = bool(session.config.option.keyword)

    # Under pytest-xdist the workers collect and this controller hears of it here (and gets every
    # test's report), so only the controller records; the workers do not load this plugin.
    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node, ids):
        self.collected |= set(ids)

    def pytest_runtest_logreport(self, report):
        if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
            if self._tables_of(report.nodeid):
                self.ran[report.nodeid] = (report.outcome == "passed", dict(report.user_properties))

    def pytest_sessionfinish(self, session, exitstatus):
        if not self.ran:
            return
        files = {nodeid.split("::")[0] for nodeid in self.collected}
        LAST_RUN.mkdir(exist_ok=True)
        for table in TABLES:
            path = LAST_RUN / f"{table}.json"
            if not path.exists() and (RESULTS / f"{table}.json").exists():
                path.write_text((RESULTS / f"{table}.json").read_text())  # start from what was committed
            stored = json.loads(path.read_text()) if path.exists() else {}
            if not self.narrowed:
                stored = {
                    nodeid: result
                    for nodeid, result in stored.items()
                    if nodeid.split("::")[0] not in files or nodeid in self.collected
                }
            for nodeid, (passed, properties) in self.ran.items():
                if table in self._tables_of(nodeid):
                    stored[nodeid] = {"passed": passed, "properties": properties}
            path.write_text(json.dumps(stored, indent=1, sort_keys=True, ensure_ascii=False) + "\n")


def _rows(table):
    """{tried: {answered: {"tried": n, "failed": n}}} from the recorded results of `table`."""
    path = RESULTS / f"{table}.json"
    stored = json.loads(path.read_text()) if path.exists() else {}
    rows = {}
    for row in definitions().get(table, []):
        answers = defaultdict(lambda: {"tried": 0, "failed": 0})
        for nodeid, result in sorted(stored.items()):
            if any(nodeid.startswith(prefix) for prefix in row["tests"]):
                properties = result["properties"]
                answer = row["answered"].format(**properties) if "{" in row["answered"] else row["answered"]
                answers[answer]["tried"] += int(properties.get(row["each"], 1)) if row.get("each") else 1
                answers[answer]["failed"] += 0 if result["passed"] else 1
        rows[row["tried"]] = dict(answers)
    return rows


def render(table):
    """The Markdown table for `table` from its last recorded results."""
    stored = _rows(table)
    lines = ["| what was tried | how many | what the app answered | held |", "|---|---:|---|---|"]
    for row in definitions().get(table, []):
        answers = stored.get(row["tried"])
        if not answers:
            lines.append(f"| {row['tried']} | – | not run yet | – |")
            continue
        for number, (answer, counts) in enumerate(sorted(answers.items())):
            held = "yes" if not counts["failed"] else f"**no: {counts['failed']} failed**"
            tried = row["tried"] if number == 0 else "″"
            lines.append(f"| {tried} | {counts['tried']:,} | {answer} | {held} |")
    return "\n".join(lines)


def _block(table):
    return re.compile(rf"(<!-- results:{table} -->\n)(.*?)\n?(<!-- /results:{table} -->)", re.DOTALL)


def readme_block(table, text=None):
    """The table as the README holds it now."""
    match = _block(table).search(README.read_text() if text is None else text)
    return match.group(2) if match else None


def main():
    for table in TABLES:
        last = LAST_RUN / f"{table}.json"
        if last.exists():
            (RESULTS / f"{table}.json").write_text(last.read_text())
    text = README.read_text()
    for table in TABLES:
        text, count = _block(table).subn(lambda m, table=table: f"{m.group(1)}{render(table)}\n{m.group(3)}", text)
        if not count:
            raise SystemExit(f"README.md has no <!-- results:{table} --> ... <!-- /results:{table} --> block")
    README.write_text(text)
    print("docs/results/ and README.md: results tables rewritten from the last runs (.results/)")


if __name__ == "__main__":
    main()
