from django.urls import path

from courses import authoring_views, own_views, views

urlpatterns = [
    path("", views.course_list, name="courses"),
    path("new/", views.course_new, name="course_new"),
    path("join/", views.join, name="join"),
    path("join/<str:code>/", views.join_link, name="join_link"),
    path("invitations/<int:pk>/accept/", views.accept_invitation, name="accept_invitation"),
    path("invitations/<int:pk>/decline/", views.decline_invitation, name="decline_invitation"),
    path("<slug:slug>/", views.course_detail, name="course"),
    path("<slug:slug>/code/", views.regenerate_code, name="course_regenerate_code"),
    path("<slug:slug>/instructors/", views.add_instructor, name="course_add_instructor"),
    path("<slug:slug>/invitations/<int:pk>/withdraw/", views.withdraw_invitation, name="course_withdraw_invitation"),
    path("<slug:slug>/assignments/", views.assignments, name="course_assignments"),
    # The course's own exercises: written by its instructors (before the guide's exercises' analytics,
    # whose slugs "new" and "import" cannot shadow), done by its students under /own/.
    path("<slug:slug>/exercises/new/", authoring_views.exercise_new, name="course_exercise_new"),
    path("<slug:slug>/exercises/import/", authoring_views.exercise_import, name="course_exercise_import"),
    path("<slug:slug>/exercises/<slug:exercise_slug>/", views.course_exercise, name="course_exercise"),
    path("<slug:slug>/own/", own_views.own_exercises, name="course_own_exercises"),
    path("<slug:slug>/own/<slug:exercise_slug>/", own_views.own_exercise, name="course_own_exercise"),
    path("<slug:slug>/own/<slug:exercise_slug>/submit/", own_views.own_submit, name="course_own_submit"),
    path(
        "<slug:slug>/own/<slug:exercise_slug>/attempts/<int:attempt_id>/",
        own_views.own_attempt,
        name="course_own_attempt",
    ),
    path(
        "<slug:slug>/own/<slug:exercise_slug>/attempts/<int:attempt_id>/objections/",
        own_views.own_contest,
        name="course_own_contest",
    ),
    path("<slug:slug>/own/<slug:exercise_slug>/results/", own_views.own_results, name="course_own_results"),
    path("<slug:slug>/own/<slug:exercise_slug>/edit/", authoring_views.exercise_edit, name="course_exercise_edit"),
    path(
        "<slug:slug>/own/<slug:exercise_slug>/preview/",
        authoring_views.exercise_preview,
        name="course_exercise_preview",
    ),
    path(
        "<slug:slug>/own/<slug:exercise_slug>/publish/",
        authoring_views.exercise_publish,
        name="course_exercise_publish",
    ),
    path(
        "<slug:slug>/own/<slug:exercise_slug>/delete/", authoring_views.exercise_delete, name="course_exercise_delete"
    ),
    path(
        "<slug:slug>/own/<slug:exercise_slug>/export.toml",
        authoring_views.exercise_export,
        name="course_exercise_export",
    ),
    path("<slug:slug>/students/<int:user_id>/", views.course_student, name="course_student"),
    path("<slug:slug>/students/<int:user_id>/remove/", views.remove_student, name="course_remove_student"),
    path("<slug:slug>/export/progress.csv", views.export_progress, name="course_export_progress"),
    path("<slug:slug>/export/answers.csv", views.export_answers, name="course_export_answers"),
    path("<slug:slug>/objections/", views.course_objections, name="course_objections"),
    path("<slug:slug>/objections/<int:pk>/decide/", views.decide_course_objection, name="course_objection_decide"),
]
