"""A picture of every row a request could write, to compare before and after a refused request.

Used by the site-wide tests of this folder (the access matrix, the hostile requests).
"""

from django.contrib.auth import get_user_model

from courses.models import Assignment, Course, Invitation, Membership
from drafts.models import Draft, Revision, RevisionSentence
from exercises.models import Answer, Attempt, Learner


def snapshot():
    """Every row a request could write, with the fields that matter."""
    return {
        "users": sorted(get_user_model().objects.values_list("pk", "username", "password", "is_active")),
        "learners": sorted(Learner.objects.values_list("pk", "user_id")),
        "attempts": sorted(Attempt.objects.values_list("pk", "learner_id", "exercise_id", "number", "correct")),
        "answers": sorted(Answer.objects.values_list("pk", "attempt_id", "sentence_id", "chosen_id")),
        "courses": sorted(Course.objects.values_list("pk", "slug", "title", "join_code")),
        "memberships": sorted(Membership.objects.values_list("pk", "course_id", "user_id", "role")),
        "assignments": sorted(Assignment.objects.values_list("pk", "course_id", "exercise_id", "due")),
        "drafts": sorted(Draft.objects.values_list("pk", "learner_id", "title", "revision_count")),
        "revisions": sorted(Revision.objects.values_list("pk", "draft_id", "number", "text")),
        "revision_sentences": sorted(RevisionSentence.objects.values_list("pk", "revision_id", "intended")),
        "invitations": sorted(Invitation.objects.values_list("pk", "course_id", "user_id", "username")),
    }
