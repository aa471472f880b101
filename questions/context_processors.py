"""What every page may show about questions: the signed-in user's new answers, read only when shown."""

from django.contrib.auth import SESSION_KEY as AUTH_SESSION_KEY
from django.utils.functional import cached_property

from questions import notifications

LATEST_ANSWERS = 5


class UnseenAnswers:
    """The answers to a user's questions that they have not read: `count` for the navigation, `latest`
    for the progress page. Nothing is read until a template asks, and each is read once per page."""

    def __init__(self, request):
        self.request = request

    def _unseen(self):
        return notifications.unseen_answers(self.user_id)

    @cached_property
    def user_id(self):
        # The account id the session holds, as the exercise pages read it (`exercises.learners`):
        # the hottest pages never load the user, and the count needs only the id.
        return self.request.session.get(AUTH_SESSION_KEY) if hasattr(self.request, "session") else None

    @cached_property
    def count(self):
        return notifications.unseen_count(self.user_id)

    @cached_property
    def latest(self):
        """The newest few, each with its question and author; none read when the count is 0."""
        if not self.count:
            return []
        answers = self._unseen().select_related("question", "author").order_by("-created", "-pk")
        return list(answers[:LATEST_ANSWERS])


def unseen_answers(request):
    """`unseen_answers` for every template (TEMPLATES in settings): free until a template reads it, and
    never a query for a visitor who is not signed in."""
    return {"unseen_answers": UnseenAnswers(request)}
