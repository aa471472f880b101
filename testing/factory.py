"""A tiny hand-written factory for test data (used by the test suite, the benchmark and the stress runs)."""

from django.contrib.auth import get_user_model

from courses.models import Course, CourseScope
from exercises.models import Attempt, Learner, Objection, Verdict

PASSWORD = "a-long-test-password-42"  # noqa: S105 (test accounts only)


class Factory:
    def user(self, username, password=PASSWORD):
        return get_user_model().objects.create_user(username=username, password=password)

    def course(self, instructor, title="Writing 101"):
        return Course.create_for(instructor, title)

    def learner(self, user=None):
        return Learner.objects.get_or_create(user=user)[0] if user else Learner.objects.create()

    def answers(self, exercise, right=True, label_slug=None):
        """POST data for `exercise`: every sentence right, or every sentence labelled `label_slug`."""
        data = {"version": exercise.version}
        for sentence in exercise.sentences.select_related("label"):
            data[sentence.field_name] = label_slug or (sentence.label.slug if right else _a_wrong_label(sentence))
        return data

    def attempt(self, learner, exercise, right=True, course=None, label_slug=None):
        """Record an attempt directly: all right, or all wrong (or every sentence `label_slug`), made
        on one's own or for `course` (as if opened from its page)."""
        labels = {label.slug: label for label in exercise.label_set.moves.all()}
        data = self.answers(exercise, right=right, label_slug=label_slug)
        choices = {s.pk: labels[data[s.field_name]] for s in exercise.sentences.all()}
        scope = CourseScope(course) if course is not None else None
        return Attempt.objects.record(learner.pk, exercise, exercise.grade(choices, scope), scope)

    def objection(self, attempt, reason="My label fits: the sentence does both."):
        """An open objection to the first wrong answer of `attempt`."""
        answer = attempt.answers.filter(verdict=Verdict.WRONG).select_related("attempt").first()
        return Objection.objects.raise_for(answer, reason)


def _a_wrong_label(sentence):
    accepted = {sentence.label.slug, *sentence.also_accepted}
    return next(m.slug for m in sentence.exercise.label_set.moves.all() if m.slug not in accepted)
