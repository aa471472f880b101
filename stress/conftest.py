"""The multi-process tests run only under `make stress` (STRESS=1): they start gunicorn and take minutes."""

import os
import shutil
import subprocess

import pytest

from stress import server

if os.environ.get("STRESS") != "1":
    collect_ignore_glob = ["test_*.py"]


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("static")
    server.manage(server.app_env("sqlite:///:memory:", root), "collectstatic", "--no-input", "-v", "0")
    return root


@pytest.fixture(scope="session")
def postgres_available():
    pg_isready = shutil.which("pg_isready")
    if not pg_isready or subprocess.run([pg_isready, "-q", "-h", "127.0.0.1", "-p", "5432"]).returncode != 0:  # noqa: S603
        pytest.skip("PostgreSQL is not running on 127.0.0.1:5432")
