"""The Python load client: what `make bench` uses when wrk is not installed (or `--load python`).

It sends the same requests as bench/load.lua and returns the result run_wrk returns, so the rest of
the run and the report do not care which client loaded the server. One thread per connection, each
holding a keep-alive http.client.HTTPConnection and sending its fixed share of the requests, so the
scenario ends with nothing left queued in the server. It is slower than wrk (the GIL, and it shares
the CPUs with gunicorn), so the ceiling it measures is lower too; compare ratios, not req/s, across clients.
"""

import http.client
import math
import threading
import time
from pathlib import Path

TIMEOUT_SECONDS = 60  # as wrk's --timeout
# The server closed a kept-alive connection between two requests: not the server failing, so the
# request is sent again on a fresh connection (wrk reconnects the same way) instead of counted.
STALE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


def request_variants(port, scenario, identities_file):
    """Every request this scenario rotates through, as (headers, body): load.lua's list, built the same way."""
    base = {"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip, br"}
    body = scenario.body.encode() if scenario.body is not None else None
    if body is not None:
        base["Content-Type"] = "application/x-www-form-urlencoded"
    if scenario.htmx:
        base["HX-Request"] = "true"
    if not identities_file:
        return [(base, body)]
    variants = []
    for line in Path(identities_file).read_text().splitlines():
        cookie, csrf = line.split("\t")
        headers = {**base, "Cookie": cookie}
        if scenario.method == "POST":
            headers.update({"X-CSRFToken": csrf, "Origin": f"https://127.0.0.1:{port}"})
        variants.append((headers, body))
    return variants


class Connection(threading.Thread):
    """One connection sending `share` requests, starting at its own identity as load.lua's threads do."""

    def __init__(self, port, scenario, variants, tid, share, deadline):
        super().__init__(daemon=True)
        self.port, self.scenario, self.variants = port, scenario, variants
        self.share, self.deadline = share, deadline
        self.index = (tid * 7919) % len(variants)  # threads do not walk the class in step
        self.latencies_us, self.statuses = [], []
        self.errors = {"connect": 0, "read": 0, "write": 0, "timeout": 0}
        self.bytes = 0
        self.first = self.last = None

    def run(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT_SECONDS)
        try:
            for _ in range(self.share):
                if time.monotonic() > self.deadline:
                    break
                headers, body = self.variants[self.index]
                self.index = (self.index + 1) % len(self.variants)
                conn = self.send(conn, headers, body)
        finally:
            conn.close()

    def send(self, conn, headers, body, retry=True):
        """One request; returns the connection to go on with (closed after a failure, reopened next time)."""
        began = time.perf_counter()
        self.first = self.first or began
        # gunicorn's sync workers answer "Connection: close", so http.client drops the socket after
        # each response and most requests open a new one; connecting here tells connect errors apart.
        reused = conn.sock is not None
        stage = "connect"
        try:
            if not reused:
                conn.connect()
            stage = "write"
            conn.request(self.scenario.method, self.scenario.path, body=body, headers=headers)
            stage = "read"
            response = conn.getresponse()
            self.bytes += len(response.read())
        except STALE:
            conn.close()
            if reused and retry:
                return self.send(conn, headers, body, retry=False)
            self.errors[stage] += 1
            return conn
        except (OSError, http.client.HTTPException) as error:
            self.errors["timeout" if isinstance(error, TimeoutError) else stage] += 1
            conn.close()
            return conn
        self.last = time.perf_counter()
        self.latencies_us.append((self.last - began) * 1e6)
        self.statuses.append(response.status)
        return conn


def run_python(port, scenario, connections, identities_file, requests, cap_seconds):
    """Load one scenario with exactly `requests` requests over `connections` connections; run_wrk's result."""
    variants = request_variants(port, scenario, identities_file)
    deadline = time.monotonic() + cap_seconds
    shares = [requests // connections + (i < requests % connections) for i in range(connections)]
    threads = [Connection(port, scenario, variants, tid, share, deadline) for tid, share in enumerate(shares) if share]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    latencies = sorted(x for t in threads for x in t.latencies_us)
    statuses = [s for t in threads for s in t.statuses]
    bad = sorted({s for s in statuses if not 200 <= s <= 299})
    firsts = [t.first for t in threads if t.first]
    lasts = [t.last for t in threads if t.last]
    seconds = max(lasts) - min(firsts) if firsts and lasts else 0.0
    errors = {k: sum(t.errors[k] for t in threads) for k in ("connect", "read", "write", "timeout")}
    result = {
        "requests": len(statuses),
        "seconds": round(seconds, 4),
        "bytes": sum(t.bytes for t in threads),
        "p50_us": percentile(latencies, 50),
        "p90_us": percentile(latencies, 90),
        "p99_us": percentile(latencies, 99),
        "max_us": round(latencies[-1]) if latencies else 0,
        "non2xx": sum(1 for s in statuses if not 200 <= s <= 299),
        "bad_statuses": ",".join(map(str, bad)),
        **errors,
        "complete": len(statuses) + sum(errors.values()) == requests,
    }
    result["rps"] = result["requests"] / seconds if seconds else 0.0
    result["socket_errors"] = sum(errors.values())
    return result


def percentile(sorted_values, p):
    """Nearest rank, in whole microseconds as wrk reports them."""
    if not sorted_values:
        return 0
    return round(sorted_values[max(0, math.ceil(len(sorted_values) * p / 100) - 1)])
