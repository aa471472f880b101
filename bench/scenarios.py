"""The benchmark's scenarios: one request each, described once for the load run and the query count."""

from dataclasses import dataclass, field


@dataclass
class Scenario:
    key: str
    title: str
    path: str
    method: str = "GET"
    who: str = "anonymous"  # anonymous, students (rotating through the class), instructor
    body: str | None = None
    htmx: bool = False
    # Per concurrency level, exactly this many are sent; fewer than the connections caps the concurrency.
    requests: int = 2000
    ratio_to: str = "ceiling"
    expect: str = ""  # a string the response must contain
    headers: dict = field(default_factory=dict)


def scenarios(state, static_path):
    course = state["course"]
    exercise = state["exercise"]
    return [
        Scenario("ceiling", "ceiling: static file (whitenoise)", static_path, requests=6000, ratio_to=""),
        Scenario("baseline", "baseline: 1 SELECT + 1 INSERT", "/bench/baseline/", "POST", requests=3000),
        Scenario("lesson", "lesson page", f"/lessons/{state['lesson']}/", requests=1000, expect="</html>"),
        Scenario("paper", "paper page", f"/papers/{state['paper']}/", requests=1000, expect="</html>"),
        Scenario(
            "exercise",
            "exercise page (student)",
            f"/exercises/{exercise}/",
            who="students",
            requests=1000,
            expect="</html>",
        ),  # fmt: skip
        Scenario(
            "exercise_anon", "exercise page (anonymous)", f"/exercises/{exercise}/", requests=1000, expect="</html>"
        ),  # fmt: skip
        Scenario(
            "submit",
            "exercise submit (htmx)",
            f"/exercises/{exercise}/submit/",
            "POST",
            who="students",
            body=state["submit_body"],
            htmx=True,
            requests=800,
            ratio_to="baseline",
            expect="feedback",
        ),  # fmt: skip
        Scenario(
            "progress", "progress page (60 attempts)", "/progress/", who="students", requests=800, expect="</html>"
        ),  # fmt: skip
        Scenario(
            "dashboard", "instructor dashboard", f"/courses/{course}/", who="instructor", requests=24, expect="</html>"
        ),  # fmt: skip
        Scenario(
            "analytics",
            "exercise analytics",
            f"/courses/{course}/exercises/{exercise}/",
            who="instructor",
            requests=150,
            expect="</html>",
        ),  # fmt: skip
        Scenario(
            "csv_progress",
            "CSV export: progress",
            f"/courses/{course}/export/progress.csv",
            who="instructor",
            requests=32,
            expect="student,",
        ),  # fmt: skip
        Scenario(
            "csv_answers",
            "CSV export: answers",
            f"/courses/{course}/export/answers.csv",
            who="instructor",
            requests=4,
            expect="student,",
        ),  # fmt: skip
    ]
