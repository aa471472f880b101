"""The load client's turns through the class: the drafts' limit of 10 checks a minute per learner is never met."""

import math
import random
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.pyload import run_python
from bench.scenarios import Scenario

CLASS_SIZE = 12  # small enough that even a busy machine goes round it several times in a window


@pytest.fixture
def server():
    """A server that answers every path, unevenly slowly (as the tagger does), and counts who asked."""
    hits = Counter()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            with lock:
                hits[self.path] += 1
            time.sleep(random.choice([0, 0, 0, 0.002, 0.02]))  # noqa: S311
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    class Server(ThreadingHTTPServer):
        request_queue_size = 128  # 64 connections at once
        daemon_threads = True

    httpd = Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1], hits
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def identities(tmp_path):
    path = tmp_path / "identities.tsv"
    path.write_text("".join(f"sessionid=s{n}\tcsrf{n}\t/write/{n}/check/\n" for n in range(CLASS_SIZE)))
    return str(path)


CHECK = Scenario("draft_revision", "a check", "/write/{draft}/check/", "POST", who="students", body="text=x")


def test_a_window_asks_nobody_twice_before_everyone_once(server, identities):
    port, hits = server
    seconds = 0.3
    while True:  # a busy machine may send fewer than a class in a short window: lengthen it until it goes round
        hits.clear()
        result = run_python(port, CHECK, 16, identities, seconds, offset=7)
        if result["went_round"] > CLASS_SIZE or seconds > 10:
            break
        seconds *= 2
    assert result["requests"] == result["went_round"] == sum(hits.values()) > CLASS_SIZE
    laps = result["went_round"] / CLASS_SIZE
    assert max(hits.values()) == math.ceil(laps) and min(hits.values()) >= math.floor(laps)


def test_windows_that_go_on_where_the_last_stopped_share_the_turns_evenly(server, identities):
    port, hits = server
    checks_at = 0
    for connections in (16, 64, 16):
        checks_at += run_python(port, CHECK, connections, identities, 0.2, offset=checks_at)["went_round"]
    assert sum(hits.values()) == checks_at
    assert max(hits.values()) - min(hits.values()) <= 1
