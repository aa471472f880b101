"""Whole pages kept per process: what a visitor with no session sees of the guide, made once for everyone,
and what a signed-in reader sees of their own practice, made once until something on it changes.

Visitors. A lesson, a paper, an exercise, the home page and the lists are the same for everyone who
is not signed in and has no message waiting: they are made from the guide alone. For such a request
(a GET with no session and no messages cookie, no query string, not from htmx) `KeptPageMiddleware`
looks the page up under the guide's version, read from the database on every request (one row), so
a reload shows at once in every process (the one cache rule: `lessons.loader.new_guide_version`).

Readers. A signed-in reader's exercise list, exercise page and progress page are theirs alone, and
are looked up under their account (id and name), the guide's version, and what the apps that show
something of theirs on those pages register with `register_reader_state`: a value read from the
database (the exercises app: the learner and its `results_version`, which the database moves on every
write to their attempts, answers and objections; the questions app: whether an answer waits unread),
made into a short text that changes whenever what they show changes, or None when the page is not to
be kept now (while answers wait unread). The guide's version and every app's value are read in one
SELECT after the session and the user: three round trips to the database for a kept page. A reader
with a message waiting gets their page made.

On a miss the page is made as usual and kept if it is a 200 that holds nothing of this request's own:
no cookie set, no session written, no CSRF token but through the marker below. Only the pages of
views marked `@kept_for_visitors` or `@kept_for_readers` are looked up or kept; every other request
passes by without a query.

A form's CSRF token is the reader's own. While a page that may be kept is made, the template's
`csrf_token` is a marker (`kept_page_csrf_token`, a context processor), and on the way out of every
such page, kept or just made, the marker becomes this request's token (and CsrfViewMiddleware sets
its cookie). A kept page is compressed once, in the parts between its markers; each response's token
is compressed on its own between them (`writing_guide.middleware.join_compressed`), so no compressed
part holds a secret beside anything else, and BREACH has nothing to compare.
"""

import functools
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import SESSION_KEY as AUTH_SESSION_KEY
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.session import SessionStorage
from django.core.cache import caches
from django.db import DatabaseError
from django.db.models import Subquery
from django.http import HttpResponse
from django.urls import Resolver404, get_urlconf, resolve
from django.utils.cache import patch_vary_headers
from django.utils.functional import SimpleLazyObject

from lessons.models import Lesson
from writing_guide.compiled import SAMPLE_ID, CompiledQuery
from writing_guide.csrf import get_token
from writing_guide.middleware import compress_parts, database_unavailable_response, join_compressed

SECONDS = 86400
# Where a kept page's forms take the reader's CSRF token: new in every process, so no text can
# carry it from elsewhere.
CSRF_MARKER = f"kept-page-csrf-token-{secrets.token_hex(16)}"


def kept_for_visitors(view):
    """Mark a view whose page, for a visitor with no session, depends only on the guide and the URL."""
    view.kept_for_visitors = True
    return view


def kept_for_readers(view):
    """Mark a view whose page, for a signed-in reader, depends only on the guide, the URL, the account
    and what the apps register with `register_reader_state`. Such a view is kept for visitors too."""
    view.kept_for_readers = True
    return kept_for_visitors(view)


@dataclass(frozen=True)
class ReaderState:
    """What an app shows of a reader on the kept pages. `reads(user_id)`: a `values_list` of one column
    whose first row's value (None without a row) is read for the account, in one SELECT with every
    other app's and the guide's version; `text(request, value)`: a text that changes whenever anything
    the app shows on those pages for that account changes, or None to have the page made this time."""

    reads: Callable
    text: Callable


_reader_states = []
_reader_values = None  # the compiled SELECT of the guide's version and every state's value


def register_reader_state(reads, text):
    """Key readers' kept pages on a `ReaderState(reads, text)` too (see `ReaderState`). Called from an
    `AppConfig.ready()`; registering the same twice is harmless."""
    global _reader_values
    state = ReaderState(reads, text)
    if state not in _reader_states:
        _reader_states.append(state)
        _reader_values = None
    return state


def _values_query(user_id):
    columns = {f"reader_{n}": Subquery(state.reads(user_id)[:1]) for n, state in enumerate(_reader_states)}
    return Lesson.objects.order_by().annotate(**columns).values_list("guide_version", *columns)[:1]


def reader_values(user_id):
    """(the guide's version, each registered state's value) for account `user_id`, from one SELECT
    compiled once per process; None before any load of the guide."""
    global _reader_values
    if _reader_values is None:
        _reader_values = CompiledQuery(_values_query, SAMPLE_ID)
    rows = _reader_values.rows(user_id)
    return rows[0] if rows else None


# Read with SQL compiled once per process (`writing_guide.compiled`): the ORM would take longer to build
# the query than the database takes to answer it.
_version = CompiledQuery(lambda: Lesson.objects.order_by().values_list("guide_version")[:1])


def guide_version(request=None):
    """The version of the loaded guide (every load writes it on every lesson), or None before any load.

    Read once per request, given the request (a view reads it after this module's middleware did).
    """
    if request is not None:
        if not hasattr(request, "_guide_version"):
            request._guide_version = guide_version()
        return request._guide_version
    rows = _version.rows()
    return rows[0][0] if rows and rows[0][0] else None


def kept_page_csrf_token(request):
    """Context processor: forms' CSRF token (`writing_guide.csrf`, made when a form asks for it), or the
    marker for it while a page that may be kept is made."""
    if getattr(request, "making_kept_page", False):
        return {"csrf_token": CSRF_MARKER}
    return {"csrf_token": SimpleLazyObject(lambda: get_token(request))}


class KeptPage:
    """A page as kept: its bytes in the parts between its token markers, each part also compressed."""

    def __init__(self, content, headers):
        self.parts = content.split(CSRF_MARKER.encode())
        self.compressed = compress_parts(self.parts)
        self.headers = headers
        # The same bytes for everyone: the whole gzip member made once.
        self.gzipped = join_compressed(self.compressed, content) if len(self.parts) == 1 else None

    def response(self, request):
        if self.gzipped is not None:
            response = HttpResponse(self.parts[0], headers=self.headers)
            response.gzipped = self.gzipped
            return response
        token = get_token(request).encode()
        content = token.join(self.parts)
        compressed_token = compress_parts([token])[0]
        compressed = [self.compressed[0]]
        for part in self.compressed[1:]:
            compressed += [compressed_token, part]
        response = HttpResponse(content, headers=self.headers)
        response.gzipped = join_compressed(compressed, content)
        return response


# The app's own addresses are short; a longer path is resolved every time, so nobody can fill the memo
# with long made-up paths.
_MEMO_PATH_LENGTH = 200


def _kept_view(path, urlconf):
    """Whether the view at `path` is kept for visitors, and for readers."""
    return _resolved_kept_view(path, urlconf) if len(path) <= _MEMO_PATH_LENGTH else _kept_view_of(path, urlconf)


def _kept_view_of(path, urlconf):
    try:
        view = resolve(path, urlconf).func
    except Resolver404:
        return False, False
    return getattr(view, "kept_for_visitors", False), getattr(view, "kept_for_readers", False)


# Resolved once per path (and URLconf) in a process: resolving took a twelfth of a kept page.
_resolved_kept_view = functools.lru_cache(maxsize=4096)(_kept_view_of)


class KeptPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.private_cookies = {settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name}

    def __call__(self, request):
        try:
            where = self.key(request)
        except DatabaseError as error:
            # Answered here as a view's fault would be (a view would only meet it again, after as long).
            response = database_unavailable_response(request, error)
            if response is None:
                raise
            return response
        if where is None:
            return self.get_response(request)
        cache, key = where
        kept = caches[cache].get(key)
        if kept is not None:
            response = kept.response(request)
        else:
            request.making_kept_page = True
            response = self.get_response(request)
            if self.may_keep(request, response):
                kept = KeptPage(response.content, dict(response.headers))
                caches[cache].set(key, kept, SECONDS)
            response = with_token(request, response)
        patch_vary_headers(response, ("Cookie",))  # another reader gets another page
        return response

    def key(self, request):
        """(cache, key) of this request's page, or None when it is not kept."""
        if not settings.CONTENT_CACHES:
            return None
        if request.method != "GET" or request.META.get("QUERY_STRING") or "HTTP_HX_REQUEST" in request.META:
            return None
        for_visitors, for_readers = _kept_view(request.path_info, get_urlconf())
        if not for_visitors:
            return None
        where = f"{request.scheme}://{request.get_host()}{request.path}"
        where = hashlib.sha256(where.encode()).hexdigest()
        if not (self.private_cookies & request.COOKIES.keys()):
            version = guide_version(request)
            return ("pages", f"page:{version}:{where}") if version else None
        if not for_readers or CookieStorage.cookie_name in request.COOKIES:
            return None
        reader = self.reader(request)
        if reader is None:
            return None
        version = guide_version(request)
        return ("reader_pages", f"reader:{version}:{reader}:{where}") if version else None

    @staticmethod
    def reader(request):
        """What keys a signed-in reader's pages (see the module's docstring), or None."""
        session = request.session
        if session.get(AUTH_SESSION_KEY) is None or SessionStorage.session_key in session:
            return None
        user = request.user  # checked as every page checks it: an account that is active, the session still valid
        if not user.is_authenticated:
            return None
        values = reader_values(user.pk)
        if values is None:
            return None
        request._guide_version = values[0] or None  # as `guide_version(request)` reads it
        states = [user.pk, user.get_username()]
        for state, value in zip(_reader_states, values[1:], strict=True):
            text = state.text(request, value)
            if text is None:
                return None
            states.append(text)
        return hashlib.sha256(repr(states).encode()).hexdigest()

    @staticmethod
    def may_keep(request, response):
        """Whether the page holds nothing of this request's own: no cookie set, no session written, and no
        CSRF token (`get_token` flags the request) but the marker."""
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not request.session.modified
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        )


def with_token(request, response):
    """The response with this request's CSRF token where a form has the marker."""
    marker = CSRF_MARKER.encode()
    if response.streaming or marker not in response.content:
        return response
    response.content = response.content.replace(marker, get_token(request).encode())
    if response.has_header("Content-Length"):
        response.headers["Content-Length"] = str(len(response.content))
    return response
