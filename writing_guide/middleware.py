import gzip
import logging
import secrets
import struct
import zlib
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.exceptions import BadRequest, TooManyFieldsSent
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.utils.html import format_html

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


class DatabaseUnavailableMiddleware:
    """Answer 503 with a friendly page and Retry-After when the database cannot serve the request.

    That is an outage (the server or the file cannot be reached) or a fault that passes by itself
    (a write lock held past the busy timeout, a full disk): each is the operator's to fix or to
    wait out, never the visitor's, so none is a 500. After an outage the broken connection is
    closed so the next request opens a fresh one instead of failing on a stale handle.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        return database_unavailable_response(request, exception)


def database_unavailable_response(request, exception):
    """The 503 for a database fault that is not the request's doing, or None for any other exception."""
    fault = database_fault(exception)
    if fault is None:
        return None
    name = type(exception).__name__
    logger.error("Database unavailable on %s %s (%s): %s: %s", request.method, request.path, fault, name, exception)
    if fault == OUTAGE:
        close_broken_connections()
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def close_broken_connections():
    """After an outage: close the connections, so the next request opens a fresh one.

    A PostgreSQL pool waits longer and longer between reconnections while the server is gone; a
    new pool connects at the next request, so the first one after the outage succeeds. Requests
    still waiting on the old pool get the same 503.
    """
    for connection in connections.all(initialized_only=True):
        try:
            connection.close()
            if getattr(connection, "pool", None) is not None:
                connection.close_pool()
        except DatabaseError:
            pass


def pool_exhausted(exception):
    """Whether `exception` is a wait for a pooled connection that timed out while every connection the
    pool may hold is lent and it has never failed to connect: the app is busy, the database is fine.

    Closing the pool then, as after an outage, would fail every request still waiting on it at once
    (seen in `make bench` on PostgreSQL: 4 timeouts during 32 simultaneous exports became 24 errors).
    A pool that has failed to connect, or holds fewer connections than it may, is met by an outage
    (psycopg's pool counts a connection it is still trying to open as held, hence the errors).
    """
    if type(exception.__cause__).__name__ != "PoolTimeout":
        return False
    for connection in connections.all(initialized_only=True):
        pool = getattr(connection, "pool", None)
        if pool is not None:
            stats = pool.get_stats()
            lent = stats["pool_size"] >= stats["pool_max"] and not stats["pool_available"]
            return lent and not stats.get("connections_errors")
    return False


OUTAGE, BUSY, FULL = "outage", "busy", "full"
# Matched in the lower-cased message; SQLite has no error codes in Python 3.11's exceptions.
FAULT_PHRASES = {
    OUTAGE: (
        "connection",
        "could not connect",
        "server closed",
        "terminating",
        "unable to open database",
        "the database system is",
        "couldn't get a connection",  # the pool's PoolTimeout while it cannot connect (`pool_exhausted`)
        "is already closed",  # the pool's PoolClosed: closed by the request that met the outage
        "' is closed",  # the same, met while waiting for a connection ("the pool 'pool-1' is closed")
    ),
    BUSY: ("database is locked", "database table is locked"),
    FULL: ("database or disk is full", "disk i/o error", "no space left on device", "could not extend file"),
}
# PostgreSQL's SQLSTATE classes: 08 connection exception, 53 insufficient resources (53100 disk
# full, 53200 out of memory, 53300 too many connections), 57P admin or crash shutdown.
SQLSTATE_FAULTS = (("08", OUTAGE), ("57P", OUTAGE), ("53", FULL))


def database_fault(exception):
    """OUTAGE, BUSY or FULL for a database fault that passes without a change to the code, else None.

    A constraint, a syntax error or a missing table is a bug (or a missing `migrate`): a 500.
    """
    if not isinstance(exception, (OperationalError, InterfaceError)):
        return None
    if pool_exhausted(exception):
        return BUSY
    sqlstate = getattr(exception.__cause__, "sqlstate", None) or ""
    for prefix, fault in SQLSTATE_FAULTS:
        if sqlstate.startswith(prefix):
            return fault
    message = str(exception).lower()
    for fault, phrases in FAULT_PHRASES.items():
        if any(phrase in message for phrase in phrases):
            return fault
    return None


class PageCompressionMiddleware(GZipMiddleware):
    """Django's GZipMiddleware at `PAGE_GZIP_LEVEL` for pages (streamed responses, the CSV exports,
    are left to it, at its level 6).

    Django compresses at level 6, which took about as long as making a lesson page: 1.4 ms of a
    38 KB lesson, against 0.2 ms at level 1 (nginx's default level), for a page 16% larger
    (bench/README.md). Kept from Django: the random-length file name against BREACH, the Vary
    header, the weak ETag, and nothing compressed that does not shrink.

    A response may bring its page compressed already, as `response.gzipped`: a kept page
    (`lessons.pages`) compressed once when it was kept, in parts (`compress_parts`), with this
    response's CSRF token compressed on its own between them (`join_compressed`). No compressed
    part holds both a secret and anything else, so the length of a response says nothing of its
    secret to BREACH, and such a page goes without the random bytes."""

    def process_response(self, request, response):
        if response.streaming or len(response.content) < 200 or response.has_header("Content-Encoding"):
            return super().process_response(request, response)
        patch_vary_headers(response, ("Accept-Encoding",))
        if not re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            return response
        compressed = getattr(response, "gzipped", None) or _gzip(response.content, self.max_random_bytes)
        if len(compressed) >= len(response.content):
            return response
        response.content = compressed
        response.headers["Content-Length"] = str(len(compressed))
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag
        response.headers["Content-Encoding"] = "gzip"
        return response


def compress_page(content):
    """A page's bytes as one gzip member at `PAGE_GZIP_LEVEL`."""
    return gzip.compress(content, compresslevel=settings.PAGE_GZIP_LEVEL, mtime=0)


# A gzip member's header (no name, no time, unknown system) and the empty last block of a deflate stream.
GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
LAST_BLOCK = b"\x03\x00"


def compress_parts(parts):
    """Each of `parts` (bytes) compressed on its own, at `PAGE_GZIP_LEVEL`, as deflate blocks that end on
    a byte boundary and refer to nothing before them: `join_compressed` makes one gzip member of them."""
    compressed = []
    for part in parts:
        compressor = zlib.compressobj(settings.PAGE_GZIP_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
        compressed.append(compressor.compress(part) + compressor.flush(zlib.Z_SYNC_FLUSH))
    return compressed


def join_compressed(compressed, content):
    """One gzip member of `content` from its parts, each compressed by `compress_parts`, in order."""
    trailer = struct.pack("<II", zlib.crc32(content), len(content) & 0xFFFFFFFF)
    return GZIP_HEADER + b"".join(compressed) + LAST_BLOCK + trailer


def _gzip(content, max_random_bytes):
    """As `django.utils.text.compress_string`, at `PAGE_GZIP_LEVEL`: a gzip member whose header names a
    file of 0 to `max_random_bytes` - 1 bytes, so that the length of a response says nothing of its secrets."""
    data = compress_page(content)
    header = bytearray(data[:10])
    header[3] = gzip.FNAME
    return bytes(header) + b"a" * secrets.randbelow(max_random_bytes) + b"\x00" + data[10:]


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
        charset = request.content_params.get("charset")
        if charset is not None and charset.lower() != "utf-8":
            # Django refuses such a urlencoded body with BadRequest only when it is read, which the
            # CSRF check of the 400 page does again: a 500. Refuse it first, and say why.
            return _problem(415, "Not UTF-8", f"Send the form as UTF-8 (charset=utf-8), not charset={charset}.")
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
        except (BadRequest, MultiPartParserError, TooManyFieldsSent):
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
