from django.apps import AppConfig


class ExercisesConfig(AppConfig):
    name = "exercises"
    verbose_name = "Exercises and attempts"

    def ready(self):
        # A signed-in reader's kept pages change with their practice (lessons.pages).
        from exercises.learners import learner_version, reader_state
        from lessons.pages import register_reader_state

        register_reader_state(learner_version, reader_state)
