"""A demo class so a newcomer sees a populated dashboard at once (DEBUG runs only)."""

import random

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from courses.models import Course
from exercises.models import Attempt, Exercise, Learner

DEMO_INSTRUCTOR = "demo-instructor"
DEMO_STUDENTS = ["ada", "ben", "chen", "dara", "eli", "fatima"]
DEMO_COURSE_SLUG = "demo-class"


def simulated_grade(exercise, rng, skill):
    """Grade a made-up set of answers: each sentence right with probability `skill`."""
    sentences = list(exercise.sentences.select_related("label"))
    labels = list(exercise.label_set.moves.all())
    choices = {}
    for sentence in sentences:
        wrong = [label for label in labels if label.pk != sentence.label_id]
        choices[sentence.pk] = sentence.label if rng.random() < skill or not wrong else rng.choice(wrong)
    return exercise.grade(choices)


@transaction.atomic
def load_demo():
    """Create (once) the demo instructor, students, course and attempts. Returns the course."""
    users = get_user_model().objects
    instructor, created = users.get_or_create(username=DEMO_INSTRUCTOR)
    if created:
        instructor.set_password(settings.DEMO_PASSWORD)
        instructor.save()
    course = Course.objects.filter(slug=DEMO_COURSE_SLUG).first()
    if course is None:
        course = Course.create_for(instructor, "Demo class")
        Course.objects.filter(pk=course.pk).update(slug=DEMO_COURSE_SLUG)
        course.refresh_from_db()
    rng = random.Random(2026)
    exercises = list(Exercise.objects.in_layout_order()[:5])
    for index, name in enumerate(DEMO_STUDENTS):
        student, created = users.get_or_create(username=name)
        if created:
            student.set_password(settings.DEMO_PASSWORD)
            student.save()
        course.join(student)
        learner, _ = Learner.objects.get_or_create(user=student)
        if Attempt.objects.filter(learner=learner).exists():
            continue
        skill = 0.45 + index * 0.09
        for exercise in exercises[: 2 + index % 4]:
            for _ in range(1 + rng.randrange(3)):
                Attempt.objects.record(learner.pk, exercise, simulated_grade(exercise, rng, skill))
                skill = min(skill + 0.1, 0.98)
    return course
