"""The app's own URLs plus the benchmark's baseline view (served only by bench/wsgi.py)."""

from django.urls import include, path

from bench import views

urlpatterns = [
    path("bench/baseline/", views.baseline, name="bench_baseline"),
    path("", include("writing_guide.urls")),
]
