from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = "Courses, instructors and class results"

    def ready(self):
        from courses.models import CourseScopes  # noqa: PLC0415 (models load after the app registry)
        from exercises import scopes  # noqa: PLC0415

        scopes.register(CourseScopes())
