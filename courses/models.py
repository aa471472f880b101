"""Courses: instructors bring students in with a join code and read the class's results."""

import secrets
import zoneinfo
from dataclasses import dataclass
from datetime import datetime, time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import slug_re
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Count, Exists, F, Max, OuterRef, Q, Subquery
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from exercises.models import (
    SCORE,
    AcceptedLabel,
    Answer,
    Attempt,
    Exercise,
    Learner,
    Objection,
    ObjectionStatus,
    Sentence,
)
from exercises.scopes import Scope, ScopeProvider
from lessons.models import Move
from writing_guide.compiled import SAMPLE_ID, CompiledObjectsQuery, CompiledQuery

# No look-alikes: no 0/O, no 1/I/L. 31 symbols, 10 of them: 49.5 bits.
JOIN_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
JOIN_CODE_LENGTH = 10
# Paths under /courses/ that a course slug must not shadow.
RESERVED_SLUGS = {"new", "join", "invitations"}


# A date typed without a time means the end of that day in the course's time zone.
END_OF_DAY = time(23, 59)


def time_zone_names():
    """Every IANA time zone name this machine knows, sorted: the choices offered to instructors."""
    return sorted(zoneinfo.available_timezones())


def validate_time_zone(name):
    if name not in zoneinfo.available_timezones():
        raise ValidationError(f"{name!r} is not a time zone name such as Europe/London or America/New_York.")


def default_time_zone():
    return settings.TIME_ZONE


def due_time(day, at, time_zone):
    """The aware datetime of `day` at `at` (23:59 if None) in the zone named `time_zone`."""
    return datetime.combine(day, at or END_OF_DAY, tzinfo=zoneinfo.ZoneInfo(time_zone))


def new_join_code():
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_join_code(text):
    """What a person typed, as stored: upper case, without spaces or dashes."""
    return "".join(text.split()).replace("-", "").upper()


def could_be_join_code(code):
    """True when a normalised code uses only the join-code alphabet (and fits the field): anything
    else (a NUL byte, say, which PostgreSQL refuses in a query) matches no course."""
    return 0 < len(code) <= Course._meta.get_field("join_code").max_length and set(code) <= set(JOIN_CODE_ALPHABET)


class Role(models.TextChoices):
    """What a member does in a course."""

    STUDENT = "student", "student"
    INSTRUCTOR = "instructor", "instructor"


class CourseQuerySet(models.QuerySet):
    def for_user(self, user):
        """Courses the user teaches or takes, each with `user_role`: the user's `Role` in it."""
        if not user.is_authenticated:
            return self.none()
        # One membership per course and user (a unique constraint): one row per course.
        return self.filter(memberships__user=user).annotate(user_role=F("memberships__role"))

    def taught_by(self, user):
        return self.filter(memberships__user=user, memberships__role=Role.INSTRUCTOR)

    def with_assignments_for(self, user):
        """The user's courses that assign them at least one exercise."""
        return self.for_user(user).filter(assignments__isnull=False).distinct()

    def with_join_code(self, text):
        """The course whose join code a person typed as `text` (none when it cannot be a code)."""
        code = normalise_join_code(text)
        return self.filter(join_code=code) if could_be_join_code(code) else self.none()


class Course(models.Model):
    """A class run by one or more instructors, with students who join by code."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    join_code = models.CharField(max_length=20, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    # Due times are typed and shown in this zone, whatever the server's or the reader's zone.
    time_zone = models.CharField(max_length=64, default=default_time_zone, validators=[validate_time_zone])
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="courses")
    # Set when an exercise of the course's own gets its second revision (`courses.authoring.publish`):
    # until then every attempt counts under its own exercise, and the class's pages group attempts
    # without the three joins that find a revision's current one (25% of the dashboard at 500 students).
    has_revisions = models.BooleanField(default=False, editable=False)

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("course", args=[self.slug])

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    @classmethod
    def create_for(cls, instructor, title, time_zone=None):
        """Create a course with a unique slug and code; `instructor` teaches it; the exemplar exercises
        (on the guide's own passages) assigned. Bank exercises are the instructor's choice."""
        time_zone = time_zone or default_time_zone()
        validate_time_zone(time_zone)
        base = slugify(title)[:40] or "course"
        if base in RESERVED_SLUGS:
            base = f"{base}-course"
        for attempt in range(20):
            slug = base if attempt == 0 else f"{base}-{secrets.token_hex(2)}"
            try:
                with transaction.atomic():
                    course = cls.objects.create(title=title, slug=slug, join_code=new_join_code(), time_zone=time_zone)
                    Membership.objects.create(course=course, user=instructor, role=Role.INSTRUCTOR)
                    Assignment.objects.bulk_create(
                        Assignment(course=course, exercise=exercise)
                        for exercise in Exercise.objects.filter(exemplar=True)
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
        membership, _ = Membership.objects.get_or_create(course=self, user=user, defaults={"role": Role.STUDENT})
        return membership

    def add_instructor(self, user):
        """Make `user` an instructor at once (a student of the course becomes one). People are asked
        first through `invite`; this is what accepting does."""
        membership, created = Membership.objects.get_or_create(
            course=self, user=user, defaults={"role": Role.INSTRUCTOR}
        )
        if not created and membership.role != Role.INSTRUCTOR:
            membership.role = Role.INSTRUCTOR
            membership.save(update_fields=["role"])
        return membership

    def invite(self, username, invited_by):
        """Invite the account called `username` to teach this course; None if it teaches it already.

        The invitation is written whether or not such an account exists (with no user if not), and
        looks the same on the dashboard either way, so inviting cannot be used to learn which names
        are taken. It reaches only an account that exists now: a later sign-up under that name
        never sees it, so nobody can register a name to pick up an invitation meant for another."""
        user = account_called(username)
        if user is not None and self.role_of(user) == Role.INSTRUCTOR:
            return None
        key = {"user": user} if user is not None else {"user": None, "username": username}
        invitation, _ = Invitation.objects.get_or_create(
            course=self, **key, defaults={"username": username, "invited_by": invited_by}
        )
        return invitation

    def remove_student(self, user):
        return Membership.objects.filter(course=self, user=user, role=Role.STUDENT).delete()[0] > 0

    def role_of(self, user):
        if not user.is_authenticated:
            return None
        return Membership.objects.filter(course=self, user=user).values_list("role", flat=True).first()

    def students(self):
        return self.members.filter(memberships__course=self, memberships__role=Role.STUDENT).order_by("username")

    def instructors(self):
        return self.members.filter(memberships__course=self, memberships__role=Role.INSTRUCTOR).order_by("username")

    def attempts_since_joining(self):
        """Attempts by the course's students made after they joined it, at any exercise."""
        joined_before = Membership.objects.filter(
            course=self, role=Role.STUDENT, user=OuterRef("learner__user"), joined__lte=OuterRef("created")
        )
        return Attempt.objects.filter(Exists(joined_before))

    def class_attempts(self):
        """Attempts by the course's students on its assigned exercises, made after they joined it; for an
        assigned exercise of the course's own, at any of its revisions (group them with `counted_as`).

        Earlier practice (on the student's own, or for another course) shows on their /progress/ page
        only: an instructor reads here the work done for this course."""
        return self.attempts_since_joining().on_exercises(self.counted_exercises())

    def counted_exercises(self):
        """The ids of the exercises whose attempts count in the course: the assigned ones and, for an
        assigned exercise of the course's own, its earlier revisions (an edit never erases work done)."""
        assigned = self.assignments.values("exercise_id")
        if not self.has_revisions:
            return assigned
        return Exercise.everywhere.filter(
            Q(pk__in=assigned) | Q(revision__course_exercise__current__in=assigned)
        ).values("pk")

    def counted_as(self, path=""):
        """The exercise an attempt (at `path`, "attempt__" from an answer) counts under in the course: its
        own, except that an attempt at an earlier revision of a course's own exercise counts under the
        current revision, which the course's assignment follows when a revision is published."""
        if not self.has_revisions:
            return F(f"{path}exercise")
        return Coalesce(f"{path}exercise__revision__course_exercise__current", f"{path}exercise")

    def attempts_at(self, exercise):
        """The class's attempts at one exercise (one revision, for the course's own): as `class_attempts`,
        except that an own exercise's count whether assigned or not (they are only ever made for it)."""
        if exercise.listed:
            return self.class_attempts().filter(exercise=exercise)
        return self.attempts_since_joining().filter(exercise=exercise, exercise__revision__course_exercise__course=self)

    def own_current_exercises(self):
        """The revisions the course's students do now of its published own exercises (`Exercise` rows
        outside the bank, with their part and label set), by title: what can be assigned besides the bank."""
        return (
            Exercise.everywhere.filter(course_exercise__course=self)
            .select_related("part", "label_set")
            .order_by("title", "pk")
        )

    def student_attempts(self, student):
        """The attempts of one student that count in this course (see `class_attempts`)."""
        return self.class_attempts().by_users([student])

    def objections(self):
        """Objections to answers of attempts made for this course: its instructors decide them."""
        # Checked per objection (few) rather than joined from the course's attempts (many): with the
        # join, SQLite started from the attempts and took 40 ms to count no objection at 500 students.
        made_here = CourseAttempt.objects.filter(course=self, attempt_id=OuterRef("answer__attempt_id"))
        return Objection.objects.filter(Exists(made_here))

    def scope_answers(self):
        """Every answer of the attempts made for this course (its students' objections are weighed
        against these: how many others chose the same label)."""
        return Answer.objects.filter(attempt__course_link__course=self)

    def accept_objection(self, objection, by, reply=""):
        """Accept `objection` (one of `objections()`) for this course: its label counts for the sentence
        in the course from now on (`CourseAcceptedLabel`), every answer of the course's attempts with
        that label on that sentence is regraded (audited, scores recounted), and every open objection
        of the course on the same sentence and label is decided with `reply`. One transaction;
        raises `ObjectionClosed` (nothing written) when it was decided meanwhile. Returns a `Decision`."""
        with transaction.atomic():
            _lock_open(objection, self.objections())
            CourseAcceptedLabel.objects.get_or_create(
                course=self,
                sentence_id=objection.sentence_id,
                label_id=objection.chosen_id,
                defaults={"decided_by": by},
            )
            same = {"sentence_id": objection.sentence_id, "chosen_id": objection.chosen_id}
            attempts = CourseScope(self).attempts(objection.sentence.exercise_id)
            reason = f"objection {objection.pk} accepted for course {self.slug}"
            regrade = Answer.objects.filter(attempt__in=attempts, **same)
            return _decide_all(self.objections().filter(**same), regrade, by, reply, reason)

    def reject_objection(self, objection, by, reply):
        """Reject `objection` (one of `objections()`) with `reply`, which the learner reads: no verdict
        changes. Raises `ObjectionClosed` when it was decided meanwhile. Returns a `Decision`."""
        return _reject(objection, self.objections(), by, reply)

    def set_assignments(self, chosen, time_zone=None):
        """Assign exactly the exercises in `chosen` ({exercise: aware due time or None}), and set the
        course's time zone if given, in one transaction."""
        with transaction.atomic():
            if time_zone and time_zone != self.time_zone:
                self.time_zone = time_zone
                self.save(update_fields=["time_zone"])
            self.assignments.exclude(exercise__in=list(chosen)).delete()
            for exercise, due in chosen.items():
                Assignment.objects.update_or_create(course=self, exercise=exercise, defaults={"due": due})


class Membership(models.Model):
    """A user's place in a course: its student or one of its instructors."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role)
    joined = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["course", "user"], name="one_membership_per_course"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_known"),
        ]

    def __str__(self):
        return f"{self.user} as {self.role} of {self.course}"


def account_called(username):
    """The account a person means by `username`: sign-up keeps names unique whatever their case, so
    "Alice" finds alice; an exact match wins should two older accounts differ only in case."""
    matches = list(get_user_model().objects.filter(username__iexact=username)[:10])
    exact = [user for user in matches if user.get_username() == username]
    return exact[0] if exact else matches[0] if len(matches) == 1 else None


class InvitationQuerySet(models.QuerySet):
    def for_invitee(self, user):
        """The invitations waiting for `user`'s answer, with their course, inviter and the role `user`
        has in the course now (`invitee_role`: a student, or None), newest first."""
        if not user.is_authenticated:
            return self.none()
        role = Membership.objects.filter(course=OuterRef("course"), user=OuterRef("user")).values("role")[:1]
        return (
            self.filter(user=user)
            .select_related("course", "invited_by")
            .annotate(invitee_role=Subquery(role))
            .order_by("-created", "-pk")
        )


class Invitation(models.Model):
    """An instructor's invitation to another account to teach a course with them: nothing changes
    until that account accepts. `user` is empty when no account had the name typed (see
    `Course.invite`); such an invitation can only be withdrawn."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="invitations")
    # SET_NULL: a deleted account's invitation looks like one to an unknown name, which leaks nothing.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="course_invitations"
    )
    # The name as the inviter typed it: the dashboard shows this, never the account's own spelling.
    username = models.CharField(max_length=150)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["username", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["course", "user"], name="one_invitation_per_course_and_user"),
            models.UniqueConstraint(
                fields=["course", "username"], condition=Q(user__isnull=True), name="one_invitation_per_unknown_name"
            ),
        ]

    def __str__(self):
        return f"{self.username} invited to teach {self.course}"

    def accept(self):
        """Make the invitee an instructor of the course, once. Returns the role they had before (a
        student, or None), or raises Invitation.DoesNotExist if it was answered or withdrawn meanwhile."""
        with transaction.atomic():
            # Deleting first makes a second, concurrent accept find nothing to delete.
            if not Invitation.objects.filter(pk=self.pk, user=self.user_id).delete()[0]:
                raise Invitation.DoesNotExist("This invitation was answered or withdrawn.")
            before = self.course.role_of(self.user)
            self.course.add_instructor(self.user)
        return before


class Deadline(models.TextChoices):
    """Where a student stands against an assignment's due time."""

    NONE = "", "no due time"
    PENDING = "pending", "not due yet"
    ON_TIME = "on-time", "on time"
    LATE = "late", "late"
    OVERDUE = "overdue", "overdue"


# A prefix every labelling exercise's title shares: dropped where space is short (table headers).
COMMON_TITLE_PREFIX = "Label the moves of "


class Assignment(models.Model):
    """An exercise the course asks its students to do, with an optional due time."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="assignments")
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="assignments")
    due = models.DateTimeField(null=True, blank=True)

    class Meta:
        # Soonest due first, then no due time, each in the guide's order.
        ordering = [models.F("due").asc(nulls_last=True), "exercise__part__order", "exercise__order"]
        constraints = [models.UniqueConstraint(fields=["course", "exercise"], name="one_assignment_per_exercise")]

    def __str__(self):
        return f"{self.exercise} in {self.course}"

    @property
    def short_title(self):
        """The exercise's title without the prefix every labelling exercise shares."""
        title = self.exercise.title
        return title[len(COMMON_TITLE_PREFIX) :] if title.startswith(COMMON_TITLE_PREFIX) else title

    def is_past_due(self, now=None):
        return self.due is not None and self.due < (now or timezone.now())

    def is_late(self, moment):
        """Whether something done at `moment` came after the due time."""
        return self.due is not None and moment > self.due

    def deadline_for(self, first_attempt_at, now=None):
        """A `Deadline`, given when the student first tried it for this course (None: not yet)."""
        if self.due is None:
            return Deadline.NONE
        if first_attempt_at is not None:
            return Deadline.LATE if self.is_late(first_attempt_at) else Deadline.ON_TIME
        return Deadline.OVERDUE if self.is_past_due(now) else Deadline.PENDING


class CourseAttempt(models.Model):
    """The course an attempt was made for: the learner opened the exercise from the course's page.
    Attempts made on one's own have none (self-study)."""

    attempt = models.OneToOneField(Attempt, on_delete=models.CASCADE, primary_key=True, related_name="course_link")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="course_attempts")

    def __str__(self):
        return f"{self.attempt} for {self.course}"


class CourseFirstAttempt(models.Model):
    """A student's first attempt at an exercise for a course: what "how the class answered" counts.

    Kept on write (`CourseScope.record`), one row per student and exercise, so that counting the class
    reads as many index entries as it has students, not every attempt it made (4 ms a submit at 500
    students, bench/results.md). Deleting the attempt or the learner deletes the row with it."""

    attempt = models.OneToOneField(Attempt, on_delete=models.CASCADE, primary_key=True, related_name="course_first")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="+")
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="+")
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["course", "exercise", "learner"], name="one_first_attempt_per_course")
        ]

    def __str__(self):
        return f"first: {self.attempt} for {self.course}"


class CourseAcceptedLabel(models.Model):
    """A label the course's instructors accepted for a sentence on a student's objection: it counts as
    right for the course's attempts, past (regraded when it was accepted) and future."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="accepted_labels")
    sentence = models.ForeignKey(Sentence, on_delete=models.CASCADE, related_name="+")
    label = models.ForeignKey(Move, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["course", "sentence", "label"], name="one_course_accepted_label"),
        ]

    def __str__(self):
        return f"{self.label.slug} accepted for {self.sentence} in {self.course}"


class ObjectionClosed(Exception):
    """The objection is not open (any more) where it was to be decided: nothing was written."""


@dataclass(frozen=True)
class Decision:
    """What deciding an objection did."""

    accepted: bool
    objections: int  # how many were decided: accepting settles every open one on the same label
    regraded: int  # how many answers turned from wrong to accepted


def _lock_open(objection, scoped):
    """Lock `objection`'s row if it is still open and one of `scoped`, else raise `ObjectionClosed`.
    Two reviewers deciding at once: the second waits here, then finds it decided."""
    locked = Objection.objects.select_for_update().filter(
        pk=objection.pk, status=ObjectionStatus.OPEN, pk__in=scoped.values("pk")
    )
    if not list(locked.values_list("pk", flat=True)):
        raise ObjectionClosed("This objection has been decided already.")


def _decide_all(objections, regrade, by, reply, reason):
    """Accept the open ones of `objections`, regrading `regrade`, in the caller's transaction."""
    settled = objections.open().count()
    changed = objections.decide(accept=True, by=by, reply=reply, regrade=regrade, reason=reason)
    return Decision(accepted=True, objections=settled, regraded=changed)


def _reject(objection, scoped, by, reply):
    if not reply.strip():
        raise ValueError("A rejection needs a reply: the learner reads why their label does not fit.")
    with transaction.atomic():
        _lock_open(objection, scoped)
        Objection.objects.filter(pk=objection.pk).decide(accept=False, by=by, reply=reply)
    return Decision(accepted=False, objections=1, regraded=0)


class SelfStudy:
    """The objections of learners working on their own (attempts made for no course): the site's
    content editors, the users with `PERMISSION`, decide them, and accept labels for everyone."""

    PERMISSION = "exercises.decide_objections"

    @classmethod
    def can_decide(cls, user):
        return user.is_authenticated and user.has_perm(cls.PERMISSION)

    @staticmethod
    def objections():
        made_for_a_course = CourseAttempt.objects.filter(attempt_id=OuterRef("answer__attempt_id"))
        return Objection.objects.exclude(Exists(made_for_a_course))

    @staticmethod
    def scope_answers():
        """Every answer of an attempt made on one's own."""
        return Answer.objects.filter(attempt__course_link__isnull=True)

    @staticmethod
    def accept_for_everyone(objection, by, reply=""):
        """Accept `objection` (a self-study one) for everyone: its label counts for the sentence
        wherever it is answered (`AcceptedLabel`), every answer with that label on that sentence is
        regraded, in every course and on one's own (audited, scores recounted), every open objection
        on the same sentence and label is decided with `reply`, and the exercise's cached content is
        made stale. One transaction; raises `ObjectionClosed` (nothing written) when it was decided
        meanwhile. Returns a `Decision`."""
        with transaction.atomic():
            _lock_open(objection, SelfStudy.objections())
            AcceptedLabel.objects.get_or_create(
                sentence_id=objection.sentence_id, label_id=objection.chosen_id, defaults={"decided_by": by}
            )
            same = {"sentence_id": objection.sentence_id, "chosen_id": objection.chosen_id}
            reason = f"objection {objection.pk} accepted for everyone"
            decision = _decide_all(Objection.objects.filter(**same), Answer.objects.filter(**same), by, reply, reason)
            objection.sentence.exercise.renew_guide_version()
            return decision

    @staticmethod
    def reject_objection(objection, by, reply):
        """Reject `objection` (a self-study one) with `reply`; no verdict changes. Returns a `Decision`."""
        return _reject(objection, SelfStudy.objections(), by, reply)


class CourseScope(Scope):
    """Working for a course: graded with its instructors' decisions too, compared with its students'
    first attempts, objections decided by its instructors."""

    def __init__(self, course):
        self.course = course
        self.token = course.slug
        self.name = course.title
        self.peers_name = course.title

    def accepted_labels(self, exercise):
        accepted = {}
        for sentence_id, slug in _course_accepted_labels.rows(self.course.pk, exercise.pk):
            accepted.setdefault(sentence_id, set()).add(slug)
        return {sentence_id: frozenset(slugs) for sentence_id, slugs in accepted.items()}

    def attempts(self, exercise):
        return Attempt.objects.filter(exercise=exercise, course_link__course=self.course)

    def _firsts(self, exercise):
        return CourseFirstAttempt.objects.filter(course=self.course, exercise=exercise)

    def first_attempts(self, exercise):
        return Attempt.objects.filter(course_first__course=self.course, course_first__exercise=exercise)

    def first_attempt_of(self, exercise, learner_id):
        return self._firsts(exercise).filter(learner_id=learner_id).values("attempt")

    def learners_count(self, exercise):
        return self._firsts(exercise).order_by().values("exercise").annotate(n=Count("*")).values("n")

    def record(self, attempt):
        """The attempt's course, and the learner's first attempt at the exercise for it if this is it: two
        INSERTs written as SQL, as the attempt's own (`AttemptQuerySet.record`); through the ORM they took
        a third of a course submit's writing. The learner's row is locked for the attempt: of two racing
        submissions the second sees the first's first attempt and leaves it (ON CONFLICT DO NOTHING)."""
        link, first = (connection.ops.quote_name(model._meta.db_table) for model in (CourseAttempt, CourseFirstAttempt))
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {link} (attempt_id, course_id) VALUES (%s, %s)",  # noqa: S608 (a model's table)
                [attempt.pk, self.course.pk],
            )
            cursor.execute(
                f"INSERT INTO {first} (attempt_id, course_id, exercise_id, learner_id) "  # noqa: S608 (a model's table)
                "VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
                [attempt.pk, self.course.pk, attempt.exercise_id, attempt.learner_id],
            )

    def cache_key(self):
        return f"course-{self.course.pk}"


# A course submit's and an attempt page's reads, with their SQL compiled once (`writing_guide.compiled`), as
# the practice pages' are: through the ORM, finding the course and its accepted labels took a third of a
# course submit.
_SAMPLE_SLUG = "compiled-sample-course-8127361"
_student_course = CompiledObjectsQuery(
    Course,
    [field.attname for field in Course._meta.concrete_fields],
    lambda slug, exercise_id, user_id: Course.objects.filter(
        slug=slug, assignments__exercise_id=exercise_id, memberships__user_id=user_id, memberships__role=Role.STUDENT
    ).order_by("pk")[:1],
    _SAMPLE_SLUG,
    SAMPLE_ID,
    SAMPLE_ID + 1,
)
_course_of_attempt = CompiledObjectsQuery(
    Course,
    [field.attname for field in Course._meta.concrete_fields],
    lambda attempt_id: Course.objects.filter(course_attempts__attempt_id=attempt_id).order_by()[:1],
    SAMPLE_ID,
)
_course_accepted_labels = CompiledQuery(
    lambda course_id, exercise_id: CourseAcceptedLabel.objects.filter(
        course_id=course_id, sentence__exercise_id=exercise_id
    ).values_list("sentence_id", "label__slug"),
    SAMPLE_ID,
    SAMPLE_ID + 1,
)


class CourseScopes(ScopeProvider):
    def from_token(self, request, exercise, token):
        """The course whose slug is `token`, when the user takes it and it assigns `exercise`."""
        # Not a slug (a NUL byte, which PostgreSQL refuses in a query): no course of anyone's.
        if not request.user.is_authenticated or not slug_re.fullmatch(token):
            return None
        courses = _student_course.objects(token, exercise.pk, request.user.pk)
        return CourseScope(courses[0]) if courses else None

    def of_attempt(self, attempt):
        courses = _course_of_attempt.objects(attempt.pk)
        return CourseScope(courses[0]) if courses else None


class CourseExerciseQuerySet(models.QuerySet):
    def published(self):
        return self.filter(current__isnull=False)

    def for_member(self, course, role):
        """All of the course's own exercises for its instructors (drafts too); the published ones for its students."""
        mine = self.filter(course=course)
        return mine if role == Role.INSTRUCTOR else mine.published()

    def for_listing(self):
        """With what a list of them shows: the current revision, its label set and its revision row; of
        the draft only its title and label set (`draft_title`, `draft_label_set`), not the whole passage."""
        return (
            self.select_related("current__label_set", "current__revision")
            .defer("draft")
            .annotate(draft_title=KT("draft__title"), draft_label_set=KT("draft__label_set"))
        )

    def with_results_of(self, user):
        """Each with `best` (percent) and `attempts`: `user`'s attempts at any of its revisions, made for
        its course (None and 0 when they have not tried it)."""
        made_for_the_course = {"course_link__course": OuterRef("course"), "learner__user": user}
        mine = (
            Attempt.objects.filter(exercise__revision__course_exercise=OuterRef("pk"), **made_for_the_course)
            .order_by()
            .values("learner")
        )
        return self.annotate(
            best=Subquery(mine.annotate(best=Max(SCORE)).values("best")),
            attempts=Coalesce(Subquery(mine.annotate(n=Count("pk")).values("n")), 0),
        )


class CourseExercise(models.Model):
    """An exercise an instructor writes for their course (`courses.authoring`): a draft they edit, in
    the shape of a `fixtures/exercises` file, and the revisions they published from it.

    Each published revision is an `exercises.Exercise` of its own, outside the bank (`listed` false,
    at this exercise's page), never changed afterwards: attempts keep the revision they answered."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="own_exercises")
    slug = models.SlugField()
    title = models.CharField(max_length=200)
    # The exercise as `exercises.loader.read_exercise` reads it, and per sentence what the editor keeps
    # besides: `suggestion` (the tagger's label, confidence and reason) and `confirmed`.
    draft = models.JSONField(default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    # The revision the course's students do; none until the first is published.
    current = models.OneToOneField(
        Exercise, on_delete=models.PROTECT, null=True, blank=True, related_name="course_exercise"
    )

    objects = CourseExerciseQuerySet.as_manager()

    class Meta:
        ordering = ["course", "title"]
        constraints = [models.UniqueConstraint(fields=["course", "slug"], name="one_course_exercise_per_slug")]

    def __str__(self):
        return f"{self.title} ({self.course})"

    def get_absolute_url(self):
        return reverse("course_own_exercise", args=[self.course.slug, self.slug])

    @property
    def is_published(self):
        return self.current_id is not None

    def revision_exercises(self):
        """The `Exercise` rows of every revision published, the current one among them."""
        return Exercise.everywhere.filter(revision__course_exercise=self)

    def exercise_of_attempt(self, attempt_id):
        """The revision's `Exercise` that the attempt `attempt_id` answered, if it is one of this
        exercise's (whoever made it: the exercise pages check that it is the reader's); else None."""
        if not 0 < attempt_id < 2**63:  # beyond any database's integer: no attempt (SQLite would raise)
            return None
        return self.revision_exercises().filter(attempts=attempt_id).first()


class ExerciseRevision(models.Model):
    """One published state of a course's own exercise: the immutable `exercise` its attempts point to."""

    course_exercise = models.ForeignKey(CourseExercise, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    exercise = models.OneToOneField(Exercise, on_delete=models.PROTECT, related_name="revision")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    published = models.DateTimeField(auto_now_add=True)
    # How many answers to earlier revisions were regraded against this one, when the instructor asked.
    regraded_answers = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["course_exercise", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["course_exercise", "number"], name="one_revision_per_number"),
        ]

    def __str__(self):
        return f"{self.course_exercise.title}, revision {self.number}"
