from django.urls import path

from questions import moderation_views, preference_views, views

urlpatterns = [
    # Reading, asking and answering (views.py)
    path("", views.question_list, name="questions"),
    path("on/<slug:place>/<slug:slug>/", views.questions_on, name="questions_on"),
    path("on/<slug:place>/<slug:slug>/ask/", views.question_ask, name="question_ask"),
    path("<int:pk>/", views.question_detail, name="question"),
    path("<int:pk>/answer/", views.question_answer, name="question_answer"),
    path("<int:pk>/helpful/", views.question_helpful, name="question_helpful"),
    path("<int:pk>/edit/", views.question_edit, name="question_edit"),
    path("<int:pk>/delete/", views.question_delete, name="question_delete"),
    path("answers/<int:pk>/edit/", views.reply_edit, name="reply_edit"),
    path("answers/<int:pk>/delete/", views.reply_delete, name="reply_delete"),
    # Moderation: reports, hiding, review, pinning and closing (moderation_views.py)
    path("<int:pk>/report/", moderation_views.question_report, name="question_report"),
    path("answers/<int:pk>/report/", moderation_views.reply_report, name="reply_report"),
    path("<int:pk>/hide/", moderation_views.question_hide, name="question_hide"),
    path("answers/<int:pk>/hide/", moderation_views.reply_hide, name="reply_hide"),
    path("<int:pk>/show/", moderation_views.question_show, name="question_show"),
    path("answers/<int:pk>/show/", moderation_views.reply_show, name="reply_show"),
    path("<int:pk>/pin/", moderation_views.question_pin, name="question_pin"),
    path("<int:pk>/close/", moderation_views.question_close, name="question_close"),
    path("review/", moderation_views.questions_review, name="questions_review"),
    # Preferences: email for answers, off by default (preference_views.py)
    path("preferences/", preference_views.preferences, name="question_preferences"),
]
