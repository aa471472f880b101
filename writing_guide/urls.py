from django.urls import include, path

from writing_guide import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("start/", views.start, name="start"),
    path("", include("lessons.urls")),
    path("", include("exercises.urls")),
    path("", include("drafts.urls")),
    path("courses/", include("courses.urls")),
]

handler500 = views.server_error
