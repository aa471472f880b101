"""A picture of every row a request could write, to compare before and after a refused request.

Used by the site-wide tests of this folder (the access matrix, the hostile requests).
"""

from django.contrib.auth import get_user_model

from courses.models import Assignment, Course, CourseAcceptedLabel, CourseAttempt, Invitation, Membership
from drafts.models import Draft, Revision, RevisionSentence
from exercises.models import AcceptedLabel, Answer, Attempt, Exercise, Learner, Objection, VerdictChange
from questions.models import Preferences, Question, Reply, Report


def snapshot():
    """Every row a request could write, with the fields that matter.

    Deciding an objection writes most widely: verdicts and scores (answers, attempts), their audit
    (verdict changes), the labels accepted (for everyone, or for one course) and, for everyone, the
    exercise's guide version that its cached content is keyed on. Of questions and answers: their
    state (held, hidden), what moderators set (pinned, closed), the answer marked helpful, the count
    of visible answers kept on write, what was written and to whom it was asked."""
    return {
        "users": sorted(get_user_model().objects.values_list("pk", "username", "password", "is_active")),
        "learners": sorted(Learner.objects.values_list("pk", "user_id")),
        "exercises": sorted(Exercise.objects.values_list("pk", "version", "guide_version")),
        "attempts": sorted(Attempt.objects.values_list("pk", "learner_id", "exercise_id", "number", "correct")),
        "course_attempts": sorted(CourseAttempt.objects.values_list("attempt_id", "course_id")),
        "answers": sorted(Answer.objects.values_list("pk", "attempt_id", "sentence_id", "chosen_id", "verdict")),
        "verdict_changes": sorted(VerdictChange.objects.values_list("pk", "answer_id", "before", "after")),
        "objections": sorted(Objection.objects.values_list("pk", "answer_id", "status", "reply", "decided_by_id")),
        "accepted_labels": sorted(AcceptedLabel.objects.values_list("pk", "sentence_id", "label_id")),
        "course_accepted_labels": sorted(
            CourseAcceptedLabel.objects.values_list("pk", "course_id", "sentence_id", "label_id")
        ),
        "courses": sorted(Course.objects.values_list("pk", "slug", "title", "join_code")),
        "memberships": sorted(Membership.objects.values_list("pk", "course_id", "user_id", "role")),
        "assignments": sorted(Assignment.objects.values_list("pk", "course_id", "exercise_id", "due")),
        "drafts": sorted(Draft.objects.values_list("pk", "learner_id", "title", "revision_count")),
        "revisions": sorted(Revision.objects.values_list("pk", "draft_id", "number", "text")),
        "revision_sentences": sorted(RevisionSentence.objects.values_list("pk", "revision_id", "intended")),
        "invitations": sorted(Invitation.objects.values_list("pk", "course_id", "user_id", "username")),
        "questions": sorted(
            Question.objects.values_list(
                "pk", "state", "pinned", "closed", "helpful_id", "reply_count", "title", "body", "course_id"
            )
        ),
        "replies": sorted(Reply.objects.values_list("pk", "question_id", "state", "body", "as_instructor")),
        "reports": sorted(Report.objects.values_list("pk", "question_id", "reply_id", "resolved")),
        "question_preferences": sorted(Preferences.objects.values_list("pk", "user_id", "email_answers")),
    }
