"""Queries per request, counted in-process with the test Client against the bench database.

Run as `python -m bench.queries OUT.json` with the same environment as the server. Growing pages
(progress, dashboard, analytics, exports) are also counted on a small class, to show whether
their count is constant. Every page is counted on its second request, after a first one with the same
identity: what a page read again costs, with nothing written between (so a kept page or kept class
results count as kept).

Counted as the test suite counts them (exercises/tests/test_exercise_views.py): every statement
sent except the transaction's own, BEGIN, COMMIT, ROLLBACK and savepoints. A test runs inside its
own transaction, where the view's atomic block becomes a savepoint; here it is the outermost
transaction, and Django logs its BEGIN and COMMIT. Leaving all of them out, the two agree.
"""

import json
import os
import sys
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "writing_guide.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.scenarios import scenarios  # noqa: E402

settings.ROOT_URLCONF = "bench.urls"
WORK = Path(__file__).resolve().parent / "work"


def client_for(ident):
    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    if ident:
        client.cookies["sessionid"] = ident["session"]
        client.cookies["csrftoken"] = ident["csrf"]
    return client


TRANSACTION_STATEMENTS = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


def counted(sql):
    """Whether the test suite would count this statement: not a transaction's own."""
    words = sql.split(None, 1)
    return bool(words) and words[0].upper() not in TRANSACTION_STATEMENTS


def count(client, scenario, ident, path=None, unique="queries"):
    """(status, queries, their SQL) for one request; streamed bodies are read inside the count."""
    headers = {"HX-Request": "true"} if scenario.htmx else {}
    kwargs = {"headers": headers}
    if scenario.method == "POST":
        kwargs.update(data=scenario.body_for(unique) or "", content_type="application/x-www-form-urlencoded")
    request = client.post if scenario.method == "POST" else client.get
    with CaptureQueriesContext(connection) as captured:
        response = request(path or scenario.path_for(ident), **kwargs)
        if response.streaming:
            b"".join(response.streaming_content)
    statements = [q["sql"] for q in captured.captured_queries if counted(q["sql"])]
    return response.status_code, len(statements), [sql[:160] for sql in statements]


def main(out):
    state = json.loads((WORK / "state.json").read_text())
    people = state["people"]
    results = {}
    for scenario in scenarios(state, "/static/bench/ceiling.txt"):
        if scenario.key == "ceiling":
            continue
        ident = {"anonymous": None, "students": people["students"][1], "instructor": people["instructor"][0]}[
            scenario.who
        ]
        client = client_for(ident)
        try:
            # warm: first-request work (e.g. URL resolver) is not per request
            with override_settings(CLASS_ANSWERS=scenario.server != "plain"):
                count(client, scenario, ident, unique="queries-warm")
                status, n, sql = count(client, scenario, ident)
        except Exception as error:  # the app is edited while we measure: report, don't stop
            results[scenario.key] = {"status": f"{type(error).__name__}: {error}"[:200], "queries": None, "sql": []}
            continue
        results[scenario.key] = {"status": status, "queries": n, "sql": sql}
    small = {
        "progress": (people["small_student"][0], "/progress/"),
        "dashboard": (people["small_instructor"][0], f"/courses/{state['small_course']}/"),
        "analytics": (
            people["small_instructor"][0],
            f"/courses/{state['small_course']}/exercises/{state['exercise']}/",
        ),
        "csv_progress": (people["small_instructor"][0], f"/courses/{state['small_course']}/export/progress.csv"),
        "csv_answers": (people["small_instructor"][0], f"/courses/{state['small_course']}/export/answers.csv"),
    }
    by_key = {s.key: s for s in scenarios(state, "/static/bench/ceiling.txt")}
    for key, (ident, path) in small.items():
        try:
            # Warmed as above, so both counts are of a page read again with nothing written between
            # (kept results and kept pages: courses.analytics, lessons.pages).
            count(client_for(ident), by_key[key], ident, path, unique="queries-warm")
            status, n, _ = count(client_for(ident), by_key[key], ident, path)
        except Exception as error:
            status, n = f"{type(error).__name__}: {error}"[:200], None
        results[key]["small_status"] = status
        results[key]["small_queries"] = n
    Path(out).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main(sys.argv[1])
