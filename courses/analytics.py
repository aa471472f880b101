"""A course's results, aggregated in the database: a fixed number of queries at any class size."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Max, OuterRef, Subquery

from courses.models import Membership
from exercises.models import SCORE, Answer, Attempt, Sentence


def _student_ids(course):
    return Membership.objects.filter(course=course, role=Membership.STUDENT).values("user_id")


def class_attempts(course):
    """Attempts by the course's students on its assigned exercises."""
    return Attempt.objects.filter(
        learner__user__in=_student_ids(course),
        exercise__in=course.assignments.values("exercise_id"),
    )


@dataclass
class Cell:
    attempts: int = 0
    best: float | None = None
    last: float | None = None


@dataclass
class ClassProgress:
    """Students by assigned exercises: best score and attempts per cell, class average per exercise."""

    students: list
    assignments: list
    cells: dict = field(default_factory=dict)

    @classmethod
    def for_course(cls, course):
        students = list(course.students())
        assignments = list(course.assignments.select_related("exercise"))
        last_score = Subquery(
            Attempt.objects.filter(learner=OuterRef("learner"), exercise=OuterRef("exercise"))
            .order_by("-number")
            .annotate(score=SCORE)
            .values("score")[:1]
        )
        rows = (
            class_attempts(course)
            .values("learner__user", "exercise")
            .annotate(attempts=Count("pk"), best=Max(SCORE), last=last_score)
            .order_by()
        )
        cells = {(r["learner__user"], r["exercise"]): Cell(r["attempts"], r["best"], r["last"]) for r in rows}
        return cls(students, assignments, cells)

    def cell(self, student, exercise):
        return self.cells.get((student.pk, exercise.pk), Cell())

    def rows(self):
        return [(student, [self.cell(student, a.exercise) for a in self.assignments]) for student in self.students]

    def averages(self):
        """Per assigned exercise: the class's average best score among students who tried, and how many tried."""
        result = []
        for assignment in self.assignments:
            bests = [
                cell.best
                for (user_id, exercise_id), cell in self.cells.items()
                if exercise_id == assignment.exercise_id and cell.best is not None
            ]
            result.append((assignment, sum(bests) / len(bests) if bests else None, len(bests)))
        return result


@dataclass
class SentenceStats:
    sentence: Sentence
    total: int
    correct: int
    spread: list  # (move, count, percent), most chosen first

    @property
    def percent_right(self):
        return round(self.correct * 100 / self.total) if self.total else 0


def exercise_analytics(course, exercise):
    """Per sentence: share right and the spread of labels; and the confusion table (right x chosen)."""
    labels = list(exercise.label_set.moves.all())
    by_id = {label.pk: label for label in labels}
    sentences = list(exercise.sentences.select_related("label"))
    rows = (
        Answer.objects.filter(attempt__in=class_attempts(course).filter(exercise=exercise))
        .values("sentence", "chosen", "verdict")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = defaultdict(lambda: defaultdict(int))
    correct = defaultdict(int)
    for row in rows:
        counts[row["sentence"]][row["chosen"]] += row["n"]
        if row["verdict"] != Sentence.WRONG:
            correct[row["sentence"]] += row["n"]
    stats, confusion = [], defaultdict(lambda: defaultdict(int))
    for sentence in sentences:
        total = sum(counts[sentence.pk].values())
        spread = sorted(
            (
                (by_id[m], n, round(n * 100 / total) if total else 0)
                for m, n in counts[sentence.pk].items()
                if m in by_id
            ),
            key=lambda item: -item[1],
        )
        stats.append(SentenceStats(sentence, total, correct[sentence.pk], spread))
        for move_id, n in counts[sentence.pk].items():
            confusion[sentence.label_id][move_id] += n
    table = [(label, [(other, confusion[label.pk][other.pk]) for other in labels]) for label in labels]
    attempts = class_attempts(course).filter(exercise=exercise).count()
    return {"labels": labels, "sentences": stats, "confusion": table, "attempts": attempts}


def student_attempts(course, student):
    """Every attempt of one student on the course's exercises, with its answers."""
    return (
        class_attempts(course)
        .filter(learner__user=student)
        .select_related("exercise")
        .prefetch_related("answers__sentence__label", "answers__chosen")
        .order_by("exercise__part__order", "exercise__order", "number")
    )
