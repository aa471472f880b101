"""Questions and answers where the reader reads: on a lesson, an annotated excerpt, or an exercise.

A question is asked to everyone, or to one course (only its members and instructors ever see it,
in lists, search and counts alike). Answers come from anyone who can see the question; the asker
or an instructor of the course marks the one that helped. What users write is a small Markdown
subset, rendered once when saved through the one sanitiser (`lessons.markdown.render_user_markdown`).

Moderation: anyone who can see a post can report it; the site's moderators (the permission
`questions.moderate_posts`, which `manage.py grant_editor` gives with the editors' other rights)
and a course's instructors (for the course's posts) can hide a post with a reason, which its author
still sees. With `QUESTIONS_HOLD_FIRST_POSTS` on, a new account's first posts wait for review.
"""

import math
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Case, Count, Exists, OuterRef, Q, Value, When
from django.utils import timezone

from courses.models import Course, Membership, Role
from exercises.models import Exercise
from lessons.markdown import render_user_markdown
from lessons.models import Excerpt, Lesson

TITLE_MAX_LENGTH = 200
BODY_MAX_LENGTH = 5000
REASON_MAX_LENGTH = 500
MODERATE = "questions.moderate_posts"


class PostState(models.TextChoices):
    VISIBLE = "visible", "visible"
    HELD = "held", "waiting for review"
    HIDDEN = "hidden", "hidden by a moderator"


class Place(models.TextChoices):
    """What a question is about: where it was asked."""

    LESSON = "lesson", "lesson"
    EXCERPT = "excerpt", "excerpt"
    EXERCISE = "exercise", "exercise"


def is_moderator(user):
    return user.is_authenticated and user.has_perm(MODERATE)


class ReportRefused(Exception):
    """Why a report was not taken: the message says so to the reporter."""


class Post(models.Model):
    """What questions and answers share: an author, a Markdown body rendered once, a state."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(max_length=BODY_MAX_LENGTH)
    body_html = models.TextField()
    state = models.CharField(max_length=8, choices=PostState, default=PostState.VISIBLE)
    hidden_reason = models.CharField(max_length=REASON_MAX_LENGTH, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    edited = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    def set_body(self, body):
        self.body = body
        self.body_html = render_user_markdown(body)

    @property
    def is_visible(self):
        return self.state == PostState.VISIBLE

    def editable_until(self):
        return self.created + timedelta(minutes=settings.QUESTIONS_EDIT_MINUTES)

    def can_edit(self, user, now=None):
        """Its author may edit it for `QUESTIONS_EDIT_MINUTES` after posting (not once hidden)."""
        return (
            user.is_authenticated
            and user.pk == self.author_id
            and self.state != PostState.HIDDEN
            and (now or timezone.now()) <= self.editable_until()
        )

    def can_delete(self, user):
        return user.is_authenticated and user.pk == self.author_id

    def can_moderate(self, user):
        """Site moderators moderate every post; a course's instructors its course's posts."""
        return is_moderator(user) or self.course_role(user) == Role.INSTRUCTOR

    def course_role(self, user):
        course_id = self.question_course_id()
        if course_id is None or not user.is_authenticated:
            return None
        return Membership.objects.filter(course_id=course_id, user=user).values_list("role", flat=True).first()

    def report(self, by, reason):
        """`by` reports the post, once: never their own, nor one moderators have seen already (held or hidden).
        Raises `ReportRefused` with the reason."""
        if by.pk == self.author_id:
            raise ReportRefused("This is your own post: edit or delete it instead of reporting it.")
        if not self.is_visible:
            raise ReportRefused("Moderators have this post already: it is not shown to others.")
        try:
            with transaction.atomic():
                return Report.objects.create(reporter=by, reason=reason, **{self.kind: self})
        except IntegrityError:
            raise ReportRefused("You reported this post already: moderators will look at it.") from None

    def hide(self, by, reason):
        """Hide the post from everyone but its author (who sees `reason`) and moderators."""
        self.state, self.hidden_reason, self.moderated_by = PostState.HIDDEN, reason, by
        self.save(update_fields=["state", "hidden_reason", "moderated_by"])
        self.reports.filter(resolved=False).update(resolved=True)

    def show(self, by):
        """Make the post visible: a held post approved, or a hidden one restored."""
        self.state, self.hidden_reason, self.moderated_by = PostState.VISIBLE, "", by
        self.save(update_fields=["state", "hidden_reason", "moderated_by"])
        self.reports.filter(resolved=False).update(resolved=True)


def initial_state(author):
    """Held for review when the setting is on and the author has fewer than
    `QUESTIONS_HOLD_FIRST_POSTS` visible posts; visible otherwise."""
    needed = settings.QUESTIONS_HOLD_FIRST_POSTS
    if not needed:
        return PostState.VISIBLE
    shown = (
        Question.objects.filter(author=author, state=PostState.VISIBLE).count()
        + Reply.objects.filter(author=author, state=PostState.VISIBLE).count()
    )
    return PostState.VISIBLE if shown >= needed else PostState.HELD


class QuestionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The questions `user` may see: those asked to everyone and to the user's courses, visible,
        or the user's own in any state; moderators see held and hidden ones, instructors those of
        their courses. Never another course's: not in lists, search or counts."""
        if not user.is_authenticated:
            return self.filter(course__isnull=True, state=PostState.VISIBLE)
        member = Membership.objects.filter(course=OuterRef("course"), user=user)
        audience = Q(course__isnull=True) | Exists(member)
        teaches = Exists(member.filter(role=Role.INSTRUCTOR))
        if is_moderator(user):
            # Every state. (Not `Q() | teaches`: an empty Q joined by OR is dropped, leaving `teaches` alone.)
            return self.filter(audience)
        shown = Q(state=PostState.VISIBLE) | Q(author=user)
        return self.filter(audience).filter(shown | teaches)

    def about(self, place, obj):
        return self.filter(**{place: obj})

    def search(self, text):
        """Questions whose title or body holds `text` (case-insensitive, on SQLite and PostgreSQL)."""
        text = text.strip()
        return self.filter(Q(title__icontains=text) | Q(body__icontains=text)) if text else self

    def in_reading_order(self):
        """Pinned first, then the unanswered, each newest first."""
        answered = Case(When(reply_count=0, then=Value(0)), default=Value(1))
        return self.order_by("-pinned", answered, "-created", "-pk")

    def with_place(self):
        return self.select_related("author", "course", "lesson", "excerpt__paper", "exercise")

    def summary(self):
        """For a course's dashboard, in one query: {"total": questions not hidden, "unanswered": those
        without a visible answer, "reported": questions with an open report on them or on an answer,
        "held": questions held, or with an answer held, for review}."""
        shown = ~Q(state=PostState.HIDDEN)
        reported = Exists(Report.objects.filter(question=OuterRef("pk"), resolved=False)) | Exists(
            Report.objects.filter(reply__question=OuterRef("pk"), resolved=False)
        )
        held = Q(state=PostState.HELD) | Exists(Reply.objects.filter(question=OuterRef("pk"), state=PostState.HELD))
        return self.aggregate(
            total=Count("pk", filter=shown),
            unanswered=Count("pk", filter=shown & Q(reply_count=0)),
            reported=Count("pk", filter=reported),
            held=Count("pk", filter=held),
        )


class Question(Post):
    """A question on a lesson, an annotated excerpt or an exercise, to everyone or to one course."""

    kind = "question"  # what moderation's URLs and reports call it
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    lesson = models.ForeignKey(Lesson, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    excerpt = models.ForeignKey(Excerpt, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # Asked to one course: only its members and instructors see it. Empty: asked to everyone.
    course = models.ForeignKey(Course, on_delete=models.CASCADE, null=True, blank=True, related_name="questions")
    pinned = models.BooleanField(default=False)
    closed = models.BooleanField(default=False)
    helpful = models.ForeignKey("Reply", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # Visible answers, kept on write: lists order and count by it without reading the answers.
    reply_count = models.PositiveIntegerField(default=0)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(lesson__isnull=False, excerpt__isnull=True, exercise__isnull=True)
                    | Q(lesson__isnull=True, excerpt__isnull=False, exercise__isnull=True)
                    | Q(lesson__isnull=True, excerpt__isnull=True, exercise__isnull=False)
                ),
                name="question_about_one_place",
            ),
            models.CheckConstraint(condition=Q(state__in=PostState.values), name="question_state_known"),
        ]
        indexes = [models.Index(fields=["course", "state", "-created"], name="question_listing")]
        permissions = [("moderate_posts", "Can hide and restore any question or answer, and review held posts")]

    def __str__(self):
        return self.title

    def question_course_id(self):
        return self.course_id

    @property
    def place(self):
        return next(place for place in Place if getattr(self, f"{place}_id") is not None)

    @property
    def subject(self):
        """The lesson, excerpt or exercise it is about."""
        return getattr(self, self.place)

    @classmethod
    def ask(cls, author, place, subject, title, body, course=None):
        """A new question by `author` about `subject` (a Lesson, Excerpt or Exercise, as `place` says)."""
        question = cls(author=author, title=title, course=course, state=initial_state(author), **{place: subject})
        question.set_body(body)
        question.save()
        return question

    def answer(self, author, body, as_instructor=False):
        """A new answer; the question's count of visible answers is kept in the same transaction."""
        with transaction.atomic():
            reply = Reply(question=self, author=author, as_instructor=as_instructor, state=initial_state(author))
            reply.seen_by_asker = author.pk == self.author_id
            reply.set_body(body)
            reply.save()
            self.recount()
            return reply

    def recount(self):
        visible = Reply.objects.filter(question=self, state=PostState.VISIBLE).count()
        Question.objects.filter(pk=self.pk).update(reply_count=visible)
        self.reply_count = visible

    def can_mark_helpful(self, user):
        return user.is_authenticated and (user.pk == self.author_id or self.course_role(user) == Role.INSTRUCTOR)

    def mark_helpful(self, reply):
        self.helpful = reply
        self.save(update_fields=["helpful"])

    def set_pinned(self, on):
        """Pinned questions come first in every list (see `in_reading_order`)."""
        self.pinned = on
        self.save(update_fields=["pinned"])

    def set_closed(self, on):
        """A closed question takes no new answers; those it has stay."""
        self.closed = on
        self.save(update_fields=["closed"])


class Reply(Post):
    """An answer to a question. An instructor of the question's course may answer as instructor."""

    kind = "reply"  # what moderation's URLs and reports call it
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="replies")
    as_instructor = models.BooleanField(default=False)
    # For "answers to your questions": cleared when the asker reads the question.
    seen_by_asker = models.BooleanField(default=False)

    class Meta:
        ordering = ["created", "pk"]
        constraints = [models.CheckConstraint(condition=Q(state__in=PostState.values), name="reply_state_known")]
        indexes = [models.Index(fields=["question", "seen_by_asker"], name="reply_unseen")]

    def __str__(self):
        return f"answer {self.pk} to {self.question}"

    def question_course_id(self):
        return self.question.course_id

    def hide(self, by, reason):
        with transaction.atomic():
            super().hide(by, reason)
            self.question.recount()

    def show(self, by):
        with transaction.atomic():
            super().show(by)
            self.question.recount()

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            result = super().delete(*args, **kwargs)
            self.question.recount()
            return result


class Report(models.Model):
    """Someone's report that a post breaks the rules: moderators and instructors read open reports."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, null=True, blank=True, related_name="reports")
    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, null=True, blank=True, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=REASON_MAX_LENGTH)
    created = models.DateTimeField(auto_now_add=True)
    resolved = models.BooleanField(default=False)

    class Meta:
        ordering = ["created", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(question__isnull=False, reply__isnull=True) | Q(question__isnull=True, reply__isnull=False),
                name="report_about_one_post",
            ),
            models.UniqueConstraint(fields=["reporter", "question"], name="one_report_per_question"),
            models.UniqueConstraint(fields=["reporter", "reply"], name="one_report_per_reply"),
        ]

    def __str__(self):
        return f"report {self.pk} by {self.reporter_id}"

    @classmethod
    def wait_before_next(cls, reporter, per_hour, now=None):
        """Seconds before `reporter` may report again (0: now): at most `per_hour` reports an hour."""
        now = now or timezone.now()
        window = timedelta(hours=1)
        recent = cls.objects.filter(reporter=reporter, created__gt=now - window).order_by("-created")
        times = list(recent.values_list("created", flat=True)[:per_hour])
        if len(times) < per_hour:
            return 0
        return max(1, math.ceil((times[-1] + window - now).total_seconds()))


class Preferences(models.Model):
    """What a user chose about questions: an email for each answer to theirs (off by default)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="question_preferences")
    email_answers = models.BooleanField(default=False)

    def __str__(self):
        return f"preferences of {self.user_id}"
