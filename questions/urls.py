from django.urls import path

from questions import moderation_views, views

urlpatterns = [
    # Reading, asking and answering (views.py)
    # Moderation: reports, hiding, review, pinning and closing (moderation_views.py)
]
