from django.urls import path

from courses import views

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
    path("<slug:slug>/exercises/<slug:exercise_slug>/", views.course_exercise, name="course_exercise"),
    path("<slug:slug>/students/<int:user_id>/", views.course_student, name="course_student"),
    path("<slug:slug>/students/<int:user_id>/remove/", views.remove_student, name="course_remove_student"),
    path("<slug:slug>/export/progress.csv", views.export_progress, name="course_export_progress"),
    path("<slug:slug>/export/answers.csv", views.export_answers, name="course_export_answers"),
    path("<slug:slug>/objections/", views.course_objections, name="course_objections"),
    path("<slug:slug>/objections/<int:pk>/decide/", views.decide_course_objection, name="course_objection_decide"),
]
