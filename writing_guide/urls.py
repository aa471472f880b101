from django.urls import include, path

from writing_guide import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("start/", views.start, name="start"),
    path("", include("lessons.urls")),
    path("", include("exercises.urls")),
    path("courses/", include("courses.urls")),
]
