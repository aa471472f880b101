"""Whole pages kept for visitors: what a reader with no session sees of the guide, made once per process.

A lesson, a paper, an exercise, the home page and the lists are the same for everyone who is not
signed in and has no message waiting: they are made from the guide alone. For such a request (a GET
with no session and no messages cookie, no query string, not from htmx) `VisitorPageMiddleware`
looks the page up under the guide's version, read from the database on every request (one row), so
a reload shows at once in every process (the one cache rule: `lessons.loader.new_guide_version`).
On a miss the page is made as usual and kept if it is a 200 that holds nothing of the visitor's: no
cookie set, no session written, no CSRF token but through the marker below. Only the pages of views
marked `@kept_for_visitors` are looked up or kept; every other request passes by without a query.

A form's CSRF token is the visitor's own. While a page that may be kept is made, the template's
`csrf_token` is a marker (`visitor_csrf_token`, a context processor), and on the way out of every
such page, kept or just made, the marker becomes this visitor's token (and CsrfViewMiddleware, just
before, sets its cookie). A page with no token is compressed once, when it is kept: the same for
everyone and reflecting nothing of the request, it needs none of the random padding against BREACH
that every page holding a secret gets.

The middleware sits just after the CSRF middleware, so a kept page costs the version's row, a cache
read, and the middlewares before it (security headers, compression, the session's and the CSRF
cookie's checks), which still run on every response.
"""

import hashlib
import secrets

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import Resolver404, resolve
from django.utils.cache import patch_vary_headers

from lessons.models import Lesson
from writing_guide.middleware import compress_page, database_unavailable_response

CACHE = "pages"
SECONDS = 86400
# Where a kept page's forms take the visitor's CSRF token: new in every process, so no text can
# carry it from elsewhere (a kept page holds only the guide's, in any case).
CSRF_MARKER = f"visitor-csrf-token-{secrets.token_hex(16)}"


def kept_for_visitors(view):
    """Mark a view whose page, for a visitor with no session, depends only on the guide and the URL."""
    view.kept_for_visitors = True
    return view


_version_sql = None


def guide_version():
    """The version of the loaded guide (every load writes it on every lesson), or None before any load.

    Read with SQL compiled once per process: the ORM would take longer to build the query than the
    database takes to answer it.
    """
    global _version_sql
    if _version_sql is None:
        query = Lesson.objects.order_by().values_list("guide_version", flat=True)[:1].query
        _version_sql = query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(*_version_sql)
        row = cursor.fetchone()
    return row[0] if row and row[0] else None


def visitor_csrf_token(request):
    """Context processor: while a page that may be kept is made, forms get the marker for their token."""
    return {"csrf_token": CSRF_MARKER} if getattr(request, "making_visitor_page", False) else {}


class VisitorPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.private_cookies = {settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name}

    def __call__(self, request):
        try:
            key = self.key(request)
        except DatabaseError as error:
            # Answered here as a view's fault would be (a view would only meet it again, after as long).
            response = database_unavailable_response(request, error)
            if response is None:
                raise
            return response
        if key is None:
            return self.get_response(request)
        kept = caches[CACHE].get(key)
        if kept is not None:
            content, gzipped, headers = kept
            response = HttpResponse(content, headers=headers)
            response.gzipped = gzipped  # compressed when it was kept (PageCompressionMiddleware)
        else:
            request.making_visitor_page = True
            response = self.get_response(request)
            if self.may_keep(request, response):
                gzipped = None if CSRF_MARKER.encode() in response.content else compress_page(response.content)
                caches[CACHE].set(key, (response.content, gzipped, dict(response.headers)), SECONDS)
        patch_vary_headers(response, ("Cookie",))  # a signed-in reader gets another page
        return with_visitor_token(request, response)

    def key(self, request):
        """The page's key, or None when this request's page is not the same for every visitor."""
        if not settings.CONTENT_CACHES:
            return None
        if request.method != "GET" or request.META.get("QUERY_STRING") or "HTTP_HX_REQUEST" in request.META:
            return None
        if self.private_cookies & request.COOKIES.keys():
            return None
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        if not getattr(match.func, "kept_for_visitors", False):
            return None
        version = guide_version()
        if version is None:
            return None
        where = f"{request.scheme}://{request.get_host()}{request.path}"
        return f"page:{version}:{hashlib.sha256(where.encode()).hexdigest()}"

    @staticmethod
    def may_keep(request, response):
        """Whether the page holds nothing of this visitor's: no cookie set, no session written, and no CSRF
        token (`get_token` flags the request) but the marker."""
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not request.session.modified
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        )


def with_visitor_token(request, response):
    """The response with this visitor's CSRF token where a form has the marker."""
    marker = CSRF_MARKER.encode()
    if response.streaming or marker not in response.content:
        return response
    response.content = response.content.replace(marker, get_token(request).encode())
    if response.has_header("Content-Length"):
        response.headers["Content-Length"] = str(len(response.content))
    return response
