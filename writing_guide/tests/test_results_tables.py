"""The README's hostile-input and fault tables are what the last runs recorded, not prose."""

import pytest

from writing_guide import results_tables


@pytest.mark.parametrize("table", results_tables.TABLES)
def test_the_readme_table_is_the_one_the_script_writes_from_the_last_runs(table):
    assert results_tables.readme_block(table) == results_tables.render(table), (
        "Run `python -m writing_guide.results_tables` after `make test` and `make stress`, and commit README.md"
    )


def test_every_row_names_tests_that_exist():
    # A row whose tests moved or were renamed would show "not run yet" or keep stale results.
    rows = [row for table in results_tables.TABLES for row in results_tables.definitions()[table]]
    assert all(row["tests"] and row["tried"] and row["answered"] for row in rows)
    for prefix in (prefix for row in rows for prefix in row["tests"]):
        path, _, name = prefix.partition("::")
        name = name.partition("[")[0]
        file = results_tables.ROOT / path
        assert file.is_file(), f"{prefix}: no file {path}"
        assert f"def {name}" in file.read_text() if name else True, f"{prefix}: no test of that name in {path}"


def test_a_failed_test_shows_in_its_row(tmp_path, monkeypatch):
    monkeypatch.setattr(results_tables, "RESULTS", tmp_path)
    monkeypatch.setattr(results_tables, "LAST_RUN", tmp_path)
    (tmp_path / "tables.toml").write_text(
        '[[hostile]]\ntried = "Odd posts"\ntests = ["x.py::test_odd"]\nanswered = "{status} and nothing written"\n'
    )
    recorder = results_tables.ResultsRecorder()

    class Report:
        def __init__(self, case, outcome, status):
            self.nodeid, self.when, self.outcome = f"x.py::test_odd[{case}]", "call", outcome
            self.user_properties = [("status", status)]

    for case, outcome, status in [
        ("a", "passed", 400),
        ("b", "passed", 400),
        ("c", "failed", 400),
        ("d", "passed", 413),
    ]:
        recorder.pytest_runtest_logreport(Report(case, outcome, status))
    recorder.pytest_sessionfinish(None, 0)
    table = results_tables.render("hostile")
    assert "| Odd posts | 3 | 400 and nothing written | **no: 1 failed** |" in table
    assert "| ″ | 1 | 413 and nothing written | yes |" in table


def test_a_run_keeps_the_last_results_of_tests_it_did_not_run(tmp_path, monkeypatch):
    monkeypatch.setattr(results_tables, "RESULTS", tmp_path)
    monkeypatch.setattr(results_tables, "LAST_RUN", tmp_path)
    (tmp_path / "tables.toml").write_text(
        '[[faults]]\ntried = "A lock"\ntests = ["unit.py::test_lock", "stress.py::test_lock"]\nanswered = "503"\n'
    )
    (tmp_path / "faults.json").write_text('{"stress.py::test_lock": {"passed": true, "properties": {}}}')
    recorder = results_tables.ResultsRecorder()
    recorder.collected = {"unit.py::test_lock"}

    class Report:
        nodeid, when, outcome, user_properties = "unit.py::test_lock", "call", "passed", []

    recorder.pytest_runtest_logreport(Report())
    recorder.pytest_sessionfinish(None, 0)
    assert "| A lock | 2 | 503 | yes |" in results_tables.render("faults")
