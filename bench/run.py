"""`make bench`: build the class-scale database, serve it under gunicorn, load it, report.

    python -m bench.run [--db sqlite|postgres] [--reuse] [--quick] [--load auto|wrk|python]

The load comes from wrk when it is installed and from bench/pyload.py otherwise (BENCH_LOAD or
--load picks one); the report names the client, since the ceiling each reaches differs.

Everything it writes lives in bench/work/ (git-ignored) except the report: bench/results.md and
bench/results.json, which keep the last result of each database side by side.
"""

import argparse
import gzip
import http.client
import json
import math
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import time
from pathlib import Path

from bench.pyload import run_python
from bench.scenarios import scenarios
from testing import servers

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
WORK = BENCH / "work"
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/wg_bench")
CONNECTIONS = (16, 64)
WRK_THREADS = 2
SCENARIO_CAP_SECONDS = 45
SERIAL_DASHBOARD_REQUESTS = 40
# Production's worker class (README, "Running on several machines"), so the numbers are the ones it gets.
WORKER_CLASS = "gevent"
HASHED = re.compile(r"\.[0-9a-f]{12}\.[A-Za-z0-9]+$")
YEAR = 365 * 24 * 3600


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
    """bench/wsgi.py under 2 workers of production's class, 120 s worker timeout; a fresh log. Not started yet."""
    log.unlink(missing_ok=True)
    return servers.Gunicorn(
        env, log, app="bench.wsgi:application", workers=2, worker_class=WORKER_CLASS, timeout=120, log_level="warning"
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


def scenario_request(port, scenario, ident):
    headers = identity_headers(ident, port, post=scenario.method == "POST")
    if scenario.htmx:
        headers["HX-Request"] = "true"
    if scenario.body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    return fetch(port, scenario.path, scenario.method, headers, scenario.body)


def body_text(headers, data):
    if headers.get("content-encoding") == "gzip":
        data = gzip.decompress(data)
    return data.decode("utf-8", "replace")


# --- light pages -----------------------------------------------------------------------------

ASSET = re.compile(r"""<(?:link|script|img)\b[^>]*?\b(?:href|src)="([^"]+)"[^>]*>""", re.I)


def light_pages(port, state):
    people = state["people"]
    student, instructor = people["students"][0], people["instructor"][0]
    pages = [
        ("home", "/", None),
        ("lesson", f"/lessons/{state['lesson']}/", None),
        ("paper", f"/papers/{state['paper']}/", None),
        ("compare", "/papers/compare/", None),
        ("exercise list", "/exercises/", student),
        ("exercise", f"/exercises/{state['exercise']}/", student),
        ("progress", "/progress/", student),
        ("dashboard (500 students)", f"/courses/{state['course']}/", instructor),
        ("analytics", f"/courses/{state['course']}/exercises/{state['exercise']}/", instructor),
    ]
    rows, assets_seen = [], {}
    for name, path, ident in pages:
        status, headers, data = fetch(port, path, headers=identity_headers(ident, port))
        html = body_text(headers, data)
        assets = [url for url in ASSET.findall(html) if url.startswith("/static/")]
        if '<link rel="icon"' not in html and "rel='icon'" not in html:
            assets.append("/favicon.ico")
        total, requests, js = len(data), 1, []
        for url in dict.fromkeys(assets):
            a_status, a_headers, a_data = fetch(port, url)
            total += len(a_data)
            requests += 1
            if url.endswith(".js"):
                js.append(url.rsplit("/", 1)[1])
            assets_seen[url] = {
                "status": a_status,
                "bytes": len(a_data),
                "encoding": a_headers.get("content-encoding", ""),
                "cache_control": a_headers.get("cache-control", ""),
                "hashed": bool(HASHED.search(url)),
                "far_future": _max_age(a_headers.get("cache-control", "")) >= YEAR,
            }
        rows.append(
            {
                "page": name,
                "status": status,
                "html_bytes": len(data),
                "html_encoding": headers.get("content-encoding", "identity"),
                "html_gzip_bytes": len(gzip.compress(data, 6)) if not headers.get("content-encoding") else len(data),
                "total_bytes": total,
                "requests": requests,
                "scripts": js,
                "ok": total <= 60 * 1024 and requests <= 6,
            }
        )
    fonts = any("@font-face" in body_text(*fetch(port, url)[1:]) for url in assets_seen if url.endswith(".css"))
    return {"pages": rows, "assets": assets_seen, "web_fonts": fonts}


def _max_age(cache_control):
    match = re.search(r"max-age=(\d+)", cache_control)
    return int(match.group(1)) if match else 0


# --- load ------------------------------------------------------------------------------------


def write_identities(state):
    files = {}
    for who, people in [("students", state["people"]["students"]), ("instructor", state["people"]["instructor"])]:
        path = WORK / f"identities-{who}.tsv"
        path.write_text("".join(f"sessionid={p['session']}; csrftoken={p['csrf']}\t{p['csrf']}\n" for p in people))
        files[who] = str(path)
    return files


def run_wrk(port, scenario, connections, identities, threads=WRK_THREADS, requests=None):
    requests = requests or scenario.requests
    threads = min(threads, connections)
    markers = WORK / "markers"
    shutil.rmtree(markers, ignore_errors=True)
    markers.mkdir()
    body_file = ""
    if scenario.body is not None:
        body_file = WORK / "body.txt"
        body_file.write_text(scenario.body)
    env = {
        **os.environ,
        "BENCH_LIMIT": str(math.ceil(requests / threads)),
        "BENCH_METHOD": scenario.method,
        "BENCH_PATH": scenario.path,
        "BENCH_BODY": str(body_file),
        "BENCH_IDENTITIES": identities.get(scenario.who, ""),
        "BENCH_HTMX": "1" if scenario.htmx else "0",
        "BENCH_ORIGIN": f"https://127.0.0.1:{port}",
        "BENCH_MARKERS": str(markers),
    }
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{SCENARIO_CAP_SECONDS + 30}s",
        "--timeout=60s",
        "--latency",
        f"--script={BENCH / 'load.lua'}",
        f"http://127.0.0.1:{port}{scenario.path}",
    ]
    wrk = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + SCENARIO_CAP_SECONDS
    first_done = None
    while wrk.poll() is None:
        finished = len(list(markers.iterdir()))
        if finished and first_done is None:
            first_done = time.monotonic()
        # wrk now and then loses a response on a connection the server closed; a thread short of
        # its count by that much would wait forever, so the others get a short grace period.
        late = first_done is not None and time.monotonic() - first_done > 2
        if finished >= threads or late or time.monotonic() > deadline:
            wrk.send_signal(signal.SIGINT)
            break
        time.sleep(0.02)
    output, _ = wrk.communicate(timeout=60)
    line = next((x for x in output.splitlines() if x.startswith("BENCHJSON ")), None)
    if line is None:
        raise SystemExit(f"wrk gave no result for {scenario.key}:\n{output}")
    result = json.loads(line.removeprefix("BENCHJSON "))
    result["rps"] = result["requests"] / result["seconds"] if result["seconds"] else 0.0
    result["socket_errors"] = sum(result[k] for k in ("connect", "read", "write", "timeout"))
    return result


def drain(port):
    """Wait until both workers answer at once: nothing from the last scenario is still running."""
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
        print(f"!! the machine is busy (load average {load:.1f} on {os.cpu_count()} CPUs): numbers will be low")
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


def run_load(port, state, all_scenarios, identities, log, quick, client):
    results = {}
    for connections in CONNECTIONS:
        rows = {}
        for scenario in all_scenarios:
            requests = max(20, scenario.requests // 5) if quick else scenario.requests
            if requests < 64:
                requests = scenario.requests  # heavy scenarios: too few to shrink
            before = log.stat().st_size
            if client == "wrk":
                result = run_wrk(port, scenario, connections, identities, requests=requests)
            else:
                ident_file = identities.get(scenario.who, "")
                result = run_python(port, scenario, connections, ident_file, requests, SCENARIO_CAP_SECONDS)
            text = log_slice(log, before)
            result["locked"] = text.count("database is locked")
            result["server_errors_logged"] = text.count("Traceback")
            rows[scenario.key] = result
            drain(port)
            print(
                f"  c={connections:<3} {scenario.title:<36} {result['rps']:8.1f} req/s  "
                f"p50 {result['p50_us'] / 1000:7.1f} ms  p99 {result['p99_us'] / 1000:8.1f} ms  "
                f"errors {result['non2xx'] + result['socket_errors']}  locked {result['locked']}",
                flush=True,
            )
        results[str(connections)] = rows
    return results


def serial_dashboard(port, state):
    ident = state["people"]["instructor"][0]
    path = f"/courses/{state['course']}/"
    times = []
    deadline = time.monotonic() + 60
    while len(times) < SERIAL_DASHBOARD_REQUESTS and (len(times) < 10 or time.monotonic() < deadline):
        began = time.perf_counter()
        status, _, _ = fetch(port, path, headers=identity_headers(ident, port))
        times.append((time.perf_counter() - began) * 1000)
        assert status == 200, status
    times.sort()
    return {
        "requests": len(times),
        "p50_ms": statistics.median(times),
        "p99_ms": times[min(len(times) - 1, math.ceil(len(times) * 0.99) - 1)],
        "max_ms": times[-1],
    }


def check_scenarios(port, state, all_scenarios):
    """One request per scenario before the load: it must answer 2xx with the expected content."""
    problems = []
    for scenario in all_scenarios:
        ident = _ident(state, scenario.who)
        for _ in range(1 if scenario.key == "csv_answers" else 6):  # also warms both workers
            status, headers, data = scenario_request(port, scenario, ident)
        if not 200 <= status < 300 or scenario.expect not in body_text(headers, data):
            problems.append(f"{scenario.key}: {status} {body_text(headers, data)[:200]!r}")
    return problems


def _ident(state, who):
    people = state["people"]
    return {"anonymous": None, "students": people["students"][0], "instructor": people["instructor"][0]}[who]


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


def evaluate(run):
    load16, load64 = run["load"]["16"], run["load"]["64"]
    queries, serial = run["queries"], run["dashboard_serial"]
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
    for key in ("lesson", "paper", "exercise"):
        row = load16[key]
        targets.append(
            (
                f"{key} page ≥30% of ceiling, p99 < 40 ms",
                f"{row['ratio']:.0%}, p99 {row['p99_us'] / 1000:.1f} ms",
                row["ratio"] >= 0.30 and row["p99_us"] < 40_000,
            )
        )
    submit = load16["submit"]
    targets.append(
        (
            "submit ≥45% of baseline, ≤5 queries",
            f"{submit['ratio']:.0%}, {queries['submit']['queries']} queries",
            submit["ratio"] >= 0.45 and queries["submit"]["queries"] <= 5,
        )
    )
    constant = queries["dashboard"]["queries"] == queries["dashboard"]["small_queries"]
    targets.append(
        (
            "dashboard one at a time p50 < 100 ms, p99 < 250 ms, constant queries",
            f"p50 {serial['p50_ms']:.0f} ms, p99 {serial['p99_ms']:.0f} ms, "
            f"{queries['dashboard']['small_queries']} → {queries['dashboard']['queries']} queries",
            serial["p50_ms"] < 100 and serial["p99_ms"] < 250 and constant,
        )
    )
    errors = sum(r["non2xx"] + r["socket_errors"] for r in load64.values())
    locked = sum(r["locked"] for r in load64.values())
    targets.append(
        (
            "zero errors, no 'database is locked' at 64 connections",
            f"{errors} errors, {locked} locked",
            not (errors or locked),
        )
    )
    light = run["light"]
    heavy = [p["page"] for p in light["pages"] if not p["ok"]]
    assets_ok = all(a["hashed"] and a["far_future"] for a in light["assets"].values() if a["status"] == 200)
    targets.append(
        (
            "light pages ≤60 KB compressed in ≤6 requests; hashed, far-future static",
            ("all pages" if not heavy else "over: " + ", ".join(heavy))
            + ("; static ok" if assets_ok else "; static NOT hashed/cached"),
            not heavy and assets_ok,
        )
    )
    return [{"target": t, "measured": m, "met": ok} for t, m, ok in targets]


def render_run(db, run):
    meta = run["meta"]
    client = meta.get("load_client", client_label("wrk"))  # runs recorded before the Python client
    lines = [
        f"## {db}",
        "",
        f"Run {meta['when']} on {meta['cpus']} CPUs: gunicorn 2 {meta.get('worker_class', 'sync')} workers, "
        f"DEBUG off, load client {client}; "
        f"{meta['attempts']} attempts and {meta['answers']} answers by {meta['students']} students "
        f"on {meta['exercises']} exercises (built in {meta['build_seconds']} s; whole run {meta['run_seconds']} s). "
        f"Load average {meta['load_average_before']} before the load, {meta['load_average_after']} after"
        + (" (QUICK run: a fifth of the requests)." if meta["quick"] else "."),
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
            ratio = f"{row['ratio']:.0%} of {scenario['ratio_to']}" if scenario["ratio_to"] else "1 (ceiling)"
            errors = row["non2xx"] + row["socket_errors"]
            if row["bad_statuses"]:
                errors = f"{errors} ({row['bad_statuses']})"
            lines.append(
                f"| {scenario['title']} | {row['requests']} | {row['rps']:.0f} | {row['p50_us'] / 1000:.1f} | "
                f"{row['p99_us'] / 1000:.1f} | {errors} | {row['locked']} | {q} | {ratio} |"
            )
        lines.append("")
    serial = run["dashboard_serial"]
    lines += [
        f"Dashboard one request at a time ({serial['requests']} requests): p50 {serial['p50_ms']:.1f} ms, "
        f"p99 {serial['p99_ms']:.1f} ms, max {serial['max_ms']:.1f} ms.",
        "",
        "Queries per request on the small class (3 students) and the big one (500): ",
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
        "### Light pages (first load: HTML + CSS + JS + favicon, Accept-Encoding: gzip, br)",
        "",
        "| page | HTML bytes (sent) | HTML gzipped (if compressed) | total bytes | requests | JS | ≤60 KB, ≤6 |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    for page in light["pages"]:
        lines.append(
            f"| {page['page']} | {page['html_bytes']:,} ({page['html_encoding']}) | {page['html_gzip_bytes']:,} | "
            f"{page['total_bytes']:,} | {page['requests']} | {', '.join(page['scripts']) or '-'} | "
            f"{'yes' if page['ok'] else '**no**'} |"
        )
    lines += ["", "| static file | bytes | encoding | hashed | Cache-Control |", "|---|---:|---|---|---|"]
    for url, asset in light["assets"].items():
        lines.append(
            f"| {url} | {asset['bytes']:,} | {asset['encoding'] or '-'} | {'yes' if asset['hashed'] else 'no'} | "
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
        "Ratios are to the same run's ceiling (a static file through whitenoise); the submit's is to "
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


# --- main ------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--reuse", action="store_true", help="keep the database of the last build")
    parser.add_argument("--quick", action="store_true", help="a fifth of the requests (a smoke run)")
    parser.add_argument(
        "--load",
        choices=["auto", "wrk", "python"],
        default=os.environ.get("BENCH_LOAD", "auto"),
        help="load client: wrk if installed, else Python (auto, the default; or set BENCH_LOAD)",
    )
    args = parser.parse_args()
    client = load_client(args.load)
    began = time.monotonic()
    WORK.mkdir(exist_ok=True)
    env = server_env(args.db)
    if not (args.reuse and (WORK / "state.json").exists()):
        print(f"== Building the {args.db} database", flush=True)
        build(env, args.db)
    state = json.loads((WORK / "state.json").read_text())
    if state["vendor"] != ("postgresql" if args.db == "postgres" else "sqlite"):
        raise SystemExit("state.json is from the other database; run without --reuse")
    print("== collectstatic", flush=True)
    servers.manage(env, "collectstatic", "--no-input", "--verbosity=0")
    manifest = json.loads((ROOT / "staticfiles" / "staticfiles.json").read_text())
    all_scenarios = scenarios(state, "/static/" + manifest["paths"]["site.css"])

    print("== Queries per request (in-process test Client)", flush=True)
    queries_file = WORK / "queries.json"
    servers.python(env, "-m", "bench.queries", str(queries_file))
    queries = json.loads(queries_file.read_text())

    log = WORK / f"gunicorn-{args.db}.log"
    server = gunicorn(env, log)
    port = server.port
    print(f"== gunicorn on 127.0.0.1:{port} (log {log.relative_to(ROOT)})", flush=True)
    try:
        server.start()
    except RuntimeError as error:
        raise SystemExit(str(error)) from None
    try:
        problems = check_scenarios(port, state, all_scenarios)
        for problem in problems:
            print(f"!! failing before the load (measured anyway; its errors will show): {problem}", flush=True)
        light = light_pages(port, state)
        identities = write_identities(state)
        print(f"== Load ({client_label(client)})", flush=True)
        load_before = wait_for_quiet()
        load = run_load(port, state, all_scenarios, identities, log, args.quick, client)
        serial = serial_dashboard(port, state)
        load_after = os.getloadavg()[0]
    finally:
        server.stop()
    locked_total = log_slice(log, 0).count("database is locked")

    for rows in load.values():
        for scenario in all_scenarios:
            row = rows[scenario.key]
            base = rows[scenario.ratio_to]["rps"] if scenario.ratio_to else row["rps"]
            row["ratio"] = row["rps"] / base if base else 0.0
    run = {
        "meta": {
            "when": time.strftime("%Y-%m-%d %H:%M"),
            "cpus": os.cpu_count(),
            "worker_class": WORKER_CLASS,
            "quick": args.quick,
            "load_client": client_label(client),
            "students": state["students"],
            "exercises": state["exercises"],
            "attempts": state["attempts"],
            "answers": state["answers"],
            "build_seconds": state["build_seconds"],
            "run_seconds": round(time.monotonic() - began),
            "locked_in_log": locked_total,
            "load_average_before": round(load_before, 2),
            "load_average_after": round(load_after, 2),
        },
        "scenarios": [
            {"key": s.key, "title": s.title, "path": s.path, "ratio_to": s.ratio_to, "who": s.who}
            for s in all_scenarios
        ],
        "queries": {k: {kk: vv for kk, vv in v.items() if kk != "sql"} for k, v in queries.items()},
        "load": load,
        "dashboard_serial": serial,
        "light": light,
        "tagger": tagger_speed(),
    }
    run["targets"] = evaluate(run)
    print()
    print(write_report(args.db, run))


if __name__ == "__main__":
    main()
