"""A course's results, aggregated in the database: a fixed number of queries at any class size."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Max

from courses.models import Membership
from exercises.models import SCORE, Answer, Attempt, Sentence
from exercises.scores import percent


def _student_ids(course):
    return Membership.objects.filter(course=course, role=Membership.STUDENT).values("user_id")


def class_attempts(course):
    """Attempts by the course's students on its assigned exercises."""
    return Attempt.objects.filter(
        learner__user__in=_student_ids(course),
        exercise__in=course.assignments.values("exercise_id"),
    )


STUDENTS_PER_PAGE = 50


@dataclass
class Cell:
    attempts: int = 0
    best: float | None = None


@dataclass
class ClassProgress:
    """One page of students by assigned exercises (best score and attempts per cell), and the
    class average per exercise over the whole class. A fixed number of queries at any size."""

    page: Page
    assignments: list
    averages: list
    cells: dict = field(default_factory=dict)

    @classmethod
    def for_course(cls, course, page_number=1):
        page = Paginator(course.students(), STUDENTS_PER_PAGE).get_page(page_number)
        students = list(page.object_list)
        assignments = list(course.assignments.select_related("exercise"))
        rows = (
            class_attempts(course)
            .filter(learner__user__in=[student.pk for student in students])
            .values("learner__user", "exercise")
            .annotate(attempts=Count("pk"), best=Max(SCORE))
            .order_by()
        )
        cells = {(r["learner__user"], r["exercise"]): Cell(r["attempts"], r["best"]) for r in rows}
        averages = class_averages(course)
        return cls(page, assignments, [(a, *averages.get(a.exercise_id, (None, 0))) for a in assignments], cells)

    @property
    def students(self):
        return self.page.object_list

    def rows(self):
        return [
            (student, [self.cells.get((student.pk, a.exercise_id), Cell()) for a in self.assignments])
            for student in self.students
        ]


def class_averages(course):
    """{exercise id: (average of the students' best scores, how many students tried)}, in one query."""
    best_per_student = (
        class_attempts(course).values("learner", "exercise").annotate(best=Max(SCORE)).values("exercise", "best")
    )
    inner, params = best_per_student.query.sql_with_params()
    # Averaging an aggregate needs a second GROUP BY over the first; the ORM cannot nest them.
    sql = f"SELECT exercise, AVG(best), COUNT(*) FROM ({inner}) per_student GROUP BY exercise"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {exercise_id: (average, tried) for exercise_id, average, tried in cursor.fetchall()}


@dataclass
class SentenceStats:
    sentence: Sentence
    total: int
    correct: int
    spread: list  # (move, count, percent), most chosen first

    @property
    def percent_right(self):
        return percent(self.correct, self.total)


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
                (by_id[m], n, percent(n, total))
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
