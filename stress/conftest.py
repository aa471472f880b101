"""The multi-process tests run only under `make stress` (STRESS=1): they start gunicorn and take minutes."""

import os

import pytest

from stress import server
from testing import servers

if os.environ.get("STRESS") != "1":
    collect_ignore_glob = ["test_*.py"]


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("static")
    servers.manage(server.app_env("sqlite:///:memory:", root), "collectstatic", "--no-input", "-v", "0")
    return root


@pytest.fixture(scope="session")
def postgres_available():
    if not servers.reachable(servers.POSTGRES_PORT):
        pytest.skip("PostgreSQL is not running on 127.0.0.1:5432")
