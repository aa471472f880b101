from django.urls import path

from exercises import account_views, views

urlpatterns = [
    path("exercises/", views.exercise_list, name="exercises"),
    path("exercises/<slug:slug>/", views.exercise_detail, name="exercise"),
    path("exercises/<slug:slug>/submit/", views.exercise_submit, name="exercise_submit"),
    path("exercises/<slug:slug>/attempts/<int:attempt_id>/", views.attempt_detail, name="attempt"),
    path("progress/", views.progress, name="progress"),
    path("accounts/signup/", account_views.signup, name="signup"),
    path("accounts/login/", account_views.login_view, name="login"),
    path("accounts/logout/", account_views.logout_view, name="logout"),
    path("accounts/password/", account_views.password_change, name="password_change"),
]
