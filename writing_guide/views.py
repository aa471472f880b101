import logging
import os
import secrets
import sys

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from courses.models import Course
from exercises.models import Exercise
from writing_guide.middleware import RETRY_AFTER_SECONDS, close_broken_connections, database_unavailable_response

logger = logging.getLogger(__name__)


@require_safe
@never_cache
def healthz(request):
    """The balancer's check: 200 while this process answers and reads the app's tables, else 503.

    Cheap enough to run every few seconds on every host: one indexed read on a persistent
    connection, no cache, no write, no session. The readiness check (`readyz`) does more.
    """
    if _database_problem():
        return _unavailable("database unavailable\n")
    return HttpResponse("ok\n", content_type="text/plain")


@require_safe
@never_cache
def readyz(request):
    """The orchestrator's readiness check: 200 when the database and the shared cache both work.

    503 with Retry-After otherwise, naming in plain text what failed (the details go to the log).
    The cache round trip writes a key, so a full disk or a read-only database shows here too.
    """
    checks = {"database": _database_problem(), "cache": _cache_problem()}
    text = "".join(f"{name}: {problem or 'ok'}\n" for name, problem in checks.items())
    if any(checks.values()):
        return _unavailable(text)
    return HttpResponse(text, content_type="text/plain")


def _database_problem():
    """None when a table the app needs answers a query; else what failed, the connection closed."""
    try:
        Exercise.objects.order_by().exists()
    except DatabaseError as error:
        logger.warning("Health check: the database failed: %s: %s", type(error).__name__, error)
        close_broken_connections()
        return f"unavailable ({type(error).__name__})"
    return None


def _cache_problem():
    """None when a value written to the shared cache reads back; else what failed."""
    key, value = f"readyz:{os.uname().nodename}:{os.getpid()}", secrets.token_hex(8)
    try:
        cache.set(key, value, timeout=30)
        read = cache.get(key)
    except Exception as error:  # noqa: BLE001 (whatever a cache backend raises means "not ready", never a 500)
        logger.warning("Health check: the cache failed: %s: %s", type(error).__name__, error)
        return f"unavailable ({type(error).__name__})"
    if read != value:
        logger.warning("Health check: a value written to the cache read back as %r", read)
        return "unavailable (a value written could not be read back)"
    return None


def _unavailable(text):
    response = HttpResponse(text, status=503, content_type="text/plain")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request):
    """The 500 handler, and the last place a database fault becomes the 503 it is.

    The middleware answers faults raised by views; this one catches those raised after the view,
    such as a session saved while the database is locked or full.
    """
    return database_unavailable_response(request, sys.exc_info()[1]) or defaults.server_error(request)


@login_required
@require_safe
def start(request):
    """Where log-in and sign-up lead when no `next` names a page: each role to the page it needs.

    Instructors go to their courses; a student with assigned work to that course (or to the list
    of courses when there are several); everyone else to their progress. It lives in the project
    because it reads courses, which the accounts (in `exercises`) must not import.
    """
    if Course.objects.taught_by(request.user).exists():
        return redirect("courses")
    with_work = list(Course.objects.with_assignments_for(request.user)[:2])
    if len(with_work) == 1:
        return redirect(with_work[0])
    if with_work:
        return redirect("courses")
    return redirect("progress")
