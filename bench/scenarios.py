"""The benchmark's scenarios: one request each, described once for the load run and the query count."""

from dataclasses import dataclass
from urllib.parse import urlencode

# A body holding this token gets a string of its own in its place on every request (the load clients
# replace it), so each edited abstract differs from the draft's latest revision and is stored.
UNIQUE = "BENCHUNIQUE"


@dataclass
class Scenario:
    key: str
    title: str
    # "{draft}" in the path stands for the draft of the identity sending the request.
    path: str
    method: str = "GET"
    who: str = "anonymous"  # anonymous, students (rotating through the class), instructor
    body: str | None = None
    htmx: bool = False
    ratio_to: str = "ceiling"
    expect: str = ""  # a string the response must contain (checked before the load)
    # At most this many connections whatever the level: each of these requests takes seconds of CPU,
    # and 64 at once would take minutes per window. The report says when a scenario was capped.
    max_connections: int | None = None
    # The drafts' limit (10 checks a minute per learner) counts these requests, whichever scenario sends
    # them: their windows go round the class as one walk, each starting where the last one stopped.
    checks: bool = False
    # The server it is sent to: "main", or "plain", the same app with CLASS_ANSWERS=0 (no "how the
    # others answered"), so the submit is measured with and without it in the same round.
    server: str = "main"

    def path_for(self, ident):
        """The path, with "{draft}" and "{attempt}" the identity's own draft and attempt."""
        path = self.path
        for name in ("draft", "attempt"):
            if ident and f"{{{name}}}" in path:
                path = path.replace(f"{{{name}}}", str(ident[name]))
        return path

    def body_for(self, unique):
        return self.body.replace(UNIQUE, unique) if self.body is not None else None


def scenarios(state, static_path):
    course = state["course"]
    exercise = state["exercise"]
    abstract = state["draft_text"]
    return [
        Scenario("ceiling", "ceiling: 30 KB static file (whitenoise)", static_path, ratio_to=""),
        Scenario("baseline", "baseline: 1 SELECT + 1 INSERT", "/bench/baseline/", "POST"),
        Scenario("home", "home page", "/", expect="</html>"),
        Scenario("lesson", "lesson page", f"/lessons/{state['lesson']}/", expect="</html>"),
        Scenario(
            "lesson_largest",
            f"lesson page (largest: {state['lesson_largest']})",
            f"/lessons/{state['lesson_largest']}/",
            expect="</html>",
        ),  # fmt: skip
        Scenario("paper", "paper page", f"/papers/{state['paper']}/", expect="</html>"),
        Scenario(
            "paper_largest",
            f"paper page (largest: {state['paper_largest']})",
            f"/papers/{state['paper_largest']}/",
            expect="</html>",
        ),  # fmt: skip
        Scenario("exercise_list", "exercise list (student)", "/exercises/", who="students", expect="</html>"),
        Scenario("exercise", "exercise page (student)", f"/exercises/{exercise}/", who="students", expect="</html>"),
        Scenario("exercise_anon", "exercise page (anonymous)", f"/exercises/{exercise}/", expect="</html>"),
        Scenario(
            "draft_new",
            "draft check: a new abstract (htmx)",
            "/write/",
            "POST",
            who="students",
            body=urlencode({"title": "My abstract", "text": abstract}),
            htmx=True,
            expect='id="work"',
            checks=True,
        ),  # fmt: skip
        Scenario(
            "submit",
            "exercise submit (htmx)",
            f"/exercises/{exercise}/submit/",
            "POST",
            who="students",
            body=state["submit_body"],
            htmx=True,
            ratio_to="baseline",
            expect="feedback",
        ),  # fmt: skip
        Scenario(
            "submit_plain",
            "exercise submit (htmx), the others' answers off",
            f"/exercises/{exercise}/submit/",
            "POST",
            who="students",
            body=state["submit_body"],
            htmx=True,
            ratio_to="baseline",
            expect="feedback",
            server="plain",
        ),  # fmt: skip
        Scenario(
            "submit_course",
            "exercise submit for the course (htmx, the course's answers)",
            f"/exercises/{exercise}/submit/",
            "POST",
            who="students",
            body=state["submit_course_body"],
            htmx=True,
            ratio_to="baseline",
            expect="How Bench class labelled",
        ),  # fmt: skip
        Scenario(
            "submit_course_plain",
            "exercise submit for the course (htmx), the course's answers off",
            f"/exercises/{exercise}/submit/",
            "POST",
            who="students",
            body=state["submit_course_body"],
            htmx=True,
            ratio_to="baseline",
            expect="feedback",
            server="plain",
        ),  # fmt: skip
        Scenario(
            "feedback",
            "attempt page: feedback with the course's answers (student)",
            f"/exercises/{exercise}/attempts/{{attempt}}/",
            who="students",
            expect="How Bench class labelled",
        ),  # fmt: skip
        Scenario("progress", "progress page (60 attempts)", "/progress/", who="students", expect="</html>"),
        Scenario("dashboard", "instructor dashboard", f"/courses/{course}/", who="instructor", expect="</html>"),
        Scenario(
            "analytics",
            "exercise analytics",
            f"/courses/{course}/exercises/{exercise}/",
            who="instructor",
            expect="</html>",
        ),  # fmt: skip
        Scenario(
            "draft_revision",
            "draft check: a revision (htmx)",
            "/write/{draft}/check/",
            "POST",
            who="students",
            body=urlencode({"text": f"{abstract} We revised this abstract ({UNIQUE})."}),
            htmx=True,
            expect='id="work"',
            checks=True,
        ),  # fmt: skip
        Scenario(
            "csv_progress",
            "CSV export: progress",
            f"/courses/{course}/export/progress.csv",
            who="instructor",
            expect="student,",
            max_connections=32,
        ),  # fmt: skip
        Scenario(
            "csv_answers",
            "CSV export: answers",
            f"/courses/{course}/export/answers.csv",
            who="instructor",
            expect="student,",
            max_connections=4,
        ),  # fmt: skip
    ]
