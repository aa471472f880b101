"""A learner's progress: per exercise (attempts, best, last), per label (right, confusions), and their objections."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Window

from exercises.models import Answer, Exercise, Objection, Verdict, stats_of_learner
from exercises.scores import percent
from lessons.models import Move
from lessons.pages import guide_version


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

    def __init__(self, learner_id):
        self.learner_id = learner_id
        stats = stats_of_learner(learner_id)
        # (exercise, its ExerciseStats) in the layout's order: the guide's exercises, from the listing
        # every page shares, and a course's own (each revision its own row, linked to its course page).
        exercises = [e for _, listed in Exercise.objects.listing(guide_version()) for e in listed if e.pk in stats]
        others = stats.keys() - {exercise.pk for exercise in exercises}
        if others:
            exercises += Exercise.everywhere.for_listing().filter(pk__in=others)
        exercises.sort(key=lambda exercise: (exercise.part.order, exercise.order))
        self.exercises = [(exercise, stats[exercise.pk]) for exercise in exercises]
        self.labels = self._label_stats() if stats else []
        # Objections are raised on attempts: without attempts there are none to read.
        self.objections = self._latest_objections() if stats else []
        self.objection_count = self.objections[0].total if self.objections else 0

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
        rows = (
            Answer.objects.filter(attempt__learner_id=self.learner_id)
            .values("sentence__label", "chosen", "verdict")
            .annotate(n=Count("pk"))
            .order_by()
        )
        right, total = defaultdict(int), defaultdict(int)
        confusions = defaultdict(lambda: defaultdict(int))
        for row in rows:
            label = row["sentence__label"]
            total[label] += row["n"]
            if row["verdict"] == Verdict.WRONG:
                confusions[label][row["chosen"]] += row["n"]
            else:
                right[label] += row["n"]
        moves = Move.objects.select_related("move_set").in_bulk(
            {*total, *(c for by_label in confusions.values() for c in by_label)}
        )
        stats = []
        for label_id in sorted(total, key=lambda pk: (moves[pk].move_set_id, moves[pk].order)):
            worst = max(confusions[label_id].items(), key=lambda item: item[1], default=(None, 0))
            stats.append(LabelStat(moves[label_id], right[label_id], total[label_id], moves.get(worst[0]), worst[1]))
        return stats
