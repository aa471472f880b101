"""Security headers on a page, and `check --deploy` clean under production settings."""

import os
import subprocess
import sys

import pytest
from django.conf import settings


@pytest.mark.django_db
def test_a_page_sends_a_content_security_policy_without_inline_script(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"


@pytest.mark.django_db
def test_a_page_forbids_content_sniffing(client):
    assert client.get("/").headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_a_page_sets_a_referrer_policy(client):
    assert client.get("/").headers["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_a_page_cannot_be_framed(client):
    assert client.get("/").headers["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_an_error_page_carries_the_same_headers(client):
    response = client.get("/lessons/no-such-lesson/")
    assert response.status_code == 404
    for header in ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options"):
        assert header in response.headers


def test_check_deploy_passes_without_warnings_under_production_settings(tmp_path):
    # As production runs: without the test run's variables (Playwright's DJANGO_ALLOW_ASYNC_UNSAFE).
    inherited = {name: value for name, value in os.environ.items() if name != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {
        **inherited,
        "DEBUG": "0",
        "SECRET_KEY": "k3v9-Qz7!pL2#wX8@rT5$yN1%uB6^mC4&hJ0*dF3(gS7)aE9_oI2+lK8=zV5",
        "ALLOWED_HOSTS": "writing.example.org",
        "SECURE_SSL_REDIRECT": "1",
        "SECURE_HSTS_SECONDS": "31536000",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    }
    result = subprocess.run(  # noqa: S603 (fixed arguments)
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr and "issues" in result.stdout, result.stdout + result.stderr


def test_the_csrf_cookie_is_out_of_reach_of_scripts(client):
    response = client.get("/accounts/login/")
    assert response.cookies["csrftoken"]["httponly"]
