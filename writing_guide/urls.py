from django.urls import include, path

from courses import views as course_views
from questions import moderation_views as question_moderation
from writing_guide import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("start/", views.start, name="start"),
    path("", include("lessons.urls")),
    path("", include("exercises.urls")),
    path("", include("drafts.urls")),
    # A course's questions, for its instructors: served by the questions app (courses does not import it).
    path("courses/<slug:slug>/questions/", question_moderation.course_questions, name="course_questions"),
    path("courses/", include("courses.urls")),
    path("questions/", include("questions.urls")),
    # Objections from self-study, for the site's content editors (a course's are under its own pages).
    path("objections/", course_views.self_study_objections, name="objections"),
    path("objections/<int:pk>/decide/", course_views.decide_self_study_objection, name="objection_decide"),
]

handler500 = views.server_error
