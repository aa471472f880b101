"""A picture of every row a request could write, to compare before and after a refused request.

Used by the site-wide tests of this folder (the access matrix, the hostile requests).
"""

from functools import cache

from django.contrib.auth import get_user_model
from django.db import connection

from courses.models import (
    Assignment,
    Course,
    CourseAcceptedLabel,
    CourseAttempt,
    CourseExercise,
    CourseFirstAttempt,
    ExerciseRevision,
    Invitation,
    Membership,
)
from drafts.models import Draft, Revision, RevisionSentence
from exercises.models import AcceptedLabel, Answer, Attempt, Exercise, Learner, Objection, VerdictChange
from questions.models import Preferences, Question, Reply, Report


def snapshot():
    """Every row a request could write (see `_queries`), as sorted tuples per table.

    Taken twice in each of thousands of cells: the queries are compiled to SQL once, not per call."""
    with connection.cursor() as cursor:
        picture = {}
        for name, (sql, params) in _compiled().items():
            cursor.execute(sql, params)
            picture[name] = sorted(cursor.fetchall())
        return picture


@cache
def _compiled():
    # Compiled for the default database: a test worker runs on one.
    return {name: queryset.query.sql_with_params() for name, queryset in _queries().items()}


def _queries():
    """Every row a request could write, with the fields that matter.

    Deciding an objection writes most widely: verdicts and scores (answers, attempts), their audit
    (verdict changes), the labels accepted (for everyone, or for one course) and, for everyone, the
    exercise's guide version that its cached content is keyed on. Of questions and answers: their
    state (held, hidden), what moderators set (pinned, closed), the answer marked helpful, the count
    of visible answers kept on write, what was written and to whom it was asked. Of a course's own
    exercises: the draft an instructor edits, the revision its students do (`current`) and each
    revision published; the exercises are read `everywhere`, so that a revision's `Exercise` (not
    listed in the guide's bank) made by a refused publish, or left by a preview, is seen too."""
    return {
        "users": get_user_model().objects.values_list("pk", "username", "password", "is_active"),
        "learners": Learner.objects.values_list("pk", "user_id"),
        "exercises": Exercise.everywhere.values_list("pk", "version", "guide_version"),
        "attempts": Attempt.objects.values_list("pk", "learner_id", "exercise_id", "number", "correct"),
        "course_attempts": CourseAttempt.objects.values_list("attempt_id", "course_id"),
        "course_first_attempts": CourseFirstAttempt.objects.values_list("attempt_id", "course_id", "learner_id"),
        "answers": Answer.objects.values_list("pk", "attempt_id", "sentence_id", "chosen_id", "verdict"),
        "verdict_changes": VerdictChange.objects.values_list("pk", "answer_id", "before", "after"),
        "objections": Objection.objects.values_list("pk", "answer_id", "status", "reply", "decided_by_id"),
        "accepted_labels": AcceptedLabel.objects.values_list("pk", "sentence_id", "label_id"),
        "course_accepted_labels": CourseAcceptedLabel.objects.values_list("pk", "course_id", "sentence_id", "label_id"),
        "courses": Course.objects.values_list("pk", "slug", "title", "join_code"),
        "memberships": Membership.objects.values_list("pk", "course_id", "user_id", "role"),
        "assignments": Assignment.objects.values_list("pk", "course_id", "exercise_id", "due"),
        "drafts": Draft.objects.values_list("pk", "learner_id", "title", "revision_count"),
        "revisions": Revision.objects.values_list("pk", "draft_id", "number", "text"),
        "revision_sentences": RevisionSentence.objects.values_list("pk", "revision_id", "intended"),
        "invitations": Invitation.objects.values_list("pk", "course_id", "user_id", "username"),
        "questions": Question.objects.values_list(
            "pk", "state", "pinned", "closed", "helpful_id", "reply_count", "title", "body", "course_id"
        ),
        "replies": Reply.objects.values_list("pk", "question_id", "state", "body", "as_instructor"),
        "reports": Report.objects.values_list("pk", "question_id", "reply_id", "resolved"),
        "question_preferences": Preferences.objects.values_list("pk", "user_id", "email_answers"),
        "course_exercises": CourseExercise.objects.values_list(
            "pk", "course_id", "slug", "title", "draft", "current_id"
        ),
        "exercise_revisions": ExerciseRevision.objects.values_list("pk", "course_exercise_id", "number", "exercise_id"),
    }
