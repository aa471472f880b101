"""A learner's progress: per exercise (attempts, best, last), per label (right, confusions), and their objections."""

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, F, Window

from exercises.fragments import joined, render_each
from exercises.models import Exercise, LabelTally, Objection, Verdict, stats_of_learner
from exercises.scores import percent
from lessons.models import Move
from writing_guide.compiled import SAMPLE_ID, CompiledQuery


@dataclass
class LabelStat:
    label: Move
    right: int
    total: int
    confusion: Move | None
    confusion_count: int

    @property
    def percent(self):
        return percent(self.right, self.total)


# The progress page lists this many of the learner's latest objections and counts the rest.
LISTED_OBJECTIONS = 20
# What the page shows of each objection.
OBJECTION_FIELDS = ("status", "reason", "reply", "created", "sentence__position", "sentence__exercise__slug",
                    "sentence__exercise__title", "sentence__exercise__listed", "sentence__exercise__home",
                    "chosen__name", "chosen__slug")  # fmt: skip


class LearnerProgress:
    """Everything `/progress/` shows, from a fixed number of queries however many attempts there are."""

    def __init__(self, learner_id, guide_version):
        """`guide_version`: the loaded guide's (`lessons.pages.guide_version`), which the content read is kept under."""
        self.learner_id = learner_id
        self.guide_version = guide_version
        stats = stats_of_learner(learner_id)
        # (exercise, its ExerciseStats) in the layout's order: the guide's exercises, from the listing
        # every page shares, and a course's own (each revision its own row, linked to its course page).
        exercises = [e for _, listed in Exercise.objects.listing(guide_version) for e in listed if e.pk in stats]
        others = stats.keys() - {exercise.pk for exercise in exercises}
        if others:
            exercises += Exercise.everywhere.for_listing().filter(pk__in=others)
        exercises.sort(key=lambda exercise: (exercise.part.order, exercise.order))
        self.exercises = [(exercise, stats[exercise.pk]) for exercise in exercises]
        self.labels = self._label_stats() if stats else []
        # Objections are raised on attempts: without attempts there are none to read; most learners
        # have none, which a compiled lookup tells before the page's query is built.
        self.objections = self._latest_objections() if stats and _any_objection.rows(learner_id) else []
        self.objection_count = self.objections[0].total if self.objections else 0

    def exercise_rows(self):
        """The rows of the table by exercise, as HTML: each under its exercise's address, title and numbers."""
        parts = [
            (
                f"progress-exercise:{exercise.pk}:{exercise.get_absolute_url()}:{exercise.title}:{stats}",
                {"exercise": exercise, "stats": stats},
            )
            for exercise, stats in self.exercises
        ]
        return joined(render_each("exercises/progress.html#exercise_row", parts))

    def label_stats(self):
        """The list by label, as HTML: each item under the guide's version (the labels' names) and its numbers."""
        parts = [
            (
                f"progress-label:{self.guide_version}:{stat.label.pk}:{stat.right}:{stat.total}:"
                f"{stat.confusion.pk if stat.confusion else ''}:{stat.confusion_count}",
                {"stat": stat},
            )
            for stat in self.labels
        ]
        return joined(render_each("exercises/progress.html#label_stat", parts))

    def _latest_objections(self):
        """The latest objections, newest first, each with `total` (how many the learner has in all,
        counted in the same query) and `attempt_id`, and only the fields the page shows."""
        return list(
            Objection.objects.for_learner(self.learner_id)
            .select_related("sentence__exercise", "chosen")
            .only(*OBJECTION_FIELDS)
            .annotate(total=Window(Count("pk")), attempt_id=F("answer__attempt_id"))
            .order_by("-created", "-pk")[:LISTED_OBJECTIONS]
        )

    def _label_stats(self):
        right, total = defaultdict(int), defaultdict(int)
        confusions = defaultdict(lambda: defaultdict(int))
        for label, chosen, verdict, n in _answers_by_label.rows(self.learner_id):
            total[label] += n
            if verdict == Verdict.WRONG:
                confusions[label][chosen] += n
            else:
                right[label] += n
        moves = _moves(self.guide_version, {*total, *(c for by_label in confusions.values() for c in by_label)})
        stats = []
        for label_id in sorted(total, key=lambda pk: (moves[pk].move_set_id, moves[pk].order)):
            worst = max(confusions[label_id].items(), key=lambda item: item[1], default=(None, 0))
            stats.append(LabelStat(moves[label_id], right[label_id], total[label_id], moves.get(worst[0]), worst[1]))
        return stats


# The page's reads, with SQL compiled once (`writing_guide.compiled`): the ORM took longer to build them
# than the database took to answer.
# The learner's answers by the sentence's label, the label chosen and the verdict: kept by the database
# on every write (`LabelTally`), so one lookup instead of an aggregate over all the learner's answers.
_answers_by_label = CompiledQuery(
    lambda learner_id: LabelTally.objects.filter(learner_id=learner_id, answers__gt=0).values_list(
        "label", "chosen", "verdict", "answers"
    ),
    SAMPLE_ID,
)
_any_objection = CompiledQuery(
    lambda learner_id: Objection.objects.filter(learner_id=learner_id).values_list("pk")[:1], SAMPLE_ID
)

_MOVES = {}  # "kept": (guide version, {move id: move with its move set})


def _moves(version, ids):
    """Every label by id, with its label set: content, kept per process under the guide's version (and read
    again should one of `ids` be missing)."""
    kept = _MOVES.get("kept")
    if kept is not None and kept[0] == version and settings.CONTENT_CACHES and ids <= kept[1].keys():
        return kept[1]
    moves = Move.objects.select_related("move_set").in_bulk()
    if version and settings.CONTENT_CACHES:
        _MOVES["kept"] = (version, moves)
    return moves
