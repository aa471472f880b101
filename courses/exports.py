"""CSV exports of a course's results: UTF-8, a header row, and no cell a spreadsheet would run."""

import csv
import io

from django.db.models import Count, F, Max, Min
from django.utils import timezone

from exercises.models import SCORE, Answer
from exercises.scores import percent

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Neutralise a cell a spreadsheet would read as a formula, by prefixing a single quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


CHUNK_BYTES = 64 * 1024


def _csv_lines(header, rows):
    """The CSV text in chunks of about 64 KB: one socket write per chunk, not per row."""
    buffer = io.StringIO()
    buffer.write("\ufeff")  # so spreadsheets read the file as UTF-8
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
        if buffer.tell() >= CHUNK_BYTES:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def progress_rows(course):
    """One row per student and assigned exercise, including exercises not tried yet. Due times are
    written in the course's time zone, with its offset; `deadline` is on-time, late, overdue,
    pending or empty (no due time)."""
    stats = {
        (row["learner__user"], row["counted_as"]): row
        for row in course.class_attempts()
        .annotate(counted_as=course.counted_as())
        .values("learner__user", "counted_as")
        .annotate(attempts=Count("pk"), best=Max(SCORE), first_at=Min("created"), last_at=Max("created"))
        .order_by()
    }
    assignments = list(course.assignments.select_related("exercise"))
    now = timezone.now()
    for student in course.students():
        for assignment in assignments:
            row = stats.get((student.pk, assignment.exercise_id), {})
            best = row.get("best")
            yield [
                student.get_username(),
                assignment.exercise.slug,
                assignment.exercise.title,
                assignment.due.astimezone(course.zone).isoformat() if assignment.due else "",
                row.get("attempts", 0),
                "" if best is None else percent(best),
                row["last_at"].isoformat() if row.get("last_at") else "",
                assignment.deadline_for(row.get("first_at"), now).value,
            ]


PROGRESS_HEADER = ["student", "exercise", "exercise_title", "due", "attempts", "best_score_percent", "last_attempt_at",
                   "deadline"]  # fmt: skip
ANSWERS_HEADER = ["student", "exercise", "revision", "attempt", "submitted_at", "sentence", "sentence_text",
                  "chosen_label", "right_label", "verdict", "late"]  # fmt: skip


# Students per answers query. One query for the whole class sorted every answer before the first row
# left (0.4 s on SQLite, 1.8 s on PostgreSQL at 214,500 answers); a group's answers sort in a few ms.
STUDENTS_PER_QUERY = 25


def answer_rows(course):
    """One row per answer, by student (username), exercise (slug), revision, attempt and sentence; `late`
    is yes for an attempt made after the due time, no before it, and empty when the exercise has no due
    time; `revision` is the number of the revision answered for the course's own exercises, empty for
    the guide's. (Attempts are numbered per revision: each revision is an exercise of its own.)

    Queries: the due times, the students, then one per STUDENTS_PER_QUERY students; no more than one
    group's answers are sorted or held at a time."""
    due = dict(course.assignments.values_list("exercise_id", "due").order_by())
    students = list(course.students().values_list("pk", flat=True))
    attempts = course.class_attempts()
    for first in range(0, len(students), STUDENTS_PER_QUERY):
        group = students[first : first + STUDENTS_PER_QUERY]
        answers = (
            # The group once more, on the join: PostgreSQL plans the `attempt__in` subquery apart from
            # the eight joined tables and, without this, hashes every answer in the database for each
            # group (430 ms a group instead of 17 ms at 214,500 answers).
            Answer.objects.filter(attempt__in=attempts.by_users(group), attempt__learner__user__in=group)
            .annotate(
                student=F("attempt__learner__user__username"),
                exercise_slug=F("attempt__exercise__slug"),
                attempt_number=F("attempt__number"),
                submitted=F("attempt__created"),
                position=F("sentence__position"),
                text=F("sentence__text"),
                chosen_slug=F("chosen__slug"),
                right_slug=F("sentence__label__slug"),
                revision=F("attempt__exercise__revision__number"),
                counted_as=course.counted_as("attempt__"),
            )
            .order_by("student", "exercise_slug", "revision", "attempt_number", "position")
            .values_list(
                "student",
                "exercise_slug",
                "revision",
                "attempt_number",
                "submitted",
                "position",
                "text",
                "chosen_slug",
                "right_slug",
                "verdict",
                "counted_as",
            )  # fmt: skip
        )
        for *attempt, submitted, position, text, chosen, right, verdict, exercise_id in answers.iterator(
            chunk_size=2000
        ):
            due_at = due.get(exercise_id)
            late = "" if due_at is None else "yes" if submitted > due_at else "no"
            yield [*attempt, submitted.isoformat(), position, text, chosen, right, verdict, late]


def progress_csv(course):
    return _csv_lines(PROGRESS_HEADER, progress_rows(course))


def answers_csv(course):
    return _csv_lines(ANSWERS_HEADER, answer_rows(course))
