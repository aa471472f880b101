"""The app as a real server, for the benchmark (bench/) and the stress runs (stress/), and the one way to
ask whether PostgreSQL or Redis runs on loopback (the subprocess tests skip without them).

One way each to pick a free port, run manage.py (or `python -m`) in a child process, create and drop a
PostgreSQL database, and start, wait for and stop gunicorn. Each caller keeps its own choices: the
settings in `env`, the WSGI application and the gunicorn options.
"""

import http.client
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = Path(sys.executable)
GUNICORN = PYTHON.parent / "gunicorn"
LOOPBACK = "127.0.0.1"
POSTGRES_PORT = 5432
REDIS_PORT = 6379
# Never recreated or dropped here: the app's own database and the server's (and test_*, the test runner's).
PROTECTED_DATABASES = ("writing_guide", "postgres")


def reachable(port, host=LOOPBACK, timeout=1.0):
    """Whether something accepts connections on host:port (PostgreSQL on POSTGRES_PORT, Redis on REDIS_PORT)."""
    try:
        socket.create_connection((host, port), timeout=timeout).close()
    except OSError:
        return False
    return True


def free_port():
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def python(env, *args, capture=False):
    """Run this interpreter in the project root with `env`; fails on a non-zero exit. Its stdout when `capture`."""
    result = subprocess.run(  # noqa: S603 (this interpreter, our own code)
        [PYTHON, *args], cwd=ROOT, env=env, check=True, capture_output=capture, text=True
    )
    return result.stdout


def manage(env, *args, capture=False):
    return python(env, "manage.py", *args, capture=capture)


# --- PostgreSQL ----------------------------------------------------------------------------------


def postgres_url(name, port=POSTGRES_PORT):
    """Database `name` on the local server (user postgres, trusted), or through a proxy listening on `port`."""
    return f"postgres://postgres@{LOOPBACK}:{port}/{name}"


def _admin(url):
    """An autocommit connection to the `postgres` database of the server `url` points at, and the name in `url`."""
    import psycopg

    server, name = url.rsplit("/", 1)
    if name in PROTECTED_DATABASES or name.startswith("test_"):
        raise ValueError(f"refusing to recreate or drop the database {name!r}: use one of your own")
    return psycopg.connect(f"{server}/postgres", autocommit=True), name


def recreate_postgres_database(url):
    """Drop the database `url` names (cutting its connections) and create it empty; returns `url`."""
    connection, name = _admin(url)
    with connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return url


def drop_postgres_database(url):
    connection, name = _admin(url)
    with connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- gunicorn ------------------------------------------------------------------------------------


class Gunicorn:
    """gunicorn serving `app` on 127.0.0.1 at a free port; its output and the app's log appended to `log_path`.

    `options` are gunicorn's long options, passed as given: timeout=120 is --timeout=120, and
    log_level="warning" is --log-level=warning. Call start(), then stop().
    """

    def __init__(self, env, log_path, app="writing_guide.wsgi", workers=2, worker_class="gevent", **options):
        self.env, self.log_path, self.app, self.workers = env, Path(log_path), app, workers
        self.options = {"worker_class": worker_class, **options}
        self.port = free_port()
        self.process = self.log = None

    def command(self):
        options = {"bind": f"{LOOPBACK}:{self.port}", "workers": self.workers, **self.options, "error_logfile": "-"}
        return [
            GUNICORN,
            self.app,
            *(f"--{name.replace('_', '-')}={value}" for name, value in options.items()),
            "--capture-output",
        ]

    def start(self, wait_seconds=30):
        """Start gunicorn and return once /healthz answers 200 (as through the TLS-terminating proxy)."""
        self.log = open(self.log_path, "ab")  # noqa: SIM115 (closed by stop)
        command = self.command()
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=self.log, stderr=self.log)  # noqa: S603
        deadline = time.monotonic() + wait_seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.stop()
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}; see {self.log_path}")
            if self.healthy():
                return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer /healthz in {wait_seconds} s; see {self.log_path}")

    def healthy(self):
        connection = http.client.HTTPConnection(LOOPBACK, self.port, timeout=2)
        try:
            connection.request("GET", "/healthz", headers={"X-Forwarded-Proto": "https"})
            return connection.getresponse().status == 200
        except (OSError, http.client.HTTPException):
            return False
        finally:
            connection.close()

    def restart_workers(self):
        """SIGHUP: the master replaces every worker, as a deploy or a config reload does; returns the new pids."""
        old = set(self.worker_pids())
        self.process.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            pids = set(self.worker_pids())
            if len(pids) == self.workers and not pids & old:
                return pids
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not replace its workers in 30 s; see {self.log_path}")

    def worker_pids(self):
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return [int(pid) for pid in children]

    def stop(self, wait_seconds=20):
        """SIGTERM (a graceful shutdown), then SIGKILL if the master has not exited after `wait_seconds`."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(wait_seconds)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.log:
            self.log.close()

    def log_text(self):
        return self.log_path.read_text(errors="replace")
