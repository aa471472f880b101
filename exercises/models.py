"""Exercises (a passage to label sentence by sentence), learners, and every attempt they make.

The engine is general: an exercise names a label set (a `lessons.MoveSet`), each sentence its
right label and the labels also accepted; grading compares a learner's choices with those.
A learner is a person practising, with or without an account, so attempts outlive sign-up.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Count, ExpressionWrapper, F, FloatField, Max, OuterRef, Q, Subquery
from django.urls import reverse

from lessons.models import Excerpt, Move, MoveSet, Part


class ExerciseQuerySet(models.QuerySet):
    def in_layout_order(self):
        return self.select_related("part", "label_set").order_by("part__order", "order")


class Exercise(models.Model):
    """A passage split into sentences, each to be labelled with a move of `label_set`."""

    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    part = models.ForeignKey(Part, on_delete=models.PROTECT, related_name="exercises")
    label_set = models.ForeignKey(MoveSet, on_delete=models.PROTECT, related_name="exercises")
    excerpt = models.ForeignKey(Excerpt, on_delete=models.SET_NULL, null=True, blank=True, related_name="exercises")
    source = models.TextField(help_text="The citation of the passage")
    instructions_html = models.TextField()
    order = models.PositiveSmallIntegerField()
    # A digest of the sentences and answers: a form opened before the content changed is refused.
    version = models.CharField(max_length=64)

    objects = ExerciseQuerySet.as_manager()

    class Meta:
        ordering = ["part__order", "order"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("exercise", args=[self.slug])

    def grade(self, choices):
        """Grade `choices` ({sentence id: Move}) against every sentence; returns a `Grade`."""
        results = []
        for sentence in self.sentences.all():
            chosen = choices[sentence.pk]
            results.append(SentenceResult(sentence, chosen, sentence.verdict_for(chosen)))
        return Grade(results)


class Sentence(models.Model):
    """One sentence of an exercise's passage, with its right label and the feedback to give."""

    RIGHT, ACCEPTED, WRONG = "right", "accepted", "wrong"

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="sentences")
    position = models.PositiveSmallIntegerField()
    text = models.TextField()
    highlighted_html = models.TextField(help_text="The text with its signal words marked")
    label = models.ForeignKey(Move, on_delete=models.PROTECT, related_name="+")
    also_accepted = models.JSONField(default=list, help_text="Slugs of other labels that count as right")
    explanation_html = models.TextField()
    signals = models.JSONField(default=list)
    feedback = models.JSONField(default=dict, help_text="Label slug: feedback for choosing that wrong label")

    class Meta:
        ordering = ["exercise", "position"]
        constraints = [models.UniqueConstraint(fields=["exercise", "position"], name="unique_sentence_position")]

    def __str__(self):
        return f"{self.exercise.slug} #{self.position}"

    @property
    def field_name(self):
        return f"sentence-{self.pk}"

    def verdict_for(self, move):
        if move.pk == self.label_id:
            return self.RIGHT
        if move.slug in self.also_accepted:
            return self.ACCEPTED
        return self.WRONG

    def feedback_for(self, move):
        return self.feedback.get(move.slug, "")


@dataclass(frozen=True)
class SentenceResult:
    sentence: Sentence
    chosen: Move
    verdict: str

    @property
    def is_correct(self):
        return self.verdict != Sentence.WRONG

    @property
    def feedback(self):
        return self.sentence.feedback_for(self.chosen) if self.verdict == Sentence.WRONG else ""


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
    def claim(self, anonymous_learner_id, user):
        """Move an anonymous learner's attempts to `user`'s learner: nothing lost, nothing doubled.

        Attempts keep their order: the anonymous ones are numbered after the user's own.
        """
        if not anonymous_learner_id:
            return
        with transaction.atomic():
            anonymous = self.select_for_update().filter(pk=anonymous_learner_id, user__isnull=True).first()
            if anonymous is None:
                return
            mine = self.filter(user=user).first()
            if mine is None:
                anonymous.user = user
                anonymous.save(update_fields=["user"])
                return
            last_numbers = dict(
                Attempt.objects.filter(learner=mine).values_list("exercise").annotate(last=Max("number"))
            )
            for attempt in anonymous.attempts.order_by("exercise_id", "number"):
                last_numbers[attempt.exercise_id] = last_numbers.get(attempt.exercise_id, 0) + 1
                attempt.learner = mine
                attempt.number = last_numbers[attempt.exercise_id]
                attempt.save(update_fields=["learner", "number"])
            anonymous.delete()


class Learner(models.Model):
    """Someone practising: a user, or an anonymous visitor known by an id kept in their session."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="learner"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = LearnerQuerySet.as_manager()

    def __str__(self):
        return self.user.get_username() if self.user_id else f"anonymous learner {self.pk}"


SCORE = ExpressionWrapper(F("correct") * 100.0 / F("total"), output_field=FloatField())


class AttemptQuerySet(models.QuerySet):
    def for_learner(self, learner):
        return self.filter(learner=learner) if learner else self.none()

    def stats_per_exercise(self):
        """{exercise id: {attempts, best, last}} with scores in percent, from one query."""
        last_score = Subquery(
            Attempt.objects.filter(learner=OuterRef("learner"), exercise=OuterRef("exercise"))
            .order_by("-number")
            .annotate(score=SCORE)
            .values("score")[:1]
        )
        rows = (
            self.values("exercise", "learner")
            .annotate(attempts=Count("pk"), best=Max(SCORE), last=last_score)
            .order_by()
        )
        return {row["exercise"]: row for row in rows}

    def record(self, learner, exercise, grade):
        """Store a graded attempt and one answer per sentence, atomically, with the next number.

        The learner's row is locked while the number is chosen, so two submissions at once get
        two numbers; the unique constraint is the last guard, and a clash is retried.
        """
        for _ in range(5):
            try:
                with transaction.atomic():
                    Learner.objects.select_for_update().filter(pk=learner.pk).values_list("pk").get()
                    last = self.filter(learner=learner, exercise=exercise).aggregate(last=Max("number"))["last"]
                    attempt = self.create(
                        learner=learner,
                        exercise=exercise,
                        number=(last or 0) + 1,
                        correct=grade.correct,
                        total=grade.total,
                    )
                    Answer.objects.bulk_create(
                        Answer(attempt=attempt, sentence=r.sentence, chosen=r.chosen, verdict=r.verdict)
                        for r in grade.results
                    )
                    return attempt
            except IntegrityError:
                continue
        raise IntegrityError("could not number the attempt after 5 tries")


class Attempt(models.Model):
    """One try at an exercise by a learner, numbered 1, 2, ... per learner and exercise."""

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="attempts")
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

    def __str__(self):
        return f"{self.learner} on {self.exercise.slug}, attempt {self.number}"

    def get_absolute_url(self):
        return reverse("attempt", args=[self.exercise.slug, self.pk])

    @property
    def score(self):
        return round(self.correct * 100 / self.total) if self.total else 0


class Answer(models.Model):
    """The label a learner chose for one sentence in one attempt, and its verdict."""

    VERDICTS = [(Sentence.RIGHT, "right"), (Sentence.ACCEPTED, "accepted"), (Sentence.WRONG, "wrong")]

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    sentence = models.ForeignKey(Sentence, on_delete=models.PROTECT, related_name="answers")
    chosen = models.ForeignKey(Move, on_delete=models.PROTECT, related_name="+")
    verdict = models.CharField(max_length=8, choices=VERDICTS)

    class Meta:
        ordering = ["attempt", "sentence__position"]
        constraints = [models.UniqueConstraint(fields=["attempt", "sentence"], name="one_answer_per_sentence")]

    def __str__(self):
        return f"{self.attempt}: sentence {self.sentence.position} as {self.chosen.slug} ({self.verdict})"

    @property
    def is_correct(self):
        return self.verdict != Sentence.WRONG

    @property
    def feedback(self):
        return self.sentence.feedback_for(self.chosen) if self.verdict == Sentence.WRONG else ""
