from django.urls import path

from lessons import views

urlpatterns = [
    path("", views.home, name="home"),
    path("lessons/", views.lesson_list, name="lessons"),
    path("lessons/<slug:slug>/", views.lesson_detail, name="lesson"),
    path("papers/", views.paper_list, name="papers"),
    path("papers/compare/", views.compare, name="compare"),
    path("papers/<slug:slug>/", views.paper_detail, name="paper"),
]
