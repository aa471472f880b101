from django.apps import AppConfig


class LessonsConfig(AppConfig):
    name = "lessons"
    verbose_name = "The guide: layout, papers, excerpts and lessons"
