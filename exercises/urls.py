from django.urls import path

from exercises import account_views, views

urlpatterns = [
    path("exercises/", views.exercise_list, name="exercises"),
    path("exercises/<slug:slug>/", views.exercise_detail, name="exercise"),
    path("exercises/<slug:slug>/submit/", views.exercise_submit, name="exercise_submit"),
    path("exercises/<slug:slug>/attempts/<int:attempt_id>/", views.attempt_detail, name="attempt"),
    path("exercises/<slug:slug>/attempts/<int:attempt_id>/objections/", views.contest, name="contest"),
    path("progress/", views.progress, name="progress"),
    path("accounts/signup/", account_views.signup, name="signup"),
    path("accounts/login/", account_views.login_view, name="login"),
    path("accounts/logout/", account_views.logout_view, name="logout"),
    path("accounts/", account_views.account, name="account"),
    path("accounts/password/", account_views.password_change, name="password_change"),
    path("accounts/password/reset/", account_views.password_reset, name="password_reset"),
    path("accounts/password/reset/sent/", account_views.password_reset_done, name="password_reset_done"),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        account_views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("accounts/password/reset/done/", account_views.password_reset_complete, name="password_reset_complete"),
]
