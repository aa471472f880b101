"""A demo class so a newcomer sees a populated dashboard at once (DEBUG runs only)."""

import random
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from courses.models import Course, Membership
from exercises.models import Attempt, Exercise, Learner

DEMO_INSTRUCTOR = "demo-instructor"
DEMO_STUDENTS = ["ada", "ben", "chen", "dara", "eli", "fatima"]
DEMO_COURSE_SLUG = "demo-class"
# The class began three weeks ago; some exercises were due in the past, others are still to come,
# so the dashboard shows on-time, late and overdue work. Days from now, by exercise in the guide's order.
DEMO_STARTED_DAYS_AGO = 21
DEMO_DUE_IN_DAYS = [-14, 10, -3, 5]


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
    now = timezone.now()
    # Exemplars only, as a new course assigns: the bank would make the dashboard too wide to read.
    exercises = list(Exercise.objects.in_layout_order().filter(exemplar=True)[:5])
    if course is None:
        course = Course.create_for(instructor, "Demo class")
        Course.objects.filter(pk=course.pk).update(slug=DEMO_COURSE_SLUG)
        course.refresh_from_db()
        for exercise, days in zip(exercises, DEMO_DUE_IN_DAYS, strict=False):
            due = (
                (now + timedelta(days=days)).astimezone(course.zone).replace(hour=17, minute=0, second=0, microsecond=0)
            )
            course.assignments.filter(exercise=exercise).update(due=due)
    rng = random.Random(2026)
    started = now - timedelta(days=DEMO_STARTED_DAYS_AGO)
    for index, name in enumerate(DEMO_STUDENTS):
        student, created = users.get_or_create(username=name)
        if created:
            student.set_password(settings.DEMO_PASSWORD)
            student.save()
        course.join(student)
        learner, _ = Learner.objects.get_or_create(user=student)
        if Attempt.objects.filter(learner=learner).exists():
            continue
        # Joined when the class began; attempts spread over the weeks since, so that only work done
        # after joining counts (as for a real class) and some of it comes after a due time.
        Membership.objects.filter(course=course, user=student).update(joined=started)
        skill = 0.45 + index * 0.09
        for exercise in exercises[: 2 + index % 4]:
            hours = sorted(rng.randrange(1, DEMO_STARTED_DAYS_AGO * 24) for _ in range(1 + rng.randrange(3)))
            for hour in hours:  # in order, so attempt 2 comes after attempt 1
                attempt = Attempt.objects.record(learner.pk, exercise, simulated_grade(exercise, rng, skill))
                Attempt.objects.filter(pk=attempt.pk).update(created=started + timedelta(hours=hour))
                skill = min(skill + 0.1, 0.98)
    return course
