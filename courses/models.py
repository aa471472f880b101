"""Courses: instructors bring students in with a join code and read the class's results."""

import secrets

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.text import slugify

from exercises.models import Exercise

# No look-alikes: no 0/O, no 1/I/L. 32 symbols, 10 of them: 50 bits.
JOIN_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
JOIN_CODE_LENGTH = 10
# Paths under /courses/ that a course slug must not shadow.
RESERVED_SLUGS = {"new", "join"}


def new_join_code():
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_join_code(text):
    """What a person typed, as stored: upper case, without spaces or dashes."""
    return "".join(text.split()).replace("-", "").upper()


class CourseQuerySet(models.QuerySet):
    def for_user(self, user):
        """Courses the user teaches or takes."""
        return self.filter(memberships__user=user).distinct() if user.is_authenticated else self.none()

    def taught_by(self, user):
        return self.filter(memberships__user=user, memberships__role=Membership.INSTRUCTOR)


class Course(models.Model):
    """A class run by one or more instructors, with students who join by code."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    join_code = models.CharField(max_length=20, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="courses")

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("course", args=[self.slug])

    @classmethod
    def create_for(cls, instructor, title):
        """Create a course with a unique slug and code; `instructor` teaches it; all exercises assigned."""
        base = slugify(title)[:40] or "course"
        if base in RESERVED_SLUGS:
            base = f"{base}-course"
        for attempt in range(20):
            slug = base if attempt == 0 else f"{base}-{secrets.token_hex(2)}"
            try:
                with transaction.atomic():
                    course = cls.objects.create(title=title, slug=slug, join_code=new_join_code())
                    Membership.objects.create(course=course, user=instructor, role=Membership.INSTRUCTOR)
                    Assignment.objects.bulk_create(
                        Assignment(course=course, exercise=exercise) for exercise in Exercise.objects.all()
                    )
                    return course
            except IntegrityError:
                continue
        raise IntegrityError("could not find a free slug and join code")

    def regenerate_code(self):
        self.join_code = new_join_code()
        self.save(update_fields=["join_code"])

    def join(self, user):
        """Add `user` as a student; joining twice is harmless. Returns the membership."""
        membership, _ = Membership.objects.get_or_create(course=self, user=user, defaults={"role": Membership.STUDENT})
        return membership

    def add_instructor(self, user):
        membership, created = Membership.objects.get_or_create(
            course=self, user=user, defaults={"role": Membership.INSTRUCTOR}
        )
        if not created and membership.role != Membership.INSTRUCTOR:
            membership.role = Membership.INSTRUCTOR
            membership.save(update_fields=["role"])
        return membership

    def remove_student(self, user):
        return Membership.objects.filter(course=self, user=user, role=Membership.STUDENT).delete()[0] > 0

    def role_of(self, user):
        if not user.is_authenticated:
            return None
        return Membership.objects.filter(course=self, user=user).values_list("role", flat=True).first()

    def students(self):
        return self.members.filter(memberships__course=self, memberships__role=Membership.STUDENT).order_by("username")

    def instructors(self):
        return self.members.filter(memberships__course=self, memberships__role=Membership.INSTRUCTOR).order_by(
            "username"
        )


class Membership(models.Model):
    STUDENT, INSTRUCTOR = "student", "instructor"
    ROLES = [(STUDENT, "student"), (INSTRUCTOR, "instructor")]

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=ROLES)
    joined = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["course", "user"], name="one_membership_per_course"),
            models.CheckConstraint(condition=Q(role__in=["student", "instructor"]), name="membership_role_known"),
        ]

    def __str__(self):
        return f"{self.user} as {self.role} of {self.course}"


class Assignment(models.Model):
    """An exercise the course asks its students to do, with an optional due date."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="assignments")
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="assignments")
    due = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["exercise__part__order", "exercise__order"]
        constraints = [models.UniqueConstraint(fields=["course", "exercise"], name="one_assignment_per_exercise")]

    def __str__(self):
        return f"{self.exercise} in {self.course}"


def set_assignments(course, chosen):
    """Assign exactly the exercises in `chosen` ({exercise: due date or None})."""
    with transaction.atomic():
        course.assignments.exclude(exercise__in=list(chosen)).delete()
        for exercise, due in chosen.items():
            Assignment.objects.update_or_create(course=course, exercise=exercise, defaults={"due": due})
