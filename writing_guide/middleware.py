import logging

from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


class DatabaseUnavailableMiddleware:
    """Answer 503 with a friendly page and Retry-After when the database cannot be reached.

    The broken connection is closed so the next request opens a fresh one instead of failing
    on a stale handle.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)) or not _is_connection_error(exception):
            return None
        logger.error("Database unavailable on %s %s: %s", request.method, request.path, type(exception).__name__)
        for connection in connections.all(initialized_only=True):
            connection.close_if_unusable_or_obsolete()
            try:
                connection.close()
            except DatabaseError:
                pass
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response


def _is_connection_error(exception):
    message = str(exception).lower()
    # A locked SQLite file or a constraint is a different failure; those are not outages.
    return any(
        phrase in message
        for phrase in (
            "connection",
            "could not connect",
            "server closed",
            "terminating",
            "unable to open database",
            "the database system is",
        )
    )
