from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from courses.models import Course


@require_safe
@never_cache
def healthz(request):
    """200 when the database answers a query, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        connection.close()
        response = HttpResponse("database unavailable\n", status=503, content_type="text/plain")
        response["Retry-After"] = "30"
        return response
    return HttpResponse("ok\n", content_type="text/plain")


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
    with_work = list(Course.objects.for_user(request.user).filter(assignments__isnull=False).distinct()[:2])
    if len(with_work) == 1:
        return redirect(with_work[0])
    if with_work:
        return redirect("courses")
    return redirect("progress")
