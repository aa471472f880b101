import logging
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string
from django.utils.html import format_html

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


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class MalformedRequestMiddleware:
    """Refuse a request body no page of this app sends, with a 4xx that says what is wrong.

    Every form here sends each field once, as UTF-8, urlencoded (or multipart); anything else
    is a broken or hostile client, refused before a view can write a row from a half-read body.
    Also gives a 405 (empty by default) a sentence a person can read.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self._refusal(request) if request.method not in ("GET", "HEAD", "OPTIONS") else None
        if response is None:
            response = self.get_response(request)
        if response.status_code == 405 and not getattr(response, "streaming", False) and not response.content:
            allowed = response.get("Allow", "")
            response.content = _problem_page(
                "Method not allowed",
                f"This address does not accept {request.method} requests; it accepts {allowed or 'other methods'}.",
            )
        return response

    def _refusal(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _problem(400, "Bad request", "The request's Content-Length is not a number.")
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and length > limit:
            return _problem(413, "Too large", f"This request is too large: forms here send at most {limit // 1024} KB.")
        if not length:
            return None
        if request.content_type not in FORM_TYPES:
            return _problem(415, "Not a form", "Send this as an HTML form (application/x-www-form-urlencoded).")
        if request.content_type == FORM_TYPES[0]:
            pairs = [pair for pair in request.body.split(b"&") if pair]
            if len(pairs) > (settings.DATA_UPLOAD_MAX_NUMBER_FIELDS or len(pairs)):
                return _problem(400, "Bad request", "The form has too many fields.")
            try:
                for pair in pairs:
                    unquote_to_bytes(pair.replace(b"+", b" ")).decode("utf-8")
            except UnicodeDecodeError:
                return _problem(400, "Bad request", "The form data is not valid UTF-8 text.")
        try:
            fields = list(request.POST.lists())
        except (MultiPartParserError, TooManyFieldsSent):
            return _problem(400, "Bad request", "The form data could not be read.")
        for key, values in fields:
            if any("\ufffd" in text for text in (key, *values)):
                return _problem(400, "Bad request", "The form data is not valid UTF-8 text.")
            if len(values) > 1:
                return _problem(400, "Bad request", f"The field {key} was sent {len(values)} times; send it once.")
        return None


def _problem_page(title, message):
    return format_html(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{}</title></head>'
        "<body><main><h1>{}</h1><p>{}</p></main></body></html>",
        title,
        title,
        message,
    )


def _problem(status, title, message):
    return HttpResponse(_problem_page(title, message), status=status)
