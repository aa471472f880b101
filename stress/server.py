"""Build a database and run the app under gunicorn on loopback, as production would (DEBUG off)."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = Path(sys.executable)
GUNICORN = PYTHON.parent / "gunicorn"
SECRET_KEY = "stress-run-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"  # noqa: S105
PASSWORD = "a-long-stress-password-42"  # noqa: S105
POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def app_env(database_url, static_root, **extra):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "stress.settings",
        "STRESS_STATIC_ROOT": str(static_root),
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": SECRET_KEY,
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("REDIS_URL", None)
    env.update({key: str(value) for key, value in extra.items()})
    return env


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603 (our own manage.py)


def recreate_postgres_database(name):
    import psycopg

    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def build_database(env, users=0):
    """Migrate, create the cache table, load the guide; then `users` accounts stress-user-0.. sharing one password."""
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "createcachetable")
    manage(env, "load_guide")
    if users:
        code = (
            "from django.contrib.auth.hashers import make_password\n"
            "from django.contrib.auth.models import User\n"
            f"hashed = make_password({PASSWORD!r})\n"
            f"User.objects.bulk_create(User(username=f'stress-user-{{i}}', password=hashed) for i in range({users}))\n"
        )
        manage(env, "shell", "-c", code)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# The worker class production runs (README, "Running on several machines"): slow clients cannot
# hold a gevent worker, which serves up to --worker-connections requests at once.
# STRESS_WORKER_CLASS=sync measures the old one for comparison.
WORKER_CLASS = os.environ.get("STRESS_WORKER_CLASS", "gevent")


class Gunicorn:
    """gunicorn on 127.0.0.1 with production's worker class; its stderr (and the app's log) in `log_path`."""

    def __init__(self, env, log_path, workers=4, timeout=30, worker_class=WORKER_CLASS):
        self.env, self.log_path, self.workers, self.timeout = env, log_path, workers, timeout
        self.worker_class = worker_class
        self.port = free_port()
        self.process = None

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        self.log = open(self.log_path, "ab")  # noqa: SIM115
        command = [
            GUNICORN,
            "writing_guide.wsgi",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--worker-class",
            self.worker_class,
            "--timeout",
            str(self.timeout),
            "--graceful-timeout",
            "5",
            "--error-logfile",
            "-",
            "--capture-output",
        ]
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=self.log, stderr=self.log)  # noqa: S603
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}; see {self.log_path}")
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2):  # noqa: S310 (http on loopback)
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer in 30 s; see {self.log_path}")

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

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def log_text(self):
        return Path(self.log_path).read_text(errors="replace")
