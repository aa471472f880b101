"""Exercises (a passage to label sentence by sentence), learners, and every attempt they make.

The engine is general: an exercise names a label set (a `lessons.MoveSet`), each sentence its
right label and the labels also accepted; grading compares a learner's choices with those.
A learner is a person practising, with or without an account, so attempts outlive sign-up.
"""

import hashlib
import math
import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from typing import NamedTuple

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Count, Exists, ExpressionWrapper, F, FloatField, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from exercises.scores import percent
from lessons.links import link
from lessons.models import Excerpt, Lesson, Move, MoveSet, Part
from writing_guide.compiled import SAMPLE_ID, CompiledObjectsQuery, CompiledQuery


class ExerciseQuerySet(models.QuerySet):
    def listed(self):
        return self.filter(listed=True)

    def in_layout_order(self):
        return self.select_related("part", "label_set").order_by("part__order", "order")

    def for_listing(self):
        """In layout order, with only what a list of exercises shows (no passage, no JSON to parse)."""
        return self.in_layout_order().only(*LISTED_FIELDS)


# What a list of exercises shows of each (the exercise list, progress, the course pages).
LISTED_FIELDS = ("slug", "title", "exemplar", "field", "difficulty", "order", "part__slug", "part__name",
                 "part__order", "label_set__name", "label_set__slug", "listed", "home")  # fmt: skip


class ListedExercises(models.Manager.from_queryset(ExerciseQuerySet)):
    """The guide's bank: the exercises loaded from `fixtures/exercises/`, which anyone may do."""

    def get_queryset(self):
        return super().get_queryset().listed()

    def by_slug(self, slug):
        """The bank's exercise at `slug`, or None: read on every exercise page and every submit, with SQL
        compiled once."""
        found = _listed_by_slug.objects(slug, using=self.db)
        return found[0] if found else None

    def listing(self, guide_version):
        """The bank in layout order as the lists show it: [(part, [exercise, ...]), ...] with every part,
        and only the listed fields (`for_listing`). Kept per process under `guide_version` (the loaded
        guide's, `lessons.pages.guide_version`), which every load renews; shared by every request, so
        never to be changed by one."""
        kept = _LISTING.get("kept")
        if settings.CONTENT_CACHES and kept is not None and kept[0] == guide_version:
            return kept[1]
        exercises = list(self.for_listing())
        parts = tuple((part, tuple(e for e in exercises if e.part_id == part.pk)) for part in Part.objects.all())
        if settings.CONTENT_CACHES and guide_version:
            _LISTING["kept"] = (guide_version, parts)
        return parts


_LISTING = {}  # "kept": (guide version, parts)


class Exercise(models.Model):
    """A passage split into sentences, each to be labelled with a move of `label_set`.

    Most are the guide's (`listed`, loaded from the files, public at /exercises/<slug>/). An exercise
    an app writes for its own audience (a course's, in `courses`) is not listed: it is reached only
    at its `home` page, through that app's own access checks, and never by `Exercise.objects`."""

    slug = models.SlugField()
    title = models.CharField(max_length=200)
    part = models.ForeignKey(Part, on_delete=models.PROTECT, related_name="exercises")
    label_set = models.ForeignKey(MoveSet, on_delete=models.PROTECT, related_name="exercises")
    excerpt = models.ForeignKey(Excerpt, on_delete=models.SET_NULL, null=True, blank=True, related_name="exercises")
    source = models.TextField(help_text="The citation of the passage")
    instructions_html = models.TextField()
    # The lesson this exercise practises: the first lesson on its part of the layout.
    lesson = models.ForeignKey(Lesson, on_delete=models.SET_NULL, null=True, blank=True, related_name="exercises")
    # An exemplar labels a passage a lesson shows annotated; a bank exercise a passage shown nowhere else.
    exemplar = models.BooleanField(default=False)
    difficulty = models.PositiveSmallIntegerField(default=1, help_text="1 (clear signals) to 3")
    field = models.CharField(max_length=100, blank=True, help_text="The research field of a bank passage")
    # A bank passage's paper: authors, title, venue, year, doi, arxiv_id, licence, url, read_from.
    paper = models.JSONField(default=dict, blank=True)
    # The practice path within a part: exemplars first, then the bank from easy to hard.
    order = models.PositiveSmallIntegerField()
    # A digest of the sentences and answers: a form opened before the content changed is refused.
    version = models.CharField(max_length=64)
    # The guide's version, new on every load (`lessons.loader.new_guide_version`): everything the
    # exercise's page caches (its sentences and labels, its rendered fragments) is keyed on it.
    guide_version = models.CharField(max_length=64, blank=True)
    # False for an exercise written for an audience (see the class): left out of every list and
    # path, reached at `home` (its page's path, ending in "/") under the access rules of its app.
    listed = models.BooleanField(default=True)
    home = models.CharField(max_length=200, blank=True)

    # `objects` (the default) is the bank: every page and list that does not know an audience.
    objects = ListedExercises()
    everywhere = ExerciseQuerySet.as_manager()

    class Meta:
        ordering = ["part__order", "order"]
        base_manager_name = "everywhere"
        # A listed slug is a public address; an audience's exercises (each revision a row) share theirs.
        constraints = [models.UniqueConstraint(fields=["slug"], condition=Q(listed=True), name="unique_listed_slug")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.home if not self.listed else link("exercise", self.slug)

    @property
    def submit_url(self):
        return f"{self.home}submit/" if not self.listed else link("exercise_submit", self.slug)

    def attempt_url(self, attempt_id):
        return f"{self.home}attempts/{attempt_id}/" if not self.listed else link("attempt", self.slug, attempt_id)

    def contest_url(self, attempt_id):
        return f"{self.attempt_url(attempt_id)}objections/"

    def page_content(self):
        """What the exercise page and grading need besides the exercise's own row: its sentences (with
        their right labels), its label set, the lesson it practises, the annotated excerpt and the
        next exercise of the path.

        Cached per process under the guide's version, read from this row: content changes only when
        the guide is loaded, and every load writes a new version (so even the title of the next
        exercise is fresh). With `settings.CONTENT_CACHES` off, read once per request (per row object).
        """
        if not settings.CONTENT_CACHES:
            if getattr(self, "_page_content", None) is None:
                self._page_content = self._read_page_content()
            return self._page_content
        cached = _PAGE_CONTENT.get(self.pk)
        if cached is None or cached.key != self.guide_version:
            cached = _PAGE_CONTENT[self.pk] = self._read_page_content()
        return cached

    def forget_page_content(self):
        """Drop what this process cached for this row: for a row that is rolled back (a preview), whose
        id the database may give again."""
        _PAGE_CONTENT.pop(self.pk, None)

    def _read_page_content(self):
        return ExercisePageContent(
            self.guide_version,
            tuple(self.sentences.select_related("label")),
            tuple(Move.objects.filter(move_set_id=self.label_set_id)),
            Lesson.objects.filter(pk=self.lesson_id).only("slug", "title").first(),
            Excerpt.objects.select_related("paper").filter(pk=self.excerpt_id).first(),
            self.following(),
            _accepted_by_sentence(AcceptedLabel.objects.filter(sentence__exercise_id=self.pk)),
        )

    def following(self):
        """The next exercise of the practice path: the next of this part, else the first of the next part.
        An exercise outside the bank is on no path."""
        if not self.listed:
            return None
        part_order = Subquery(Part.objects.filter(pk=self.part_id).values("order"))
        return (
            Exercise.objects.filter(Q(part_id=self.part_id, order__gt=self.order) | Q(part__order__gt=part_order))
            .order_by("part__order", "order")
            .only("slug", "title")
            .first()
        )

    def grade(self, choices, scope=None):
        """Grade `choices` ({sentence id: Move}) against every sentence; returns a `Grade`.

        Besides each sentence's right label and the labels its file accepts, the labels accepted on
        objections count: for everyone (`AcceptedLabel`), and in `scope` (a course's decisions)."""
        content = self.page_content()
        in_scope = scope.accepted_labels(self) if scope is not None else {}
        results = []
        for sentence in content.sentences:
            chosen = choices[sentence.pk]
            also = content.accepted.get(sentence.pk, frozenset()) | in_scope.get(sentence.pk, frozenset())
            results.append(SentenceResult(sentence, chosen, sentence.verdict_for(chosen, also)))
        return Grade(results)

    def renew_guide_version(self):
        """Make what is cached for this exercise stale, as a load does, when labels are accepted for
        everyone: the same files' digest, a new random part, on this row alone."""
        digest = self.guide_version.partition("-")[0]
        self.guide_version = f"{digest}-{secrets.token_hex(8)}"
        Exercise.objects.filter(pk=self.pk).update(guide_version=self.guide_version)


@dataclass(frozen=True)
class ExercisePageContent:
    key: str  # the guide's version it was read under
    sentences: tuple
    labels: tuple
    lesson: Lesson | None
    excerpt: Excerpt | None
    next_exercise: "Exercise | None"
    # {sentence id: frozenset of label slugs} accepted for everyone on objections (`AcceptedLabel`).
    accepted: dict

    @property
    def passage_html(self):
        """The whole passage as one paragraph: the sentences' sanitised HTML, joined with spaces."""
        return " ".join(sentence.text_html for sentence in self.sentences)


# Per process; by exercise id, checked against the exercise's guide version on every use.
_PAGE_CONTENT = {}

_listed_by_slug = CompiledObjectsQuery(
    Exercise,
    [field.attname for field in Exercise._meta.concrete_fields],
    lambda slug: Exercise.objects.filter(slug=slug),
    "compiled-query-sample-slug",
)


def _accepted_by_sentence(accepted_labels):
    """{sentence id: frozenset of label slugs} from a query of rows with `sentence_id` and `label`."""
    by_sentence = defaultdict(set)
    for sentence_id, slug in accepted_labels.values_list("sentence_id", "label__slug"):
        by_sentence[sentence_id].add(slug)
    return {sentence_id: frozenset(slugs) for sentence_id, slugs in by_sentence.items()}


class Verdict(models.TextChoices):
    """What a label chosen for a sentence is worth: its right label, another label it accepts, or wrong."""

    RIGHT = "right", "right"
    ACCEPTED = "accepted", "accepted"
    WRONG = "wrong", "wrong"


class Sentence(models.Model):
    """One sentence of an exercise's passage, with its right label and the feedback to give."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="sentences")
    position = models.PositiveSmallIntegerField()
    # The quotation as written in the files (with `$...$` maths): CSV exports and plain-text places.
    text = models.TextField()
    # Rendered at load time: the sentence as the form shows it, and with its signal words marked.
    text_html = models.TextField()
    highlighted_html = models.TextField()
    label = models.ForeignKey(Move, on_delete=models.PROTECT, related_name="+")
    also_accepted = models.JSONField(default=list, help_text="Slugs of other labels that count as right")
    explanation_html = models.TextField()
    signals = models.JSONField(default=list)
    feedback_html = models.JSONField(default=dict, help_text="Label slug: rendered note for choosing that wrong label")

    class Meta:
        ordering = ["exercise", "position"]
        constraints = [models.UniqueConstraint(fields=["exercise", "position"], name="unique_sentence_position")]

    def __str__(self):
        return f"{self.exercise.slug} #{self.position}"

    @property
    def field_name(self):
        return f"sentence-{self.pk}"

    def verdict_for(self, move, also_accepted=frozenset()):
        """The `Verdict` for choosing `move` for this sentence; `also_accepted`: slugs of labels accepted
        beyond the files' (on objections)."""
        if move.pk == self.label_id:
            return Verdict.RIGHT
        if move.slug in self.also_accepted or move.slug in also_accepted:
            return Verdict.ACCEPTED
        return Verdict.WRONG


class Judged:
    """What grading and a stored answer have in common: a sentence, the label chosen, a verdict."""

    @property
    def is_correct(self):
        return self.verdict != Verdict.WRONG

    @property
    def wrong_label_feedback_html(self):
        """The note written for this wrong label, if any, as sanitised HTML: the one entry of the
        sentence's `feedback_html` (every wrong label's note) that this choice earns."""
        return self.sentence.feedback_html.get(self.chosen.slug, "") if self.verdict == Verdict.WRONG else ""


@dataclass(frozen=True)
class SentenceResult(Judged):
    sentence: Sentence
    chosen: Move
    verdict: Verdict


@dataclass(frozen=True)
class Grade:
    results: list

    @property
    def correct(self):
        return sum(result.is_correct for result in self.results)

    @property
    def total(self):
        return len(self.results)


class LearnerQuerySet(models.QuerySet):
    def anonymous_inactive_since(self, cutoff):
        """Learners without an account, made before `cutoff` and with nothing of theirs touched since.

        Everything that belongs to a learner counts, by its `updated` (else `created`) time: attempts
        here, and what apps above this one keep for a learner (drafts), which this app cannot name.
        """
        stale = self.filter(user__isnull=True, created__lt=cutoff)
        for relation in Learner._meta.related_objects:
            if not relation.one_to_many:
                continue
            fields = {field.name for field in relation.related_model._meta.fields}
            stamp = next((name for name in ("updated", "created") if name in fields), None)
            if stamp:
                recent = relation.related_model._base_manager.filter(
                    **{relation.field.name: OuterRef("pk"), f"{stamp}__gte": cutoff}
                )
                stale = stale.exclude(Exists(recent))
        return stale

    def purge(self):
        """Delete these learners with their attempts and answers, in one transaction; returns the counts."""
        with transaction.atomic():
            _, per_model = self.delete()
        return {
            "learners": per_model.get(Learner._meta.label, 0),
            "attempts": per_model.get(Attempt._meta.label, 0),
        }

    def lock(self):
        """Lock these learners' rows in id order, in the caller's transaction (on PostgreSQL; SQLite's
        write lock already serialises every writer). A write to several learners' attempts, answers or
        objections takes this first: the triggers that move their `results_version` (migration 0008)
        then update rows it holds already, and it waits for a learner's own write (a submit, an
        objection, which lock their learner first) instead of holding an answer that write needs."""
        if connection.features.has_select_for_update:
            list(self.select_for_update().order_by("pk").values_list("pk", flat=True))

    def for_browser(self, browser_secret):
        """The anonymous learner of a browser with no learner in its session yet, made on first use.

        Keyed on a digest of the browser's CSRF secret, so a visitor's concurrent first submissions
        (several tabs, a double click) all land in one learner instead of orphaning all but one.
        """
        if not browser_secret:
            return self.create()
        key = hashlib.sha256(f"learner:{browser_secret}".encode()).hexdigest()
        return self.get_or_create(browser_key=key, user=None)[0]

    def claim(self, anonymous_learner_id, user):
        """Move an anonymous learner's attempts and other work to `user`'s learner: nothing lost, nothing doubled.

        Attempts keep their order: the anonymous ones are numbered after the user's own.
        Returns the id of the user's learner (None if they have never practised).
        """
        with transaction.atomic():
            mine = self.filter(user=user).first()
            anonymous = None
            if anonymous_learner_id:
                anonymous = self.select_for_update().filter(pk=anonymous_learner_id, user__isnull=True).first()
            if anonymous is None:
                return mine.pk if mine else None
            if mine is None:
                anonymous.user = user
                anonymous.browser_key = None  # the account's now: a later visitor on this browser starts anew
                anonymous.save(update_fields=["user", "browser_key"])
                return anonymous.pk
            last_numbers = dict(
                Attempt.objects.filter(learner=mine).values_list("exercise").annotate(last=Max("number"))
            )
            for attempt in anonymous.attempts.order_by("exercise_id", "number"):
                last_numbers[attempt.exercise_id] = last_numbers.get(attempt.exercise_id, 0) + 1
                attempt.learner = mine
                attempt.number = last_numbers[attempt.exercise_id]
                attempt.save(update_fields=["learner", "number"])
            # Other apps keep a learner's work too (drafts' abstracts) and this app must not import
            # them: move every other row that points at the anonymous learner, or its deletion
            # below would cascade and take that work with it.
            for relation in Learner._meta.related_objects:
                if relation.one_to_many and relation.related_model is not Attempt:
                    name = relation.field.name
                    relation.related_model._base_manager.filter(**{name: anonymous}).update(**{name: mine})
            anonymous.delete()
            return mine.pk


class Learner(models.Model):
    """Someone practising: a user, or an anonymous visitor known by an id kept in their session."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="learner"
    )
    created = models.DateTimeField(auto_now_add=True)
    # Only for an anonymous learner: a digest of its browser's CSRF secret (see `for_browser`).
    browser_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    # One more on every write to the learner's attempts, answers or objections, by triggers in the
    # database (migration 0008): what the caches of anything that shows them key on.
    results_version = models.PositiveIntegerField(default=0, editable=False)

    objects = LearnerQuerySet.as_manager()

    def __str__(self):
        return self.user.get_username() if self.user_id else f"anonymous learner {self.pk}"


SCORE = ExpressionWrapper(F("correct") * 100.0 / F("total"), output_field=FloatField())


class AttemptQuerySet(models.QuerySet):
    def for_learner(self, learner_id):
        return self.filter(learner_id=learner_id) if learner_id else self.none()

    def by_users(self, users):
        """Attempts by the learners of these accounts (users, or their ids)."""
        return self.filter(learner__user__in=users)

    def on_exercises(self, exercises):
        """Attempts at these exercises (exercises, their ids, or a query of ids)."""
        return self.filter(exercise__in=exercises)

    def stats_per_exercise(self):
        """Rows of (exercise id, attempts, best, last) per exercise and learner, with scores in percent."""
        last_score = Subquery(
            Attempt.objects.filter(learner=OuterRef("learner"), exercise=OuterRef("exercise"))
            .order_by("-number")
            .annotate(score=SCORE)
            .values("score")[:1]
        )
        return (
            self.values("exercise", "learner")
            .annotate(attempts=Count("pk"), best=Max(SCORE), last=last_score)
            .order_by()
            .values_list("exercise", "attempts", "best", "last")
        )

    def record(self, learner_id, exercise, grade, scope=None):
        """Store a graded attempt, numbered next for its learner and exercise, with one answer per sentence.

        The number is chosen inside the INSERT itself. One learner's submissions (two tabs, a shared
        account) are numbered one at a time: on PostgreSQL the learner's row is locked first, so the
        INSERT's MAX sees the attempt committed before it; on SQLite the write lock taken at BEGIN
        (IMMEDIATE) already serialises every writer. The unique constraint stays as the last guard.
        """
        now = timezone.now()
        with transaction.atomic():
            if connection.features.has_select_for_update:
                list(Learner.objects.select_for_update().filter(pk=learner_id).values_list("pk"))
            attempt_id, number = _insert_next_attempt(learner_id, exercise.pk, now, grade)
            # The row exists already: build the instance as the ORM does for a row it reads.
            row = {"id": attempt_id, "learner_id": learner_id, "exercise_id": exercise.pk, "number": number,
                   "created": now, "correct": grade.correct, "total": grade.total}  # fmt: skip
            fields = [field.attname for field in Attempt._meta.concrete_fields]
            attempt = Attempt.from_db(connection.alias, fields, [row[name] for name in fields])
            attempt.exercise = exercise  # its URL needs the slug: no query for it
            _insert_answers(attempt_id, grade.results)
            if scope is not None:
                scope.record(attempt)
            return attempt


def _insert_next_attempt(learner_id, exercise_id, now, grade):
    table = connection.ops.quote_name(Attempt._meta.db_table)
    # SQLite 3.35+ and PostgreSQL both support INSERT ... SELECT ... RETURNING.
    sql = (
        f"INSERT INTO {table} (learner_id, exercise_id, number, created, correct, total) "  # noqa: S608 (a model's table)
        f"SELECT %s, %s, COALESCE(MAX(number), 0) + 1, %s, %s, %s FROM {table} "
        "WHERE learner_id = %s AND exercise_id = %s RETURNING id, number"
    )
    created = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.execute(sql, [learner_id, exercise_id, created, grade.correct, grade.total, learner_id, exercise_id])
        return cursor.fetchone()


def _insert_answers(attempt_id, results):
    """One row per result, in one INSERT: building an `Answer` per row for `bulk_create` took twice as
    long as the statement (bench/README.md). No signal is sent, as `bulk_create` sends none."""
    if not results:
        return
    columns = ", ".join(
        connection.ops.quote_name(Answer._meta.get_field(name).column)
        for name in ("attempt", "sentence", "chosen", "verdict")
    )
    rows = ", ".join(["(%s, %s, %s, %s)"] * len(results))
    params = [value for r in results for value in (attempt_id, r.sentence.pk, r.chosen.pk, str(r.verdict))]
    table = connection.ops.quote_name(Answer._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {rows}", params)  # noqa: S608 (a model's table and columns)


# A learner's reads on the practice pages (the exercise page, its submit, the list, progress): the SQL is
# compiled once (`writing_guide.compiled`), since building these queries with the ORM took four to ten times
# as long as running them.
_stats_of_learner = CompiledQuery(
    lambda learner_id: Attempt.objects.filter(learner_id=learner_id).stats_per_exercise(), SAMPLE_ID
)


@dataclass(frozen=True)
class ExerciseStats:
    attempts: int
    best: float  # percent
    last: float


def stats_of_learner(learner_id):
    """{exercise id: ExerciseStats} of a learner's attempts (none for no learner yet), from one query."""
    if not learner_id:
        return {}
    return {exercise_id: ExerciseStats(*row) for exercise_id, *row in _stats_of_learner.rows(learner_id)}


_latest_attempts = {}


class ListedAttempt(NamedTuple):
    """One of a learner's attempts as their list of attempts shows it, read without building an `Attempt`:
    `created` is as the database gave it (a key; `attempt()` converts it for showing)."""

    query: CompiledQuery
    exercise: Exercise
    pk: int
    number: int
    correct: int
    total: int
    created: object

    def attempt(self):
        """The `Attempt` of this row, as the ORM would build it (dates converted), with its exercise."""
        pk, number, correct, total, created = self.query.converted(self[2:])
        attempt = Attempt(pk=pk, exercise=self.exercise, number=number, correct=correct, total=total)
        attempt.created = created
        return attempt


def latest_attempts(learner_id, exercise, count):
    """A learner's latest `count` attempts at `exercise`, newest first, as `ListedAttempt`s."""
    if not learner_id:
        return []
    if count not in _latest_attempts:
        _latest_attempts[count] = CompiledQuery(
            lambda learner_id, exercise_id: (
                Attempt.objects.filter(learner_id=learner_id, exercise_id=exercise_id)
                .order_by("-number")
                .values_list("pk", "number", "correct", "total", "created")[:count]
            ),
            SAMPLE_ID,
            SAMPLE_ID + 1,
        )
    query = _latest_attempts[count]
    return [ListedAttempt(query, exercise, *row) for row in query.rows(learner_id, exercise.pk, convert=False)]


class Attempt(models.Model):
    """One try at an exercise by a learner, numbered 1, 2, ... per learner and exercise."""

    # No index of its own: the unique constraint's (learner, exercise, number) leads with it and serves every
    # lookup by learner; a second one cost each submit a page more to write (bench/README.md).
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="attempts", db_index=False)
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveIntegerField()
    created = models.DateTimeField(auto_now_add=True)
    correct = models.PositiveSmallIntegerField()
    total = models.PositiveSmallIntegerField()

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["exercise", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["learner", "exercise", "number"], name="unique_attempt_number"),
            models.CheckConstraint(condition=Q(correct__lte=F("total")), name="attempt_correct_within_total"),
        ]
        # Every learner's first attempt at an exercise: how the others answered (`class_answers`).
        # Number first: led by the exercise, SQLite chose it for the analytics' reads too, 20% slower.
        indexes = [models.Index(fields=["number", "exercise"], name="attempt_number_exercise")]

    def __str__(self):
        return f"{self.learner} on {self.exercise.slug}, attempt {self.number}"

    def get_absolute_url(self):
        return self.exercise.attempt_url(self.pk)

    @property
    def score(self):
        return percent(self.correct, self.total)

    def results(self):
        """The attempt's answers as `SentenceResult`s in the passage's order, their sentences and labels
        taken from the exercise's page content (`Exercise.page_content`: no join, no model per answer);
        through the ORM, with their sentences and labels joined, when one is not in it (content loaded
        since). The attempt page's feedback, read with SQL compiled once."""
        content = self.exercise.page_content()
        sentences = {sentence.pk: sentence for sentence in content.sentences}
        labels = {label.pk: label for label in content.labels}
        rows = _answers_of_attempt.rows(self.pk)
        if not all(sentence_id in sentences and chosen_id in labels for sentence_id, chosen_id, _ in rows):
            return list(Answer.objects.filter(attempt=self).select_related("sentence__label", "chosen"))
        results = [SentenceResult(sentences[s], labels[c], Verdict(verdict)) for s, c, verdict in rows]
        return sorted(results, key=lambda result: result.sentence.position)

    @property
    def has_objections(self):
        """Whether any of the attempt's answers was contested (one lookup by index)."""
        return bool(_objection_of_attempt.rows(self.pk))

    @property
    def contest_url(self):
        return self.exercise.contest_url(self.pk)


class AnswerQuerySet(models.QuerySet):
    def accept(self, *, by, reason):
        """Regrade these answers: each one marked wrong becomes accepted, with a `VerdictChange` saying
        who, when and why, and its attempt's score is counted again from its answers. All in one
        transaction, so the dashboard and the learner never read half a regrade. Returns the number
        of answers changed.

        This is the explicit decision the rules ask for: loading changed files never calls it.
        """
        with transaction.atomic():
            Learner.objects.filter(pk__in=self.values("attempt__learner_id")).lock()
            wrong = list(self.filter(verdict=Verdict.WRONG).select_for_update().values_list("pk", "attempt_id"))
            if not wrong:
                return 0
            answer_ids = [pk for pk, _ in wrong]
            VerdictChange.objects.bulk_create(
                VerdictChange(answer_id=pk, before=Verdict.WRONG, after=Verdict.ACCEPTED, changed_by=by, reason=reason)
                for pk in answer_ids
            )
            Answer.objects.filter(pk__in=answer_ids).update(verdict=Verdict.ACCEPTED)
            _recount({attempt_id for _, attempt_id in wrong})
            return len(answer_ids)

    def regrade(self, verdict_of, *, by, reason):
        """Regrade these answers with `verdict_of(answer)` (a `Verdict`; the answer comes with its
        `chosen` move): each changed verdict is stored with a `VerdictChange`, and the attempts' scores
        are counted again, all in one transaction. Returns the number of answers changed.

        For a right label changed by whoever owns the exercise, when they ask for it (never on a load)."""
        with transaction.atomic():
            Learner.objects.filter(pk__in=self.values("attempt__learner_id")).lock()
            changed = []
            for answer in self.select_for_update().select_related("chosen"):
                after = verdict_of(answer)
                if after != answer.verdict:
                    changed.append((answer, after))
            VerdictChange.objects.bulk_create(
                VerdictChange(answer=answer, before=answer.verdict, after=after, changed_by=by, reason=reason)
                for answer, after in changed
            )
            for verdict in Verdict:
                ids = [answer.pk for answer, after in changed if after == verdict]
                if ids:
                    Answer.objects.filter(pk__in=ids).update(verdict=verdict)
            _recount({answer.attempt_id for answer, _ in changed})
            return len(changed)

    def tally(self):
        """{sentence id: {label id: how many of these answers chose it}}, from one query."""
        tally = defaultdict(dict)
        for sentence_id, chosen_id, n in (
            self.order_by()
            .values("sentence_id", "chosen_id")
            .annotate(n=Count("pk"))
            .values_list("sentence_id", "chosen_id", "n")
        ):
            tally[sentence_id][chosen_id] = n
        return dict(tally)


def _recount(attempt_ids):
    """Count again each attempt's right and accepted answers: the score the dashboard reads."""
    if not attempt_ids:
        return
    counted = (
        Answer.objects.filter(attempt=OuterRef("pk"))
        .exclude(verdict=Verdict.WRONG)
        .values("attempt")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # An attempt with no right answer left counts none (the subquery finds no row: NULL).
    Attempt.objects.filter(pk__in=attempt_ids).update(correct=Coalesce(Subquery(counted), 0))


class Answer(Judged, models.Model):
    """The label a learner chose for one sentence in one attempt, and its verdict."""

    # Indexed by the unique constraint's (attempt, sentence), which leads with it (as Attempt.learner).
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers", db_index=False)
    sentence = models.ForeignKey(Sentence, on_delete=models.PROTECT, related_name="answers")
    chosen = models.ForeignKey(Move, on_delete=models.PROTECT, related_name="+")
    verdict = models.CharField(max_length=8, choices=Verdict)

    objects = AnswerQuerySet.as_manager()

    class Meta:
        ordering = ["attempt", "sentence__position"]
        constraints = [models.UniqueConstraint(fields=["attempt", "sentence"], name="one_answer_per_sentence")]

    def __str__(self):
        return f"{self.attempt}: sentence {self.sentence.position} as {self.chosen.slug} ({self.verdict})"


class LabelTally(models.Model):
    """How many of a learner's answers, to sentences whose right label is `label`, chose `chosen` with
    `verdict`: what the progress page's list by label counts, read in one lookup instead of an aggregate
    over every answer of the learner (bench/README.md). Kept by the database itself on every write to
    answers, to an attempt's learner and to a sentence's label (migration 0009), as `results_version`
    is: no code path can forget it, and a regrade changes it in the regrade's own transaction. A count
    can fall to 0; its row stays until its learner goes."""

    # Indexed by the unique constraint, which leads with it (as Attempt.learner).
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="+", db_index=False)
    label = models.ForeignKey(Move, on_delete=models.CASCADE, related_name="+")
    chosen = models.ForeignKey(Move, on_delete=models.CASCADE, related_name="+")
    verdict = models.CharField(max_length=8, choices=Verdict)
    answers = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "label", "chosen", "verdict"], name="one_tally_per_choice")
        ]

    def __str__(self):
        return f"learner {self.learner_id}, label {self.label_id}: {self.answers} × {self.chosen_id} ({self.verdict})"


class VerdictChange(models.Model):
    """One stored verdict changed by a regrade: the audit of who changed what, when, and why."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="verdict_changes")
    before = models.CharField(max_length=8, choices=Verdict)
    after = models.CharField(max_length=8, choices=Verdict)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    changed = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(max_length=300)

    class Meta:
        ordering = ["-changed", "-pk"]

    def __str__(self):
        return f"{self.answer_id}: {self.before} -> {self.after} ({self.reason})"


class AcceptedLabel(models.Model):
    """A label accepted for a sentence for everyone, beyond its file's `also_accepted`: a content
    editor's decision on an objection. Content stays data: it is kept here until the exercise's file
    says the same (`manage.py export_overrides` prints the edit; `load_guide` then retires it)."""

    sentence = models.ForeignKey(Sentence, on_delete=models.CASCADE, related_name="accepted_labels")
    label = models.ForeignKey(Move, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sentence", "label__order"]
        constraints = [models.UniqueConstraint(fields=["sentence", "label"], name="one_accepted_label_per_sentence")]
        permissions = [("decide_objections", "Can decide learners' objections outside courses, for everyone")]

    def __str__(self):
        return f"{self.label.slug} accepted for {self.sentence}"


# What a learner may write in an objection, and how many objections they may raise in an hour.
REASON_MAX_LENGTH = 1000
OBJECTIONS_PER_HOUR = 20
OBJECTION_WINDOW = timedelta(hours=1)


class TooManyObjections(Exception):
    def __init__(self, retry_after):
        super().__init__(f"You have raised {OBJECTIONS_PER_HOUR} objections in the last hour; try again later.")
        self.retry_after = retry_after


class ObjectionRefused(Exception):
    """An objection that cannot be raised: the answer is not wrong, or one is open already."""


class ObjectionStatus(models.TextChoices):
    OPEN = "open", "waiting for a decision"
    ACCEPTED = "accepted", "accepted"
    REJECTED = "rejected", "not accepted"


class ObjectionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=ObjectionStatus.OPEN)

    def for_learner(self, learner_id):
        return self.filter(learner_id=learner_id) if learner_id else self.none()

    def raise_for(self, answer, reason):
        """Open an objection to `answer` (a wrong one) with the learner's `reason`. Raises
        `ObjectionRefused` when the answer was not marked wrong or the learner has an open objection
        on that sentence already, `TooManyObjections` past the hourly limit. The learner's row is
        locked first on PostgreSQL (SQLite's write lock does the same), so the count is exact."""
        if answer.verdict != Verdict.WRONG:
            raise ObjectionRefused("This answer counts as right already: there is nothing to contest.")
        learner_id = answer.attempt.learner_id
        now = timezone.now()
        with transaction.atomic():
            if connection.features.has_select_for_update:
                list(Learner.objects.select_for_update().filter(pk=learner_id).values_list("pk"))
            if self.open().filter(learner_id=learner_id, sentence_id=answer.sentence_id).exists():
                raise ObjectionRefused("You have an objection on this sentence waiting for a decision already.")
            recent = list(
                self.filter(learner_id=learner_id, created__gt=now - OBJECTION_WINDOW)
                .order_by("-created")
                .values_list("created", flat=True)[:OBJECTIONS_PER_HOUR]
            )
            if len(recent) >= OBJECTIONS_PER_HOUR:
                free_at = recent[-1] + OBJECTION_WINDOW
                raise TooManyObjections(max(1, math.ceil((free_at - now).total_seconds())))
            return self.create(
                answer=answer, learner_id=learner_id, sentence_id=answer.sentence_id, chosen_id=answer.chosen_id,
                reason=reason,
            )  # fmt: skip

    def for_queue(self):
        """With what a reviewer reads: the sentence and its label, the chosen label, the learner's
        account, the exercise; oldest first."""
        return self.select_related(
            "sentence__label", "sentence__exercise", "chosen", "learner__user", "decided_by"
        ).order_by("created", "pk")

    def decide(self, *, accept, by, reply="", regrade=None, reason=""):
        """Accept or reject these objections (all about one sentence and label, in one scope) with
        `reply`; accepting regrades `regrade` (a query of answers) in the same transaction. Returns
        the number of answers regraded."""
        with transaction.atomic():
            learners = Q(pk__in=self.values("learner_id"))
            if accept and regrade is not None:
                learners |= Q(pk__in=regrade.values("attempt__learner_id"))
            Learner.objects.filter(learners).lock()
            changed = regrade.accept(by=by, reason=reason) if accept and regrade is not None else 0
            self.open().update(
                status=ObjectionStatus.ACCEPTED if accept else ObjectionStatus.REJECTED,
                reply=reply,
                decided=timezone.now(),
                decided_by=by,
            )
            return changed


class Objection(models.Model):
    """A learner's case that the label they chose for a sentence fits too, with their reason.

    Open until decided: by the instructors of the course the attempt was made for, or, for an
    attempt made on one's own, by the site's content editors. One open objection per learner and
    sentence (a database constraint)."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="objections")
    # The answer's learner, sentence and label, kept here for the one-open rule and the queues.
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="objections")
    sentence = models.ForeignKey(Sentence, on_delete=models.CASCADE, related_name="objections")
    chosen = models.ForeignKey(Move, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(max_length=REASON_MAX_LENGTH)
    status = models.CharField(max_length=8, choices=ObjectionStatus, default=ObjectionStatus.OPEN)
    reply = models.TextField(blank=True, max_length=REASON_MAX_LENGTH)
    created = models.DateTimeField(auto_now_add=True)
    decided = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ObjectionQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "sentence"], condition=Q(status="open"), name="one_open_objection_per_sentence"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "accepted", "rejected"]), name="objection_status_known"
            ),
        ]

    def __str__(self):
        return f"{self.learner} on {self.sentence}: {self.chosen.slug} ({self.status})"

    @property
    def is_open(self):
        return self.status == ObjectionStatus.OPEN

    @property
    def attempt_url(self):
        """The contested attempt's page; the progress page annotates `attempt_id` (no query for the answer)."""
        return self.sentence.exercise.attempt_url(
            self.attempt_id if hasattr(self, "attempt_id") else self.answer.attempt_id
        )


# The attempt page's reads (`own_attempt`, `Attempt.results`, `Attempt.has_objections`), with their SQL
# compiled once (`writing_guide.compiled`): through the ORM they took half of the page's 5 ms.
_own_attempt = CompiledObjectsQuery(
    Attempt,
    [field.attname for field in Attempt._meta.concrete_fields],
    lambda learner_id, exercise_id, attempt_id: Attempt.objects.filter(
        learner_id=learner_id, exercise_id=exercise_id, pk=attempt_id
    ).order_by()[:1],
    SAMPLE_ID,
    SAMPLE_ID + 1,
    SAMPLE_ID + 2,
)
_answers_of_attempt = CompiledQuery(
    lambda attempt_id: (
        Answer.objects.filter(attempt_id=attempt_id).order_by().values_list("sentence_id", "chosen_id", "verdict")
    ),
    SAMPLE_ID,
)
_objection_of_attempt = CompiledQuery(
    lambda attempt_id: Objection.objects.filter(answer__attempt_id=attempt_id).order_by().values_list("pk")[:1],
    SAMPLE_ID,
)


def own_attempt(learner_id, exercise, attempt_id):
    """The learner's attempt `attempt_id` at `exercise`, with its exercise; None if it is not theirs (or no
    attempt: an id beyond any database's integer is none, as the ORM would find)."""
    if not learner_id or not 0 < attempt_id < 2**63:
        return None
    attempts = _own_attempt.objects(learner_id, exercise.pk, attempt_id)
    if not attempts:
        return None
    attempts[0].exercise = exercise  # its addresses need the slug: no query for it
    return attempts[0]
