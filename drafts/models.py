"""A learner's own abstracts: drafts, their revisions, and what the move tagger read in each sentence.

A draft belongs to a learner exactly as an attempt does (anonymous visitors keep theirs through
the learner id in their session; `Learner.objects.claim` moves them into the account). Each Check
of an edited text stores a new revision, numbered 1, 2, ... per draft, with one row per sentence:
the tagger's move, confidence and reason, and the move the learner says they intended.

What instructors will need later is here already: `Revision.objects.latest_per_learner()` (each
student's latest revision and its move map) and `RevisionSentence.objects.disagreements()` (the
"I meant this as ..." answers that differ from the tagger's).
"""

import math
from datetime import timedelta

from django.db import connection, models, transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from drafts.tagger.model import SURE
from exercises.models import Learner

# At most this many revisions per learner in THROTTLE_WINDOW: a Check runs the tagger and stores rows.
THROTTLE_LIMIT = 10
THROTTLE_WINDOW = timedelta(minutes=1)


class Throttled(Exception):
    """Too many Checks in a short time; `retry_after` is the wait in whole seconds."""

    def __init__(self, retry_after):
        super().__init__(f"try again in {retry_after} s")
        self.retry_after = retry_after


class DraftGone(Exception):
    """The draft (or its learner) went away while a Check was on its way: nothing was stored."""


class DraftQuerySet(models.QuerySet):
    def for_learner(self, learner_id):
        return self.filter(learner_id=learner_id) if learner_id else self.none()


class Draft(models.Model):
    """One abstract a learner is working on, through any number of revisions."""

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="drafts")
    title = models.CharField(max_length=120, blank=True)
    created = models.DateTimeField(default=timezone.now)
    # When the latest revision was stored: drafts list most recently worked on first.
    updated = models.DateTimeField(default=timezone.now)
    # How many revisions there are, which is also the number of the latest (they are never deleted
    # one by one), so every draft's latest revision comes from one query: number = revision_count.
    revision_count = models.PositiveIntegerField(default=0)

    objects = DraftQuerySet.as_manager()

    class Meta:
        ordering = ["-updated", "-pk"]
        indexes = [models.Index(fields=["learner", "-updated"], name="draft_learner_updated")]

    def __str__(self):
        return f"{self.display_title} ({self.learner})"

    def get_absolute_url(self):
        return reverse("draft", args=[self.pk])

    @property
    def display_title(self):
        return self.title or f"Untitled draft {self.pk}"

    def latest_revision(self):
        return self.revisions.filter(number=self.revision_count).first()

    def rename(self, title):
        self.title = title
        self.save(update_fields=["title"])


class RevisionQuerySet(models.QuerySet):
    def latest_of_each_draft(self):
        """The latest revision of each draft in this queryset."""
        return self.filter(number=F("draft__revision_count"))

    def latest_per_learner(self):
        """Each learner's most recent revision of any draft (for a course page: a student's latest draft)."""
        newest = Revision.objects.filter(draft__learner=OuterRef("draft__learner")).order_by("-created", "-pk")
        return self.filter(pk=Subquery(newest.values("pk")[:1]))

    def throttle(self, learner_id, now):
        """Raise `Throttled` if the learner stored THROTTLE_LIMIT revisions in the last THROTTLE_WINDOW."""
        since = now - THROTTLE_WINDOW
        recent = list(
            Revision.objects.filter(draft__learner_id=learner_id, created__gt=since)
            .order_by("-created")
            .values_list("created", flat=True)[:THROTTLE_LIMIT]
        )
        if len(recent) >= THROTTLE_LIMIT:
            free_at = recent[-1] + THROTTLE_WINDOW
            raise Throttled(max(1, math.ceil((free_at - now).total_seconds())))

    def record(self, learner_id, draft_id, text, tagged, title=""):
        """Store `text` as the next revision of draft `draft_id` (a new draft if None), with its sentences.

        `tagged` is the tagger's answer (a list of `Tagged`). Returns the revision; when the text is
        the same as the latest revision's, returns that one and stores nothing. Raises `Throttled`
        when the learner has checked too often, and `DraftGone` when the draft is not theirs (any
        more). A learner's Checks are stored one at a time: on PostgreSQL the learner's row is
        locked first, so the count of recent revisions and the next number see every Check committed
        before; on SQLite the write lock taken at BEGIN (IMMEDIATE) already serialises every writer.
        The unique constraint on (draft, number) stays as the last guard.
        """
        now = timezone.now()
        with transaction.atomic():
            learner = Learner.objects.filter(pk=learner_id)
            if connection.features.has_select_for_update:
                learner = learner.select_for_update()
            if not learner.exists():
                raise DraftGone
            if draft_id is None:
                draft = Draft(learner_id=learner_id, title=title, created=now)
            else:
                draft = Draft.objects.filter(pk=draft_id, learner_id=learner_id).first()
                if draft is None:
                    raise DraftGone
                latest = draft.latest_revision()
                if latest is not None and latest.text == text:
                    return latest
            self.throttle(learner_id, now)
            draft.revision_count += 1
            draft.updated = now
            draft.save(update_fields=None if draft.pk is None else ["revision_count", "updated"])
            sentences = [item.text for item in tagged]
            revision = Revision.objects.create(
                draft=draft,
                number=draft.revision_count,
                created=now,
                text=text,
                moves=[item.move for item in tagged],
                word_count=sum(len(sentence.split()) for sentence in sentences),
            )
            intended = RevisionSentence.objects.earlier_intents(draft, sentences) if draft.revision_count > 1 else {}
            RevisionSentence.objects.bulk_create(
                RevisionSentence(
                    revision=revision,
                    position=position,
                    text=item.text,
                    move=item.move,
                    confidence=item.confidence,
                    reason=item.reason,
                    intended=intended.get(item.text),
                )
                for position, item in enumerate(tagged, start=1)
            )
            return revision


class Revision(models.Model):
    """The text of a draft at one Check, and the tagger's move for each of its sentences."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    created = models.DateTimeField(default=timezone.now)
    # Plain text as the learner wrote it (control characters removed): always shown escaped.
    text = models.TextField()
    # The move map: the tagger's move for each sentence, in order (the same as the sentences' `move`),
    # kept here so that lists of revisions and of students' drafts read one row each.
    moves = models.JSONField(default=list)
    word_count = models.PositiveIntegerField()

    objects = RevisionQuerySet.as_manager()

    class Meta:
        ordering = ["draft", "-number"]
        constraints = [models.UniqueConstraint(fields=["draft", "number"], name="unique_revision_number")]

    def __str__(self):
        return f"{self.draft}, revision {self.number}"

    def get_absolute_url(self):
        return reverse("draft_revision", args=[self.draft_id, self.number])

    @property
    def sentence_count(self):
        return len(self.moves)


class RevisionSentenceQuerySet(models.QuerySet):
    def disagreements(self):
        """Sentences whose learner said they meant another move than the tagger's (for reviewing the tagger)."""
        return self.exclude(intended__isnull=True).exclude(intended=F("move"))

    def earlier_intents(self, draft, texts):
        """{sentence text: the move the learner last said they intended} over the draft's revisions."""
        rows = (
            self.filter(revision__draft=draft, text__in=set(texts))
            .exclude(intended__isnull=True)
            .order_by("revision__number")
            .values_list("text", "intended")
        )
        return dict(rows)


class RevisionSentence(models.Model):
    """One sentence of a revision: the tagger's move, how sure it was and why, and the learner's intent."""

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="sentences")
    position = models.PositiveSmallIntegerField()
    text = models.TextField()
    # A move slug of the abstract move set (lead-in, problem, about, importance).
    move = models.CharField(max_length=40)
    confidence = models.FloatField()
    reason = models.TextField()
    # "I meant this as ...": the move the learner intended, None until they say.
    intended = models.CharField(max_length=40, null=True, blank=True)  # noqa: DJ001 (None = not said yet)

    objects = RevisionSentenceQuerySet.as_manager()

    class Meta:
        ordering = ["revision", "position"]
        constraints = [
            models.UniqueConstraint(fields=["revision", "position"], name="unique_revision_sentence_position"),
            models.CheckConstraint(condition=Q(confidence__gte=0) & Q(confidence__lte=1), name="confidence_0_to_1"),
        ]

    def __str__(self):
        return f"{self.revision}: sentence {self.position} as {self.move}"

    @property
    def sure(self):
        return self.confidence >= SURE

    def intend(self, move):
        """Record the move the learner meant (None to take the answer back)."""
        self.intended = move
        self.save(update_fields=["intended"])
