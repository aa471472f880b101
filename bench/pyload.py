"""The Python load client: what `make bench` uses when wrk is not installed (or `--load python`).

It sends the same requests as bench/load.lua and returns the result run_wrk returns, so the rest of
the run and the report do not care which client loaded the server. One thread per connection, each
holding a keep-alive http.client.HTTPConnection and sending requests back to back until the window
closes; a request already sent then is waited for and counted, so every response the server gives
is in the count (req/s, latency, status) and nothing is left running in the server when it returns.
It is slower than wrk (the GIL, and it shares the CPUs with gunicorn), so the ceiling it measures is
lower too; compare ratios, not req/s, across clients.
"""

import http.client
import itertools
import math
import threading
import time
from collections import Counter
from pathlib import Path

TIMEOUT_SECONDS = 60  # as wrk's --timeout
# The server closed a kept-alive connection between two requests: not the server failing, so the
# request is sent again on a fresh connection (wrk reconnects the same way) instead of counted.
STALE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


def request_variants(port, scenario, identities_file):
    """Every request this scenario rotates through, as (path, headers): load.lua's list, built the same way."""
    base = {"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip, br"}
    if scenario.body is not None:
        base["Content-Type"] = "application/x-www-form-urlencoded"
    if scenario.htmx:
        base["HX-Request"] = "true"
    if not identities_file:
        return [(scenario.path, base)]
    variants = []
    for line in Path(identities_file).read_text().splitlines():
        cookie, csrf, path = line.split("\t")
        headers = {**base, "Cookie": cookie}
        if scenario.method == "POST":
            headers.update({"X-CSRFToken": csrf, "Origin": f"https://127.0.0.1:{port}"})
        variants.append((path, headers))
    return variants


class Connection(threading.Thread):
    """One connection sending requests until `until`, each to the identity next in the window's turns."""

    def __init__(self, port, scenario, variants, tid, turns, until, tag):
        super().__init__(daemon=True)
        self.port, self.scenario, self.variants, self.until = port, scenario, variants, until
        self.tid, self.tag = tid, tag
        self.turns = turns
        self.latencies_us, self.statuses = [], Counter()
        self.errors = {"connect": 0, "read": 0, "write": 0, "timeout": 0}
        self.bytes = self.sent = 0
        self.first = self.last = None

    def run(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT_SECONDS)
        try:
            while time.monotonic() < self.until:
                path, headers = self.variants[next(self.turns) % len(self.variants)]
                self.sent += 1
                body = self.scenario.body_for(f"{self.tag}t{self.tid}n{self.sent}")
                conn = self.send(conn, path, headers, body.encode() if body is not None else None)
        finally:
            conn.close()

    def send(self, conn, path, headers, body, retry=True):
        """One request; returns the connection to go on with (closed after a failure, reopened next time)."""
        began = time.perf_counter()
        self.first = self.first or began
        # A connection the server closed (sync workers answer "Connection: close") is opened again
        # here, apart from the request, so connect errors are told apart from the others.
        reused = conn.sock is not None
        stage = "connect"
        try:
            if not reused:
                conn.connect()
            stage = "write"
            conn.request(self.scenario.method, path, body=body, headers=headers)
            stage = "read"
            response = conn.getresponse()
            self.bytes += len(response.read())
        except STALE:
            conn.close()
            if reused and retry:
                return self.send(conn, path, headers, body, retry=False)
            self.errors[stage] += 1
            return conn
        except (OSError, http.client.HTTPException) as error:
            self.errors["timeout" if isinstance(error, TimeoutError) else stage] += 1
            conn.close()
            return conn
        self.last = time.perf_counter()
        self.latencies_us.append((self.last - began) * 1e6)
        self.statuses[response.status] += 1
        return conn


def run_python(port, scenario, connections, identities_file, seconds, tag="", offset=0):
    """Load one scenario for `seconds` over `connections` connections, then wait for every answer; run_wrk's result.

    `tag` goes into the unique string of each request's body (see scenarios.UNIQUE): one per window.
    The connections take turns through the class from `offset`: each request goes to the person after
    the last request's, whichever connection sends it, so nobody is asked twice before everyone has
    been asked once, however unevenly the connections are served (the result's `went_round` says how
    far round the class the window went).
    """
    variants = request_variants(port, scenario, identities_file)
    until = time.monotonic() + seconds
    turns = itertools.count(offset)  # shared: its next() is one C call, atomic under the GIL
    threads = [Connection(port, scenario, variants, tid, turns, until, tag) for tid in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result = summarise(threads)
    result["went_round"] = result["sent"]
    return result


def summarise(threads):
    latencies = sorted(x for t in threads for x in t.latencies_us)
    statuses = sum((t.statuses for t in threads), Counter())
    firsts = [t.first for t in threads if t.first]
    lasts = [t.last for t in threads if t.last]
    seconds = max(lasts) - min(firsts) if firsts and lasts else 0.0
    errors = {k: sum(t.errors[k] for t in threads) for k in ("connect", "read", "write", "timeout")}
    completed = sum(statuses.values())
    result = {
        "requests": completed,
        "sent": sum(t.sent for t in threads),
        "seconds": round(seconds, 4),
        "bytes": sum(t.bytes for t in threads),
        "p50_us": percentile(latencies, 50),
        "p90_us": percentile(latencies, 90),
        "p99_us": percentile(latencies, 99),
        "max_us": round(latencies[-1]) if latencies else 0,
        "statuses": {str(status): n for status, n in sorted(statuses.items())},
        **errors,
        # Every request sent was answered or failed: nothing was dropped uncounted.
        "complete": completed + sum(errors.values()) == sum(t.sent for t in threads),
    }
    return finish(result)


def finish(result):
    """The fields both clients derive the same way from their raw counts."""
    statuses = result["statuses"]
    result["non2xx"] = sum(n for status, n in statuses.items() if not 200 <= int(status) <= 299)
    result["bad_statuses"] = ",".join(f"{s}×{n}" for s, n in statuses.items() if not 200 <= int(s) <= 299)
    result["socket_errors"] = sum(result[k] for k in ("connect", "read", "write", "timeout"))
    result["rps"] = result["requests"] / result["seconds"] if result["seconds"] else 0.0
    return result


def percentile(sorted_values, p):
    """Nearest rank, in whole microseconds as wrk reports them."""
    if not sorted_values:
        return 0
    return round(sorted_values[max(0, math.ceil(len(sorted_values) * p / 100) - 1)])
