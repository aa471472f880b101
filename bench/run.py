"""`make bench`: build the class-scale database, serve it under gunicorn, load it in rounds, report.

    python -m bench.run [--db sqlite|postgres] [--reuse] [--quick] [--load auto|wrk|python]
                        [--rounds N] [--window SECONDS]

Every scenario is loaded once per round, the ceiling and the baseline included, so a page's ratio
is taken against the ceiling measured minutes (not a quarter of an hour) apart from it; the report
gives each scenario's median over the rounds and the spread (min-max). The load comes from wrk when
it is installed and from bench/pyload.py otherwise (BENCH_LOAD or --load picks one); the report
names the client, since the ceiling each reaches differs.

Everything it writes lives in bench/work/ (git-ignored) except the report: bench/results.md and
bench/results.json, which keep the last result of each database side by side.
"""

import argparse
import gzip
import http.client
import json
import math
import os
import random
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import time
import zlib
from pathlib import Path

from bench.pyload import finish, run_python
from bench.scenarios import UNIQUE, scenarios
from testing import servers

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
WORK = BENCH / "work"
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/wg_bench")
CONNECTIONS = (16, 64)
WRK_THREADS = 2
# Each scenario, each level, each round: a window of this many seconds in which the client sends
# requests back to back; the requests in flight when it closes are waited for and counted.
ROUNDS = 3
WINDOW_SECONDS = 4.0
QUICK_WINDOW_SECONDS = 0.75
# How long the last requests of a window may take once it has closed before the client is stopped.
TAIL_CAP_SECONDS = 120
# One request at a time after each round: the dashboard and the analytics this many times each.
SERIAL_REQUESTS, QUICK_SERIAL_REQUESTS = 20, 6
# The static file that is the ceiling (static/bench/ceiling.txt: 30 KB of text, served like any other).
CEILING_FILE = "bench/ceiling.txt"
# Production's worker class (README, "Running on several machines"), so the numbers are the ones it gets.
WORKER_CLASS = "gevent"
HASHED = re.compile(r"\.[0-9a-f]{12}\.[A-Za-z0-9]+$")
YEAR = 365 * 24 * 3600
FIRST_LOAD_BYTES, FIRST_LOAD_REQUESTS = 60 * 1024, 6
# Pages whose target is a share of the ceiling and a p99 at 16 connections.
PAGE_TARGETS = ("home", "lesson", "lesson_largest", "paper", "paper_largest", "exercise_list", "exercise")
PAGE_TARGETS += ("exercise_anon", "progress")


# --- the server ------------------------------------------------------------------------------


def server_env(db):
    url = POSTGRES_URL if db == "postgres" else f"sqlite:///{WORK / 'bench.sqlite3'}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "writing_guide.settings",
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": secret_key(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "1",
        "REDIS_URL": "",
        "LOG_LEVEL": "WARNING",
        "FIXTURES_DIR": str(WORK / "fixtures"),
        "PYTHONPATH": str(ROOT),
    }
    return env


def secret_key():
    """A real random key, kept in bench/work/ so sessions built into the database stay valid with --reuse."""
    path = WORK / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


def build(env, db):
    if db == "postgres":
        try:
            servers.recreate_postgres_database(env["DATABASE_URL"])
        except ValueError as error:
            raise SystemExit(f"BENCH_POSTGRES_URL: {error}") from None
    else:
        for path in WORK.glob("bench.sqlite3*"):
            path.unlink()
    servers.python(env, "-m", "bench.build")


def gunicorn(env, log):
    """bench/wsgi.py under 2 workers of production's class, 120 s worker timeout; a fresh log. Not started yet.

    The load client stands where the balancer would, and like a balancer that reuses its connections
    (README, "Slow clients") it gets a --keep-alive longer than it ever leaves one idle: while a window's
    last slow answers come in, its other connections wait, and a server closing them would show up as
    read errors that are nobody's.
    """
    log.unlink(missing_ok=True)
    return servers.Gunicorn(
        env,
        log,
        app="bench.wsgi:application",
        workers=2,
        worker_class=WORKER_CLASS,
        timeout=120,
        keep_alive=TAIL_CAP_SECONDS + 30,
        log_level="warning",
    )


# --- single requests -------------------------------------------------------------------------


def fetch(port, path, method="GET", headers=None, body=None):
    """(status, headers, raw body) of one request, sent as the TLS-terminating proxy would."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    all_headers = {"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip, br", **(headers or {})}
    conn.request(method, path, body=body, headers=all_headers)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, data


def identity_headers(ident, port, post=False):
    if not ident:
        return {}
    headers = {"Cookie": f"sessionid={ident['session']}; csrftoken={ident['csrf']}"}
    if post:
        headers.update({"X-CSRFToken": ident["csrf"], "Origin": f"https://127.0.0.1:{port}"})
    return headers


def scenario_request(port, scenario, ident, unique):
    headers = identity_headers(ident, port, post=scenario.method == "POST")
    if scenario.htmx:
        headers["HX-Request"] = "true"
    if scenario.body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    return fetch(port, scenario.path_for(ident), scenario.method, headers, scenario.body_for(unique))


def body_text(headers, data):
    encoding = headers.get("content-encoding")
    if encoding == "gzip":
        data = gzip.decompress(data)
    elif encoding == "br":
        import brotli  # whitenoise only serves .br files when brotli is installed

        data = brotli.decompress(data)
    return data.decode("utf-8", "replace")


# --- first load of every page ----------------------------------------------------------------

ASSET = re.compile(r"""<(?:link|script|img)\b[^>]*?\b(?:href|src)="([^"]+)"[^>]*>""", re.I)
CSS_URL = re.compile(r"""url\(\s*['"]?(/static/[^'")\s]+)""")


def first_load_pages(state):
    """Every kind of page, each as the person who sees it; the largest lesson and paper beside a typical one."""
    people = state["people"]
    student, instructor = people["students"][0], people["instructor"][0]
    course, exercise = state["course"], state["exercise"]
    return [
        ("home", "/", None),
        ("lesson list", "/lessons/", None),
        ("lesson", f"/lessons/{state['lesson']}/", None),
        (f"lesson (largest: {state['lesson_largest']})", f"/lessons/{state['lesson_largest']}/", None),
        ("paper list", "/papers/", None),
        ("paper", f"/papers/{state['paper']}/", None),
        (f"paper (largest: {state['paper_largest']})", f"/papers/{state['paper_largest']}/", None),
        ("compare", "/papers/compare/", None),
        ("exercise list", "/exercises/", student),
        ("exercise", f"/exercises/{exercise}/", student),
        ("attempt feedback", f"/exercises/{exercise}/attempts/{state['attempt']}/", student),
        ("progress", "/progress/", student),
        ("write (drafts list)", "/write/", student),
        ("draft", f"/write/{student['draft']}/", student),
        ("log in", "/accounts/login/", None),
        ("sign up", "/accounts/signup/", None),
        ("account", "/accounts/", student),
        ("courses", "/courses/", instructor),
        (f"dashboard ({state['students']} students)", f"/courses/{course}/", instructor),
        ("assignments", f"/courses/{course}/assignments/", instructor),
        ("analytics", f"/courses/{course}/exercises/{exercise}/", instructor),
        ("student in a course", f"/courses/{course}/students/{student['user_id']}/", instructor),
    ]


def first_load(port, state, ceiling_path):
    """Bytes and requests of each page's first load (HTML + CSS + JS + favicon + what the CSS pulls in).

    Sent with Accept-Encoding: gzip, br, so bytes are what travels: compressed when the server
    compresses, raw otherwise. A page is met when it answers 200 in at most 60 KB and 6 requests.
    """
    assets_seen, rows = {}, []

    def asset(url):
        if url not in assets_seen:
            status, headers, data = fetch(port, url)
            cache_control = headers.get("cache-control", "")
            text = body_text(headers, data) if url.endswith(".css") and status == 200 else ""
            assets_seen[url] = {
                "status": status,
                "bytes": len(data),
                "encoding": headers.get("content-encoding", ""),
                "cache_control": cache_control,
                "hashed": bool(HASHED.search(url)),
                "far_future": _max_age(cache_control) >= YEAR,
                "css_urls": CSS_URL.findall(text),
                "fonts": "@font-face" in text,
            }
        return assets_seen[url]

    for name, path, ident in first_load_pages(state):
        status, headers, data = fetch(port, path, headers=identity_headers(ident, port))
        html = body_text(headers, data)
        urls = [url for url in ASSET.findall(html) if url.startswith("/static/")]
        if '<link rel="icon"' not in html and "rel='icon'" not in html:
            urls.append("/favicon.ico")
        total, requests, js = len(data), 1, []
        pending = list(dict.fromkeys(urls))
        fetched = set()
        while pending:
            url = pending.pop(0)
            if url in fetched:
                continue
            fetched.add(url)
            info = asset(url)
            total += info["bytes"]
            requests += 1
            pending += info["css_urls"]
            if url.endswith(".js"):
                js.append(url.rsplit("/", 1)[1])
        rows.append(
            {
                "page": name,
                "path": path,
                "status": status,
                "html_bytes": len(data),
                "html_encoding": headers.get("content-encoding", "identity"),
                "html_raw_bytes": len(html.encode()),
                "total_bytes": total,
                "requests": requests,
                "scripts": js,
                "ok": status == 200 and total <= FIRST_LOAD_BYTES and requests <= FIRST_LOAD_REQUESTS,
            }
        )
    ceiling = dict(asset(ceiling_path), ceiling=True)
    assets_seen[ceiling_path] = ceiling
    fonts = any(a["fonts"] for a in assets_seen.values())
    for info in assets_seen.values():
        del info["css_urls"], info["fonts"]
    return {"pages": rows, "assets": assets_seen, "web_fonts": fonts}


def _max_age(cache_control):
    match = re.search(r"max-age=(\d+)", cache_control)
    return int(match.group(1)) if match else 0


# --- load ------------------------------------------------------------------------------------


def write_identities(state, all_scenarios):
    """A file per logged-in scenario: "cookie<TAB>csrf<TAB>path" per person (the path can be theirs)."""
    files = {}
    for scenario in all_scenarios:
        if scenario.who == "anonymous":
            continue
        people = state["people"][scenario.who]
        path = WORK / f"identities-{scenario.key}.tsv"
        path.write_text(
            "".join(
                f"sessionid={p['session']}; csrftoken={p['csrf']}\t{p['csrf']}\t{scenario.path_for(p)}\n"
                for p in people
            )
        )
        files[scenario.key] = str(path)
    return files


def run_wrk(port, scenario, connections, identities_file, seconds, tag, offset=0):
    """One window of wrk; each of its threads stops once the window has closed and its last answer is in."""
    threads = min(WRK_THREADS, connections)
    markers = WORK / "markers"
    shutil.rmtree(markers, ignore_errors=True)
    markers.mkdir()
    body_file = ""
    if scenario.body is not None:
        body_file = WORK / f"body-{scenario.key}.txt"
        body_file.write_text(scenario.body)
    env = {
        **os.environ,
        "BENCH_UNTIL": f"{time.time() + seconds:.3f}",
        "BENCH_METHOD": scenario.method,
        "BENCH_PATH": scenario.path,
        "BENCH_BODY": str(body_file),
        "BENCH_UNIQUE": UNIQUE,
        "BENCH_TAG": tag,
        "BENCH_IDENTITIES": identities_file,
        "BENCH_OFFSET": str(offset),
        "BENCH_THREADS": str(threads),
        "BENCH_HTMX": "1" if scenario.htmx else "0",
        "BENCH_ORIGIN": f"https://127.0.0.1:{port}",
        "BENCH_MARKERS": str(markers),
    }
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{math.ceil(seconds) + TAIL_CAP_SECONDS + 30}s",
        "--timeout=60s",
        "--latency",
        f"--script={BENCH / 'load.lua'}",
        f"http://127.0.0.1:{port}{scenario.path_for(None)}",
    ]
    wrk = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + seconds + TAIL_CAP_SECONDS
    # wrk's main thread sleeps for the whole -d: once every thread has written its marker, SIGINT wakes it.
    while wrk.poll() is None:
        if len(list(markers.iterdir())) >= threads or time.monotonic() > deadline:
            wrk.send_signal(signal.SIGINT)
            break
        time.sleep(0.02)
    output, _ = wrk.communicate(timeout=60)
    line = next((x for x in output.splitlines() if x.startswith("BENCHJSON ")), None)
    if line is None:
        raise SystemExit(f"wrk gave no result for {scenario.key}:\n{output}")
    result = json.loads(line.removeprefix("BENCHJSON "))
    # Thread t sent to offset + t, + t + threads, ...: the busiest thread went furthest round the class.
    result["went_round"] = threads * max(sent for sent, _ in result["threads"])
    return finish(result)


def drain(port):
    """Wait until both workers answer at once: nothing from the last window is still running."""
    for _ in range(600):
        began = time.perf_counter()
        fetch(port, "/healthz")
        fetch(port, "/healthz")
        if time.perf_counter() - began < 0.05:
            return
        time.sleep(0.1)


def wait_for_quiet(limit=1.5, patience=90):
    """The numbers are only comparable on an idle machine: wait a while for other work to finish."""
    waited = 0
    while os.getloadavg()[0] > limit and waited < patience:
        time.sleep(5)
        waited += 5
    load = os.getloadavg()[0]
    if load > limit:
        print(f"!! the machine is busy (load average {load:.1f} on {os.cpu_count()} CPUs): numbers will be noisy")
    return load


def log_slice(log, start):
    with open(log, encoding="utf-8", errors="replace") as file:
        file.seek(start)
        return file.read()


def load_client(choice):
    """wrk when asked or, by default, when installed; the Python client otherwise."""
    if choice == "auto":
        choice = "wrk" if shutil.which("wrk") else "python"
    if choice == "wrk" and not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install -y wrk, or use --load python")
    return choice


def client_label(client):
    """How the report's header names the load client."""
    if client == "wrk":
        return f"wrk ({WRK_THREADS} threads)"
    return "Python (bench/pyload.py, a thread per connection)"


def window(port, scenario, connections, identities, log, seconds, client, tag, quick=False, offset=None):
    """Load `scenario` for one window at `connections` (or its cap); the result with the log's part in it.

    The window's requests go round the class from `offset` (a random place if None); the result's
    `went_round` says how far. A quick run halves the caps of the scenarios that have one: their
    first requests alone outlast a window.
    """
    if scenario.max_connections:
        connections = min(connections, max(1, scenario.max_connections // (2 if quick else 1)))
    before = log.stat().st_size
    ident_file = identities.get(scenario.key, "")
    if offset is None:
        offset = random.randrange(1_000_000)  # noqa: S311 (where in the class this window starts)
    if client == "wrk":
        result = run_wrk(port, scenario, connections, ident_file, seconds, tag, offset)
    else:
        result = run_python(port, scenario, connections, ident_file, seconds, tag, offset)
    drain(port)
    text = log_slice(log, before)
    result["connections"] = connections
    result["locked"] = text.count("database is locked")
    result["server_errors_logged"] = text.count("Traceback")
    return result


def serial(port, path, ident, count):
    """`count` requests one at a time: latency in ms, and how many did not answer 200."""
    times, failed = [], 0
    for _ in range(count):
        began = time.perf_counter()
        status, _, _ = fetch(port, path, headers=identity_headers(ident, port))
        times.append((time.perf_counter() - began) * 1000)
        failed += status != 200
    times.sort()
    return {
        "requests": count,
        "failed": failed,
        "p50_ms": statistics.median(times),
        "p99_ms": times[min(len(times) - 1, math.ceil(len(times) * 0.99) - 1)],
        "max_ms": times[-1],
    }


def first_byte(port, path, ident):
    """One download, as a browser asks for it (gzip): ms to the response's first byte, to its first CSV byte
    (the first that decompresses to something: a gzip stream begins with its header before any row is read),
    and to the last."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip, br", **identity_headers(ident, port)}
    began = time.perf_counter()
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    first = time.perf_counter()
    gzipped = response.getheader("Content-Encoding") == "gzip"
    decoder = zlib.decompressobj(16 + zlib.MAX_WBITS) if gzipped else None
    first_data, size, raw = None, 0, 0
    while chunk := response.read1(65536):
        raw += len(chunk)
        data = decoder.decompress(chunk) if decoder else chunk
        size += len(data)
        if data and first_data is None:
            first_data = time.perf_counter()
    last = time.perf_counter()
    conn.close()
    return {
        "status": response.status,
        "encoding": "gzip" if gzipped else "identity",
        "first_byte_ms": (first - began) * 1000,
        "first_data_ms": ((first_data or last) - began) * 1000,
        "total_ms": (last - began) * 1000,
        "bytes": raw,
        "csv_bytes": size,
    }


def serial_round(port, state, quick):
    """After each round's windows: the dashboard and the analytics one at a time, and one answers CSV download."""
    instructor = state["people"]["instructor"][0]
    course, exercise = state["course"], state["exercise"]
    count = QUICK_SERIAL_REQUESTS if quick else SERIAL_REQUESTS
    return {
        "dashboard": serial(port, f"/courses/{course}/", instructor, count),
        "analytics": serial(port, f"/courses/{course}/exercises/{exercise}/", instructor, count),
        "csv_answers": first_byte(port, f"/courses/{course}/export/answers.csv", instructor),
    }


def run_rounds(servers_by_name, state, all_scenarios, identities, args, client, levels=CONNECTIONS, serial=True):
    """`args.rounds` rounds; in each, every scenario once at each level, then the one-at-a-time requests."""
    rounds = []
    # The checks' windows (new abstracts and revisions alike: the drafts' limit of 10 checks a minute
    # per learner counts both) go round the class as one walk, each window starting where the last
    # one stopped: nobody is sent a check again before the whole class has been, so in any minute a
    # learner gets at most that minute's checks over the class size, rounded up (random starts let
    # windows pile onto the same learners: 2 x 429 in one full run).
    checks_at = 0
    for number in range(1, args.rounds + 1):
        load = {}
        for connections in levels:
            rows = {}
            for scenario in all_scenarios:
                tag = f"r{number}c{connections}{time.time_ns() % 10**9}"
                offset = checks_at if scenario.checks else None
                port, log = servers_by_name[scenario.server]
                result = window(
                    port, scenario, connections, identities, log, args.window, client, tag, args.quick, offset
                )
                if scenario.checks:
                    checks_at += result["went_round"]
                result["ratio"] = 1.0
                if scenario.ratio_to:  # to this round's ceiling or baseline, loaded just before at this level
                    base = rows[scenario.ratio_to]["rps"]
                    result["ratio"] = result["rps"] / base if base else 0.0
                rows[scenario.key] = result
                print(
                    f"  round {number} c={result['connections']:<3} {scenario.title:<44} {result['rps']:8.1f} req/s"
                    f"  p50 {result['p50_us'] / 1000:7.1f} ms  p99 {result['p99_us'] / 1000:8.1f} ms"
                    f"  n {result['requests']:>6}  errors {result['non2xx'] + result['socket_errors']}"
                    f"  locked {result['locked']}" + ("" if result["complete"] else "  (answers missing)"),
                    flush=True,
                )
            load[str(connections)] = rows
        if not serial:
            rounds.append({"load": load})
            continue
        one_at_a_time = serial_round(servers_by_name["main"][0], state, args.quick)
        csv = one_at_a_time["csv_answers"]
        print(
            f"  round {number} one at a time: dashboard p50 {one_at_a_time['dashboard']['p50_ms']:.1f} ms, "
            f"analytics p50 {one_at_a_time['analytics']['p50_ms']:.1f} ms, answers CSV first byte "
            f"{csv['first_byte_ms']:.0f} ms, first row {csv['first_data_ms']:.0f} ms, whole {csv['total_ms']:.0f} ms",
            flush=True,
        )
        rounds.append({"load": load, "serial": one_at_a_time})
    return rounds


def spread(values):
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def aggregate(rounds, all_scenarios):
    """Per level and scenario: totals over the rounds, and the median and spread of each round's figures."""
    load = {}
    for connections in map(str, CONNECTIONS):
        rows = {}
        for scenario in all_scenarios:
            each = [r["load"][connections][scenario.key] for r in rounds]
            statuses = {}
            for result in each:
                for status, n in result["statuses"].items():
                    statuses[status] = statuses.get(status, 0) + n
            bad = {s: n for s, n in statuses.items() if not 200 <= int(s) <= 299}
            rows[scenario.key] = {
                "connections": each[0]["connections"],
                "requests": sum(r["requests"] for r in each),
                "sent": sum(r["sent"] for r in each),
                "statuses": statuses,
                "non2xx": sum(bad.values()),
                "bad_statuses": ",".join(f"{s}×{n}" for s, n in bad.items()),
                "socket_errors": sum(r["socket_errors"] for r in each),
                "locked": sum(r["locked"] for r in each),
                "server_errors_logged": sum(r["server_errors_logged"] for r in each),
                "complete": all(r["complete"] for r in each),
                "rps": spread([r["rps"] for r in each]),
                "p50_ms": spread([r["p50_us"] / 1000 for r in each]),
                "p99_ms": spread([r["p99_us"] / 1000 for r in each]),
                "ratio": spread([r["ratio"] for r in each]),
                "rounds": each,
            }
        load[connections] = rows
    serial_rows = {}
    for key in ("dashboard", "analytics"):
        each = [r["serial"][key] for r in rounds]
        serial_rows[key] = {
            "requests": sum(r["requests"] for r in each),
            "failed": sum(r["failed"] for r in each),
            "p50_ms": spread([r["p50_ms"] for r in each]),
            "p99_ms": spread([r["p99_ms"] for r in each]),
            "rounds": each,
        }
    each = [r["serial"]["csv_answers"] for r in rounds]
    serial_rows["csv_answers"] = {
        "failed": sum(r["status"] != 200 for r in each),
        "encoding": each[0]["encoding"],
        "first_byte_ms": spread([r["first_byte_ms"] for r in each]),
        "first_data_ms": spread([r["first_data_ms"] for r in each]),
        "total_ms": spread([r["total_ms"] for r in each]),
        "bytes": each[0]["bytes"],
        "csv_bytes": each[0]["csv_bytes"],
        "rounds": each,
    }
    return load, serial_rows


def check_scenarios(servers_by_name, state, all_scenarios):
    """A few requests per scenario before the load: each must answer 2xx with the expected content."""
    problems = []
    for scenario in all_scenarios:
        port = servers_by_name[scenario.server][0]
        for n in range(1 if scenario.key == "csv_answers" else 6):  # also warms both workers
            ident = _ident(state, scenario.who, n)
            status, headers, data = scenario_request(port, scenario, ident, f"check{n}t{time.time_ns()}")
            if not 200 <= status < 300 or scenario.expect not in body_text(headers, data):
                problems.append(f"{scenario.key}: {status} {body_text(headers, data)[:200]!r}")
                break
    return problems


def _ident(state, who, n=0):
    """The n-th person of `who` from the end of the list (the load starts at the other end)."""
    people = state["people"]
    if who == "anonymous":
        return None
    return people[who][-1 - n % len(people[who])]


# --- report ----------------------------------------------------------------------------------


def tagger_speed(rounds=50):
    """The move tagger on one core: every development abstract tagged `rounds` times, in this process."""
    from drafts.tagger import Tagger
    from drafts.tagger.data import development_set

    tagger = Tagger.load(ROOT / "fixtures" / "tagger")
    abstracts = [abstract.texts for abstract in development_set(ROOT / "fixtures")]
    timings = []
    for _ in range(rounds):
        for sentences in abstracts:
            start = time.perf_counter()
            tagger.tag(sentences)
            timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return {
        "abstracts": len(abstracts),
        "sentences": round(statistics.mean(len(texts) for texts in abstracts), 1),
        "mean_ms": round(statistics.mean(timings), 3),
        "p99_ms": round(timings[int(len(timings) * 0.99) - 1], 3),
    }


def _range(value, fmt):
    """A spread as median (min–max)."""
    return f"{fmt(value['median'])} ({fmt(value['min'])}–{fmt(value['max'])})"


def _pct(x):
    return f"{x:.0%}"


def _ms(x):
    return f"{x:.1f}"


def evaluate(run):
    load16, load64 = run["load"]["16"], run["load"]["64"]
    queries, serial_rows = run["queries"], run["serial"]
    titles = {s["key"]: s["title"] for s in run["scenarios"]}
    targets = []
    if "tagger" in run:
        tagger = run["tagger"]
        targets.append(
            (
                "move tagger < 5 ms per abstract on one core",
                f"mean {tagger['mean_ms']:.2f} ms, p99 {tagger['p99_ms']:.2f} ms "
                f"({tagger['abstracts']} abstracts of {tagger['sentences']} sentences on average)",
                tagger["mean_ms"] < 5,
            )
        )
    for key in PAGE_TARGETS:
        row = load16[key]
        targets.append(
            (
                f"{titles[key]} ≥30% of ceiling, p99 < 40 ms",
                f"{_range(row['ratio'], _pct)}, p99 {_range(row['p99_ms'], _ms)} ms",
                row["ratio"]["median"] >= 0.30 and row["p99_ms"]["median"] < 40,
            )
        )
    submit = load16["submit"]
    # As exercises/tests/test_exercise_views.py pins it: 6 (the last counts the others' first attempts),
    # and on PostgreSQL 1 more to lock the learner.
    submit_queries = 6 + (run["meta"]["vendor"] == "postgresql")
    targets.append(
        (
            f"submit ≥45% of baseline, ≤{submit_queries} queries"
            + (" (6 + the learner's lock)" if submit_queries == 7 else ""),
            f"{_range(submit['ratio'], _pct)}, {queries['submit']['queries']} queries",
            submit["ratio"]["median"] >= 0.45 and (queries["submit"]["queries"] or 99) <= submit_queries,
        )
    )
    # Issue 17: showing how the others answered may cost the submit at most 10% (the same answers to a
    # server with CLASS_ANSWERS=0, in the same rounds; "rps" medians over the rounds).
    # A course's submit against the same submit for the course with them off: recording the course
    # (its own rows) is not what showing the answers costs.
    for key, plain_key in (("submit", "submit_plain"), ("submit_course", "submit_course_plain")):
        plain = load16.get(plain_key)
        if plain and plain["rps"]["median"]:
            share = load16[key]["rps"]["median"] / plain["rps"]["median"]
            targets.append(
                (
                    f"{titles[key]}: ≥90% of the submit without the others' answers",
                    f"{share:.0%} ({load16[key]['rps']['median']:.0f} against {plain['rps']['median']:.0f} req/s)",
                    share >= 0.90,
                )
            )
    dashboard = serial_rows["dashboard"]
    constant = queries["dashboard"]["queries"] == queries["dashboard"]["small_queries"]
    targets.append(
        (
            "dashboard one at a time p50 < 100 ms, p99 < 250 ms, constant queries",
            f"p50 {_range(dashboard['p50_ms'], _ms)} ms, p99 {_range(dashboard['p99_ms'], _ms)} ms, "
            f"{queries['dashboard']['small_queries']} → {queries['dashboard']['queries']} queries",
            dashboard["p50_ms"]["median"] < 100 and dashboard["p99_ms"]["median"] < 250 and constant,
        )
    )
    students = run["meta"]["students"]
    for key in ("dashboard", "analytics"):
        row = serial_rows[key]
        targets.append(
            (
                f"{titles[key]} one at a time p50 < 50 ms ({students} students)",
                f"p50 {_range(row['p50_ms'], _ms)} ms",
                row["p50_ms"]["median"] < 50 and not row["failed"],
            )
        )
    for key in ("dashboard", "analytics"):
        row = load64[key]
        targets.append(
            (
                f"{titles[key]} at {row['connections']} connections p50 < 250 ms",
                f"p50 {_range(row['p50_ms'], _ms)} ms",
                row["p50_ms"]["median"] < 250,
            )
        )
    csv = serial_rows["csv_answers"]
    targets.append(
        (
            f"answers CSV ({run['meta']['answers']:,} answers) first byte < 200 ms",
            f"first row {_range(csv['first_data_ms'], _ms)} ms (headers {csv['first_byte_ms']['median']:.1f} ms, "
            f"whole {csv['total_ms']['median'] / 1000:.1f} s, {csv['encoding']})",
            csv["first_data_ms"]["median"] < 200 and not csv["failed"],
        )
    )
    errors = sum(r["non2xx"] + r["socket_errors"] for r in load64.values())
    locked = sum(r["locked"] for r in load64.values())
    counted = sum(r["requests"] for r in load64.values())
    complete = all(r["complete"] for r in load64.values())
    targets.append(
        (
            "zero errors, no 'database is locked' at 64 connections",
            f"{errors} errors, {locked} locked in {counted:,} responses"
            + ("" if complete else "; some requests went unanswered"),
            not (errors or locked) and complete,
        )
    )
    light = run["light"]
    heavy = [p["page"] for p in light["pages"] if not p["ok"]]
    assets_ok = all(a["hashed"] and a["far_future"] for a in light["assets"].values() if a["status"] == 200)
    targets.append(
        (
            "first load of every page ≤60 KB in ≤6 requests; hashed, far-future static",
            (f"all {len(light['pages'])} pages" if not heavy else "not met: " + ", ".join(heavy))
            + ("; static ok" if assets_ok else "; static NOT hashed/cached"),
            not heavy and assets_ok,
        )
    )
    return [{"target": t, "measured": m, "met": ok} for t, m, ok in targets]


def render_run(db, run):
    meta = run["meta"]
    if "rounds" not in meta:
        return [f"## {db}", "", f"Run {meta['when']} by an earlier harness (one pass, no rounds): run it again.", ""]
    windows = f"{meta['rounds']} rounds of {meta['window_seconds']:g} s windows"
    lines = [
        f"## {db}",
        "",
        f"Run {meta['when']} on {meta['cpus']} CPUs: gunicorn 2 {meta['worker_class']} workers, "
        f"DEBUG off, load client {meta['load_client']}; {windows}"
        + (" (QUICK: a smoke run)" if meta["quick"] else "")
        + f"; {meta['attempts']} attempts and {meta['answers']} answers by {meta['students']} students "
        f"on {meta['exercises']} exercises (built in {meta['build_seconds']} s; whole run {meta['run_seconds']} s). "
        f"Load average {meta['load_average_before']} before the load, {meta['load_average_after']} after.",
        "",
        "Each figure is the median over the rounds, with the lowest and highest round in brackets; a "
        "ratio is taken within each round (to that round's ceiling or baseline at the same level), then "
        "the median of those. Requests and errors are totals over the rounds: every response counted.",
        "",
    ]
    queries = run["queries"]
    for connections, rows in run["load"].items():
        lines += [
            f"### {connections} connections",
            "",
            "| scenario | requests | req/s | p50 ms | p99 ms | errors | locked | queries | ratio |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for scenario in run["scenarios"]:
            row = rows[scenario["key"]]
            q = queries.get(scenario["key"], {}).get("queries", "")
            if scenario["ratio_to"]:
                ratio = f"{_range(row['ratio'], _pct)} of {scenario['ratio_to']}"
            else:
                ratio = "1 (ceiling)"
            errors = row["non2xx"] + row["socket_errors"]
            if row["bad_statuses"]:
                errors = f"{errors} ({row['bad_statuses']})"
            if not row["complete"]:
                errors = f"{errors}, some unanswered"
            title = scenario["title"]
            if row["connections"] != int(connections):
                title += f" (at most {row['connections']} at once)"
            lines.append(
                f"| {title} | {row['requests']:,} | {_range(row['rps'], lambda x: f'{x:.0f}')} | "
                f"{_range(row['p50_ms'], _ms)} | {_range(row['p99_ms'], _ms)} | {errors} | {row['locked']} | {q} | "
                f"{ratio} |"
            )
        lines.append("")
    serial_rows = run["serial"]
    csv = serial_rows["csv_answers"]
    lines += ["### One request at a time (after each round)", "", "| page | requests | p50 ms | p99 ms |"]
    lines += ["|---|---:|---:|---:|"]
    for key in ("dashboard", "analytics"):
        row = serial_rows[key]
        failed = f" ({row['failed']} not 200)" if row["failed"] else ""
        lines.append(
            f"| {key} ({meta['students']} students) | {row['requests']}{failed} | {_range(row['p50_ms'], _ms)} | "
            f"{_range(row['p99_ms'], _ms)} |"
        )
    lines += [
        "",
        f"Answers CSV ({meta['answers']:,} answers, {csv['encoding']}, {csv['bytes']:,} bytes sent for "
        f"{csv['csv_bytes']:,} of CSV), one download per round: headers after {_range(csv['first_byte_ms'], _ms)} ms, "
        f"first row after {_range(csv['first_data_ms'], _ms)} ms, whole file after "
        f"{_range(csv['total_ms'], lambda x: f'{x / 1000:.1f}')} s.",
        "",
        "Queries per request, counted as the test suite counts them (BEGIN, COMMIT, ROLLBACK and savepoints "
        "left out); growing pages on the small class (3 students) and the big one: ",
        "",
        "| page | small class | 500 students |",
        "|---|---:|---:|",
    ]
    for key, row in queries.items():
        if "small_queries" in row:
            lines.append(f"| {key} | {row['small_queries']} | {row['queries']} |")
    lines += ["", "### Targets", "", "| target | measured | met |", "|---|---|---|"]
    for target in run["targets"]:
        lines.append(f"| {target['target']} | {target['measured']} | {'yes' if target['met'] else '**no**'} |")
    light = run["light"]
    lines += [
        "",
        "### First load of every page (HTML + CSS + JS + favicon, Accept-Encoding: gzip, br)",
        "",
        "Bytes as sent: compressed when the server compresses. Target: at most 60 KB in at most 6 requests.",
        "",
        "| page | status | HTML bytes sent | HTML uncompressed | total bytes | requests | JS | ≤60 KB, ≤6 |",
        "|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for page in light["pages"]:
        lines.append(
            f"| {page['page']} | {page['status']} | {page['html_bytes']:,} ({page['html_encoding']}) | "
            f"{page['html_raw_bytes']:,} | {page['total_bytes']:,} | {page['requests']} | "
            f"{', '.join(page['scripts']) or '-'} | {'met' if page['ok'] else '**not met**'} |"
        )
    lines += ["", "| static file | bytes | encoding | hashed | Cache-Control |", "|---|---:|---|---|---|"]
    for url, asset in light["assets"].items():
        name = f"{url} (the ceiling)" if asset.get("ceiling") else url
        lines.append(
            f"| {name} | {asset['bytes']:,} | {asset['encoding'] or '-'} | {'yes' if asset['hashed'] else 'no'} | "
            f"{asset['cache_control'] or '-'} |"
        )
    lines += ["", f"Web fonts: {'yes' if light['web_fonts'] else 'none'}.", ""]
    return lines


def write_report(db, run):
    path = BENCH / "results.json"
    report = json.loads(path.read_text()) if path.exists() else {}
    report[db] = run
    path.write_text(json.dumps(report, indent=1, sort_keys=True) + "\n")
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (SQLite) and `make bench DB=postgres`; see bench/README.md. "
        "Ratios are to the same round's ceiling (a 30 KB static file through whitenoise); the submit's is to "
        "the one-SELECT-one-INSERT baseline. Errors are non-2xx responses and socket errors; "
        "'locked' counts 'database is locked' in the gunicorn log.",
        "",
    ]
    for name in ("sqlite", "postgres"):
        if name in report:
            lines += render_run(name, report[name])
    text = "\n".join(lines)
    (BENCH / "results.md").write_text(text)
    return "\n".join(render_run(db, run))


def trial(servers_by_name, state, all_scenarios, args, client):
    """--only: the chosen scenarios' rounds at 16 connections, and their medians; nothing written."""
    identities = write_identities(state, all_scenarios)
    print(f"== Trial ({client_label(client)}; {args.rounds} rounds of {args.window:g} s windows, 16 connections)")
    wait_for_quiet(patience=15)
    rounds = run_rounds(servers_by_name, state, all_scenarios, identities, args, client, levels=(16,), serial=False)
    load = {}
    for scenario in all_scenarios:
        each = [r["load"]["16"][scenario.key] for r in rounds]
        load[scenario.key] = {k: statistics.median(r[k] for r in each) for k in ("rps", "ratio", "p50_us", "p99_us")}
        row = load[scenario.key]
        print(
            f"{scenario.title:<60} {row['rps']:8.1f} req/s  ratio {row['ratio']:6.1%}"
            f"  p50 {row['p50_us'] / 1000:6.1f} ms  p99 {row['p99_us'] / 1000:6.1f} ms"
        )


# --- main ------------------------------------------------------------------------------------


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--reuse", action="store_true", help="keep the database of the last build")
    parser.add_argument(
        "--quick", action="store_true", help=f"{QUICK_WINDOW_SECONDS:g} s windows (a smoke run, about 4 minutes)"
    )
    parser.add_argument(
        "--load",
        choices=["auto", "wrk", "python"],
        default=os.environ.get("BENCH_LOAD", "auto"),
        help="load client: wrk if installed, else Python (auto, the default; or set BENCH_LOAD)",
    )
    parser.add_argument("--rounds", type=int, default=ROUNDS, help=f"rounds (at least 3; default {ROUNDS})")
    parser.add_argument("--window", type=float, help=f"seconds per window (default {WINDOW_SECONDS:g})")
    parser.add_argument(
        "--only",
        help="a trial while working: these scenarios (comma-separated keys) with the ceiling and the baseline, "
        "16 connections, nothing else measured and no report written",
    )
    args = parser.parse_args()
    if args.rounds < 3:
        parser.error("--rounds: at least 3, for a median and a spread")
    if args.window is None:
        args.window = QUICK_WINDOW_SECONDS if args.quick else WINDOW_SECONDS
    return args


def main():
    args = parse_args()
    client = load_client(args.load)
    began = time.monotonic()
    WORK.mkdir(exist_ok=True)
    env = server_env(args.db)
    # Before the build, which renders the pages to find the largest lesson and paper.
    print("== collectstatic", flush=True)
    servers.manage(env, "collectstatic", "--no-input", "--verbosity=0")
    manifest = json.loads((ROOT / "staticfiles" / "staticfiles.json").read_text())
    if not (args.reuse and (WORK / "state.json").exists()):
        print(f"== Building the {args.db} database", flush=True)
        build(env, args.db)
    state = json.loads((WORK / "state.json").read_text())
    if state["vendor"] != ("postgresql" if args.db == "postgres" else "sqlite"):
        raise SystemExit("state.json is from the other database; run without --reuse")
    if "draft_text" not in state:
        raise SystemExit("state.json is from an earlier harness; run without --reuse")
    ceiling_path = "/static/" + manifest["paths"][CEILING_FILE]
    all_scenarios = scenarios(state, ceiling_path)
    if args.only:
        only = {"ceiling", "baseline", *args.only.split(",")}
        unknown = only - {s.key for s in all_scenarios}
        if unknown:
            raise SystemExit(f"--only: no scenario {', '.join(sorted(unknown))}")
        all_scenarios = [s for s in all_scenarios if s.key in only]

    print("== Queries per request (in-process test Client)", flush=True)
    queries_file = WORK / "queries.json"
    servers.python(env, "-m", "bench.queries", str(queries_file))
    queries = json.loads(queries_file.read_text())

    log = WORK / f"gunicorn-{args.db}.log"
    server = gunicorn(env, log)
    port = server.port
    # The same app without "how the others answered", idle but for its own scenario: the submit is
    # measured with and without it in the same round.
    plain_log = WORK / f"gunicorn-{args.db}-plain.log"
    plain = gunicorn({**env, "CLASS_ANSWERS": "0"}, plain_log)
    servers_by_name = {"main": (port, log), "plain": (plain.port, plain_log)}
    print(f"== gunicorn on 127.0.0.1:{port} (log {log.relative_to(ROOT)}), with CLASS_ANSWERS=0 on {plain.port}")
    try:
        server.start()
        plain.start()
    except RuntimeError as error:
        server.stop()
        raise SystemExit(str(error)) from None
    try:
        problems = check_scenarios(servers_by_name, state, all_scenarios)
        for problem in problems:
            print(f"!! failing before the load (measured anyway; its errors will show): {problem}", flush=True)
        if args.only:
            return trial(servers_by_name, state, all_scenarios, args, client)
        light = first_load(port, state, ceiling_path)
        identities = write_identities(state, all_scenarios)
        print(f"== Load ({client_label(client)}; {args.rounds} rounds of {args.window:g} s windows)", flush=True)
        load_before = wait_for_quiet(patience=15 if args.quick else 90)
        rounds = run_rounds(servers_by_name, state, all_scenarios, identities, args, client)
        load_after = os.getloadavg()[0]
    finally:
        server.stop()
        plain.stop()
    locked_total = sum(log_slice(path, 0).count("database is locked") for path in (log, plain_log))
    load, serial_rows = aggregate(rounds, all_scenarios)

    run = {
        "meta": {
            "when": time.strftime("%Y-%m-%d %H:%M"),
            "cpus": os.cpu_count(),
            "vendor": state["vendor"],
            "worker_class": WORKER_CLASS,
            "quick": args.quick,
            "rounds": args.rounds,
            "window_seconds": args.window,
            "load_client": client_label(client),
            "students": state["students"],
            "exercises": state["exercises"],
            "attempts": state["attempts"],
            "answers": state["answers"],
            "build_seconds": state["build_seconds"],
            "run_seconds": None,
            "locked_in_log": locked_total,
            "load_average_before": round(load_before, 2),
            "load_average_after": round(load_after, 2),
        },
        "scenarios": [
            {
                "key": s.key,
                "title": s.title,
                "path": s.path,
                "method": s.method,
                "ratio_to": s.ratio_to,
                "who": s.who,
                "max_connections": s.max_connections,
            }
            for s in all_scenarios
        ],
        "queries": {k: {kk: vv for kk, vv in v.items() if kk != "sql"} for k, v in queries.items()},
        "load": load,
        "serial": serial_rows,
        "light": light,
        "tagger": tagger_speed(10 if args.quick else 50),
    }
    run["meta"]["run_seconds"] = round(time.monotonic() - began)
    run["targets"] = evaluate(run)
    print()
    print(write_report(args.db, run))


if __name__ == "__main__":
    main()
