from django.apps import AppConfig


class QuestionsConfig(AppConfig):
    name = "questions"
    verbose_name = "Questions and answers on the guide"

    def ready(self):
        # The course dashboard's count of the class's questions: courses knows nothing of this app.
        from courses import panels
        from questions.moderation_views import course_panel

        panels.register(course_panel)
