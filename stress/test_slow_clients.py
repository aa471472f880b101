"""Slow clients (slowloris) cannot starve production's gunicorn workers: a health probe still answers.

Eight sockets each send a request line, then one header line every 2 s, never finishing their
request, against 2 workers. With the sync worker (the control) each worker is held by one of them
and the probe waits; with production's worker class (gevent) a worker serves
the probe beside them. Loopback only, bounded in time.
"""

import http.client
import socket
import threading
import time

import pytest

from stress import server
from stress.browser import Browser

SLOW_CLIENTS = 8
HEADER_EVERY = 2.0
ATTACK_SECONDS = 12
PROBE_TIMEOUT = 3


def slowloris(port, connected, stop):
    sockets = []
    try:
        for _ in range(SLOW_CLIENTS):
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            sock.sendall(b"GET /lessons/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            sockets.append(sock)
        connected.set()
        number = 0
        while not stop.wait(HEADER_EVERY):
            number += 1
            for sock in sockets:
                try:
                    sock.sendall(f"X-Still-Here-{number}: yes\r\n".encode())
                except OSError:
                    pass  # the server gave up on this one: fine
    finally:
        connected.set()
        for sock in sockets:
            sock.close()


def probe(port):
    """(status or the exception's name, seconds) of one /healthz on a fresh connection."""
    start = time.perf_counter()
    try:
        status = Browser(port, timeout=PROBE_TIMEOUT).request("GET", "/healthz")[0]
    except (OSError, http.client.HTTPException) as error:
        status = type(error).__name__
    return status, time.perf_counter() - start


@pytest.mark.parametrize("worker_class", ["sync", "gevent"])
def test_eight_slow_clients_do_not_stop_a_health_probe(worker_class, static_root, tmp_path):
    url = f"sqlite:///{tmp_path / 'slow.sqlite3'}"
    env = server.app_env(url, static_root)
    server.build_database(env)
    gunicorn = server.gunicorn(env, tmp_path / "g.log", workers=2, worker_class=worker_class).start()
    connected, stop = threading.Event(), threading.Event()
    attacker = threading.Thread(target=slowloris, args=(gunicorn.port, connected, stop))
    probes = []
    try:
        attacker.start()
        assert connected.wait(10)
        time.sleep(0.5)  # let the workers pick the slow sockets up first, as they would in an attack
        deadline = time.monotonic() + ATTACK_SECONDS
        while time.monotonic() < deadline and len(probes) < 100:
            probes.append(probe(gunicorn.port))
            time.sleep(0.25)
    finally:
        stop.set()
        attacker.join(15)
        gunicorn.stop()
    answered = [seconds for status, seconds in probes if status == 200]
    slowest = max(seconds for _, seconds in probes)
    print(
        f"\n[{worker_class}] {SLOW_CLIENTS} slow clients, 2 workers: {len(answered)} of {len(probes)} probes "
        f"answered, slowest {slowest:.3f} s"
    )
    assert len(probes) >= 3
    if worker_class == "sync":
        assert len(answered) < len(probes), "the control: sync workers held by slow clients leave the probe waiting"
    else:
        assert len(answered) == len(probes), probes
        assert slowest < 1.0
