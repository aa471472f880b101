"""A course's results, aggregated in the database: a fixed number of queries at any class size.

The aggregates (over every attempt of the class) are kept per process under `results_stamp`, a digest
of everything they read that can change: who the students are and since when, each one's
`Learner.results_version` (which the database itself moves on every write to their attempts and
answers), and the course's assignments. A submit, a regrade, a join or a new assignment is a new
stamp, so a kept aggregate is never shown after it changed; reading the stamp is one query of one
row per student.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import caches
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Exists, ExpressionWrapper, F, IntegerField, Max, Min, OuterRef, Q, Subquery
from django.utils import timezone

from courses.models import Assignment, Deadline, Membership, Role
from exercises.models import SCORE, Answer, Sentence, Verdict
from exercises.scores import percent

STUDENTS_PER_PAGE = 50


def results_stamp(course, assignments=None):
    """A digest of what the class's aggregates read: the students (membership, joined, learner and
    its `results_version`), the course's assignments (exercise and due time; read unless given) and
    whether the course has revisions."""
    if assignments is None:
        assignments = list(course.assignments.all())
    students = (
        Membership.objects.filter(course=course, role=Role.STUDENT)
        .order_by("pk")
        .values_list("pk", "joined", "user__learner__pk", "user__learner__results_version")
    )
    read = (list(students), [(a.exercise_id, a.due) for a in assignments], course.has_revisions)
    return hashlib.sha256(repr(read).encode()).hexdigest()


def kept(course, stamp, name, compute):
    """`compute()`, kept per process under the course, `name` and `stamp` (see the module's docstring)."""
    key = "course-results:" + hashlib.sha256(f"{course.pk}:{name}:{stamp}".encode()).hexdigest()
    cache = caches["results"]
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value)
    return value


@dataclass
class Cell:
    attempts: int = 0
    best: float | None = None
    deadline: str = Deadline.NONE

    @property
    def band(self):
        """The heat band of the best score, as a word: the page shades and patterns cells by it."""
        if self.best is None:
            return ""
        return "low" if self.best < 50 else "middle" if self.best < 80 else "high"


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
        stamp = results_stamp(course, assignments)

        def page_rows():
            rows = (
                course.class_attempts()
                .by_users(students)
                .annotate(counted_as=course.counted_as())
                .values("learner__user", "counted_as")
                .annotate(attempts=Count("pk"), best=Max(SCORE), first_at=Min("created"))
                .order_by()
            )
            return {(r["learner__user"], r["counted_as"]): r for r in rows}

        found = kept(course, stamp, f"page:{','.join(str(s.pk) for s in students)}", page_rows)
        now = timezone.now()
        cells = {}
        for student in students:
            for assignment in assignments:
                row = found.get((student.pk, assignment.exercise_id), {})
                deadline = assignment.deadline_for(row.get("first_at"), now)
                cells[student.pk, assignment.exercise_id] = Cell(row.get("attempts", 0), row.get("best"), deadline)
        averages = kept(course, stamp, "averages", lambda: class_averages(course))
        for assignment in assignments:
            # Over the whole class, not this page: everyone who has not tried it once it is past due.
            tried = averages.get(assignment.exercise_id, (None, 0))[1]
            assignment.overdue = page.paginator.count - tried if assignment.is_past_due(now) else 0
        return cls(page, assignments, [(a, *averages.get(a.exercise_id, (None, 0))) for a in assignments], cells)

    @property
    def students(self):
        return self.page.object_list

    def rows(self):
        return [
            (student, [self.cells.get((student.pk, a.exercise_id), Cell()) for a in self.assignments])
            for student in self.students
        ]

    @property
    def rows_digest(self):
        """A digest of everything the table's rows show (who, and each cell's score, attempts and
        deadline): the dashboard keeps the rendered rows under it with the course (1,000 cells a page)."""
        shown = [
            (student.pk, student.get_username(), [(c.attempts, c.best, c.deadline) for c in cells])
            for student, cells in self.rows()
        ]
        return hashlib.sha256(repr(shown).encode()).hexdigest()


def class_averages(course):
    """{exercise id: (average of the students' best scores, how many students tried)}, in one query;
    the revisions of a course's own exercise together, under the current one (see `Course.counted_as`)."""
    best_per_student = (
        course.class_attempts()
        .annotate(counted_as=course.counted_as())
        .values("learner", "counted_as")
        .annotate(best=Max(SCORE))
        .values("counted_as", "best")
    )
    inner, params = best_per_student.query.sql_with_params()
    # Averaging an aggregate needs a second GROUP BY over the first; the ORM cannot nest them.
    sql = f"SELECT counted_as, AVG(best), COUNT(*) FROM ({inner}) per_student GROUP BY counted_as"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {exercise_id: (average, tried) for exercise_id, average, tried in cursor.fetchall()}


ATTEMPT_CHOICES = [
    ("first", "First attempt of each student"),
    ("best", "Best attempt of each student"),
    ("all", "All attempts"),
]


def chosen_attempts(course, exercise, which):
    """The class's attempts at `exercise` to analyse: each student's "first", their "best" (the
    highest score, the latest of equals), or "all". A filter in SQL, not a loop over students."""
    attempts = course.attempts_at(exercise)
    if which == "all":
        return attempts
    same_student = attempts.filter(learner=OuterRef("learner"))
    if which == "first":
        earlier = same_student.filter(number__lt=OuterRef("number"))
        return attempts.filter(~Exists(earlier))
    # Compare scores as cross products (a/b > c/d as a*d > c*b): exact, where floats may not be.
    lead = F("correct") * OuterRef("total") - OuterRef("correct") * F("total")
    better = same_student.annotate(lead=ExpressionWrapper(lead, output_field=IntegerField())).filter(
        Q(lead__gt=0) | Q(lead=0, number__gt=OuterRef("number"))
    )
    return attempts.filter(~Exists(better))


@dataclass
class Bar:
    move: object
    count: int
    percent: int | None
    verdict: Verdict  # what choosing `move` earns: the page marks right and accepted with a word and a pattern


@dataclass
class SentenceStats:
    sentence: Sentence
    total: int
    correct: int
    spread: list  # of Bar, most chosen first; the right and accepted labels always shown

    @property
    def percent_right(self):
        return percent(self.correct, self.total)


def _spread(sentence, counts, labels, total):
    verdicts = {label.pk: sentence.verdict_for(label) for label in labels}
    shown = [label for label in labels if counts.get(label.pk) or verdicts[label.pk] != Verdict.WRONG]
    bars = [Bar(label, counts.get(label.pk, 0), percent(counts.get(label.pk, 0), total), verdicts[label.pk])
            for label in shown]  # fmt: skip
    order = [Verdict.RIGHT, Verdict.ACCEPTED, Verdict.WRONG]
    return sorted(bars, key=lambda bar: (-bar.count, order.index(bar.verdict)))


def exercise_analytics(course, exercise, which="first"):
    """Per sentence: share right and the spread of labels; and the confusion table (right x chosen);
    over the attempts `which` picks (see `chosen_attempts`). Four queries at any class size."""
    labels = list(exercise.label_set.moves.all())
    sentences = list(exercise.sentences.select_related("label"))
    attempts = chosen_attempts(course, exercise, which)
    stamp = results_stamp(course)
    rows = kept(
        course,
        stamp,
        f"answers:{exercise.pk}:{which}",
        lambda: list(
            Answer.objects.filter(attempt__in=attempts)
            .values("sentence", "chosen", "verdict")
            .annotate(n=Count("pk"))
            .order_by()
        ),
    )
    counts = defaultdict(lambda: defaultdict(int))
    correct = defaultdict(int)
    for row in rows:
        counts[row["sentence"]][row["chosen"]] += row["n"]
        if row["verdict"] != Verdict.WRONG:
            correct[row["sentence"]] += row["n"]
    stats, confusion = [], defaultdict(lambda: defaultdict(int))
    for sentence in sentences:
        total = sum(counts[sentence.pk].values())
        spread = _spread(sentence, counts[sentence.pk], labels, total) if total else []
        stats.append(SentenceStats(sentence, total, correct[sentence.pk], spread))
        for move_id, n in counts[sentence.pk].items():
            confusion[sentence.label_id][move_id] += n
    table = [(label, [(other, confusion[label.pk][other.pk]) for other in labels]) for label in labels]
    size = kept(
        course,
        stamp,
        f"size:{exercise.pk}:{which}",
        lambda: attempts.aggregate(attempts=Count("pk"), students=Count("learner", distinct=True)),
    )
    return {"labels": labels, "sentences": stats, "confusion": table, **size}


def assignments_for_student(course, user):
    """The course's assignments in due order, each with `stats` (attempts, best, first_at; None if
    not tried for this course) and `deadline` (a `Deadline`) for `user`. Two queries."""
    rows = (
        course.student_attempts(user)
        .annotate(counted_as=course.counted_as())
        .values("counted_as")
        .annotate(attempts=Count("pk"), best=Max(SCORE), first_at=Min("created"))
        .order_by()
    )
    stats = {row["counted_as"]: row for row in rows}
    assignments = list(course.assignments.select_related("exercise__part"))
    now = timezone.now()
    for assignment in assignments:
        assignment.stats = stats.get(assignment.exercise_id)
        assignment.deadline = assignment.deadline_for(assignment.stats and assignment.stats["first_at"], now)
    return assignments


def attempts_with_answers(course, student):
    """Every attempt of one student that counts in the course, with its answers, its assignment's
    `due` time and `late` (made after it). The revisions of an own exercise one after the other."""
    due = Assignment.objects.filter(course=course, exercise=OuterRef("counted_as")).values("due")[:1]
    attempts = list(
        course.student_attempts(student)
        .annotate(counted_as=course.counted_as(), due=Subquery(due))
        .select_related("exercise")
        .prefetch_related("answers__sentence__label", "answers__chosen")
        .order_by("exercise__part__order", "exercise__order", "exercise_id", "number")
    )
    for attempt in attempts:
        attempt.late = attempt.due is not None and attempt.created > attempt.due
    return attempts
