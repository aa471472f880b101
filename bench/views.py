"""The second baseline: a bare view doing one SELECT and one INSERT, through the full middleware."""

from django.db import connection
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods


@csrf_exempt
@require_http_methods(["GET", "POST"])
def baseline(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, slug FROM exercises_exercise WHERE slug = %s", ["lee-2016-abstract"])
        row = cursor.fetchone()
        cursor.execute("INSERT INTO bench_hit (created) VALUES (%s)", [timezone.now().isoformat()])
    return HttpResponse(f"ok {row[0] if row else '-'}\n", content_type="text/plain")
