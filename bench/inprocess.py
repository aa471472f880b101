"""One scenario's requests sent to the WSGI application in this process: no server, no network.

    python -m bench.inprocess SCENARIO [--db sqlite|postgres] [--build] [--count N] [--miss]
                              [--profile [cprofile]]

Reads the database and bench/work/state.json that `make bench` left (--build, or no state yet: builds
them) and sends the scenario's own request (its identity's cookies, its body) N times, the students in
turn, and prints the median, the 10th and the 90th percentile. `--miss` empties the readers' kept
pages before each request (outside the timing), so each page is made afresh from its kept parts, as
after a submit (which changes the parts of the exercise submitted only). `--profile` runs the same
requests under pyinstrument (or cProfile, sorted by SORT=tottime|cumulative, TOP lines) and prints
where the time went. A submit writes an attempt each time: profile it on a database you will build
again.
"""

import argparse
import io
import os
import statistics
import sys
import time

from bench.run import WORK, build, server_env
from testing import servers

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("scenario")
parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
parser.add_argument("--count", type=int, default=400)
parser.add_argument("--miss", action="store_true")
parser.add_argument("--profile", nargs="?", const="pyinstrument", choices=["pyinstrument", "cprofile"])
parser.add_argument("--build", action="store_true", help="build the bench database afresh first")


def setup(db, fresh):
    if fresh or not (WORK / "state.json").exists():
        env = server_env(db)
        servers.manage(env, "collectstatic", "--no-input", "--verbosity=0")
        build(env, db)
    for name, value in server_env(db).items():
        os.environ[name] = value
    os.environ["ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from bench.wsgi import application

    return application


def environ_for(scenario, ident, unique):
    """A WSGI environ as gunicorn builds it behind the TLS-terminating proxy."""
    path = scenario.path_for(ident)
    body = (scenario.body_for(unique) or "").encode()
    environ = {
        "REQUEST_METHOD": scenario.method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "443",
        "HTTP_HOST": "testserver",
        "HTTP_X_FORWARDED_PROTO": "https",
        "HTTP_ACCEPT_ENCODING": "gzip, br",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
        "CONTENT_LENGTH": str(len(body)),
    }
    if scenario.body is not None:
        environ["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
    if scenario.htmx:
        environ["HTTP_HX_REQUEST"] = "true"
    if ident:
        environ["HTTP_COOKIE"] = f"sessionid={ident['session']}; csrftoken={ident['csrf']}"
        if scenario.method == "POST":
            environ["HTTP_X_CSRFTOKEN"] = ident["csrf"]
            environ["HTTP_ORIGIN"] = "https://testserver"
    return environ


def call(application, environ):
    status = []
    chunks = application(environ, lambda s, headers, exc_info=None: status.append(s))
    body = b"".join(chunks)
    if hasattr(chunks, "close"):
        chunks.close()
    return status[0], body


def forget_readers():
    from django.core.cache import caches

    caches["reader_pages"].clear()


def main():
    args = parser.parse_args()
    application = setup(args.db, args.build)
    import json

    from bench.scenarios import scenarios

    state = json.loads((WORK / "state.json").read_text())
    if state["vendor"] != ("postgresql" if args.db == "postgres" else "sqlite"):
        raise SystemExit(f"bench/work/state.json is from the other database: run with --db {args.db} --build")
    by_key = {s.key: s for s in scenarios(state, "/static/bench/ceiling.txt")}
    scenario = by_key[args.scenario]
    people = state["people"].get(scenario.who, [None]) if scenario.who != "anonymous" else [None]

    def one(i):
        environ = environ_for(scenario, people[i % len(people)], f"u{i}-{time.monotonic_ns()}")
        if args.miss:
            forget_readers()
        began = time.perf_counter()
        status, body = call(application, environ)
        took = time.perf_counter() - began
        assert status.startswith("200"), (status, body[:300])
        return took

    # Warm, as a server that has run a while is: imports, compiled SQL, kept content, each identity once.
    for i in range(max(50, len(people))):
        one(i)
    if args.profile == "pyinstrument":
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0001)
        with profiler:
            times = [one(i) for i in range(args.count)]
        print(profiler.output_text(unicode=True, color=False, show_all=False))
    elif args.profile == "cprofile":
        import cProfile
        import pstats

        profile = cProfile.Profile()
        profile.enable()
        times = [one(i) for i in range(args.count)]
        profile.disable()
        pstats.Stats(profile).sort_stats(os.environ.get("SORT", "tottime")).print_stats(int(os.environ.get("TOP", 40)))
    else:
        times = [one(i) for i in range(args.count)]
    times.sort()
    p10, p90 = times[len(times) // 10] * 1000, times[len(times) * 9 // 10] * 1000
    print(
        f"{scenario.key}{' (made afresh)' if args.miss else ''}: median {statistics.median(times) * 1000:.3f} ms, "
        f"p10 {p10:.3f}, p90 {p90:.3f} ({len(times)} requests)"
    )


if __name__ == "__main__":
    main()
