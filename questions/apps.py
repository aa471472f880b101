from django.apps import AppConfig


class QuestionsConfig(AppConfig):
    name = "questions"
    verbose_name = "Questions and answers on the guide"

    def ready(self):
        # The course dashboard's count of the class's questions: courses knows nothing of this app.
        from courses import panels
        from lessons.pages import register_reader_state
        from questions.moderation_views import course_panel
        from questions.notifications import any_unseen_answer, reader_state

        panels.register(course_panel)
        # Every signed-in page shows the reader's unread answers: their kept pages wait until they are read.
        register_reader_state(any_unseen_answer, reader_state)
