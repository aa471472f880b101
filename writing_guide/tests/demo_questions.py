"""Questions, answers, a report and a preference added to the demo class, so a backup holds every kind
of row the questions app writes (see test_backup_restore). Run in the process connected to the
database to fill."""

from courses.demo import DEMO_COURSE_SLUG
from courses.models import Course
from lessons.models import Lesson
from questions.models import Place, Preferences, Question


def add_questions():
    """In the demo class: a question asked to the course, answered by its instructor (the answer that
    helped), pinned; one asked to everyone with an answer a classmate reported and the instructor hid.
    The first student chose an email for each answer."""
    course = Course.objects.get(slug=DEMO_COURSE_SLUG)
    instructor = course.instructors().first()
    first, second = course.students()[:2]
    lesson = Lesson.objects.order_by("pk").first()

    to_course = Question.ask(first, Place.LESSON, lesson, "Why is the gap first?", "It reads *late*.", course=course)
    helped = to_course.answer(instructor, "The gap makes the aim needed.", as_instructor=True)
    to_course.mark_helpful(helped)
    to_course.set_pinned(True)
    to_everyone = Question.ask(second, Place.LESSON, lesson, "Is a hedge a move?", "When it softens a claim.")
    rude = to_everyone.answer(first, "Read the lesson.")
    rude.report(second, "Rude to the asker.")
    rude.hide(instructor, "Be kind: say what in the lesson answers it.")
    Preferences.objects.create(user=first, email_answers=True)
