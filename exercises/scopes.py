"""Where an attempt is made: on one's own, or for a group that an app above this one runs (a course).

`exercises` never imports the apps above it. Such an app registers a `ScopeProvider` when it starts
(`register`); the exercise pages ask it which scope a request or a stored attempt belongs to. A scope
says what the learner sees of it (its name), which labels its decisions accept beyond the content's,
whose first attempts make "how the class answered", and what to record with a new attempt. Without a
provider, or outside any group, the scope is `SELF_STUDY`.

The scope travels in the `for` parameter (`/exercises/<slug>/?for=<token>`), kept in the answer form.
"""

from django.db.models import Count

from exercises.models import Attempt

PARAMETER = "for"
# How many other learners must have answered before their answers are shown (privacy).
MINIMUM_PEERS = 5


class Scope:
    """Self-study: graded by the content (and the labels accepted for everyone); compared with every
    learner's first attempt; objections go to the site's content editors."""

    token = ""  # what the answer form sends back in PARAMETER
    name = ""  # shown to the learner ("for Writing 101"); empty on one's own
    peers_name = "all learners"

    def accepted_labels(self, exercise):
        """{sentence id: frozenset of label slugs} this scope's decisions accept (the content's and
        everyone's are the exercise's own)."""
        return {}

    def attempts(self, exercise):
        """Attempts made at `exercise` in this scope."""
        return Attempt.objects.filter(exercise=exercise)

    def first_attempts(self, exercise):
        """Each learner's first attempt at `exercise` in this scope."""
        return Attempt.objects.filter(exercise=exercise, number=1)

    def first_attempt_of(self, exercise, learner_id):
        """A query of one value: the learner's first attempt at `exercise` in this scope (if any)."""
        # No ordering: there is one at most, and the model's would join the exercise and its part to sort it.
        return Attempt.objects.filter(exercise=exercise, number=1, learner_id=learner_id).order_by().values("pk")

    def learners_count(self, exercise):
        """A query of one value: how many learners made an attempt at `exercise` in this scope (as
        many as there are first attempts, and cheaper to count than to find them)."""
        return (
            Attempt.objects.filter(exercise=exercise, number=1)
            .order_by()
            .values("exercise")
            .annotate(n=Count("*"))
            .values("n")
        )

    def record(self, attempt):
        """Called in the transaction that stores `attempt`, made in this scope."""

    def cache_key(self):
        return "self-study"


SELF_STUDY = Scope()


class ScopeProvider:
    """What an app above registers: scopes by the token a request carries, and by stored attempt."""

    def from_token(self, request, exercise, token):
        """The scope `token` names, if the request's user may work in it on `exercise`; else None."""
        return None

    def of_attempt(self, attempt):
        """The scope `attempt` was made in, or None for self-study."""
        return None


_providers = []


def register(provider):
    if not any(type(known) is type(provider) for known in _providers):
        _providers.append(provider)


def from_request(request, exercise, data):
    """The scope a request works in: from PARAMETER in `data` (its GET or POST), else self-study.
    A token that is not the user's (a course they left, a guess) falls back to self-study."""
    token = data.get(PARAMETER, "")
    if token and isinstance(token, str):
        for provider in _providers:
            scope = provider.from_token(request, exercise, token)
            if scope is not None:
                return scope
    return SELF_STUDY


def of_attempt(attempt):
    for provider in _providers:
        scope = provider.of_attempt(attempt)
        if scope is not None:
            return scope
    return SELF_STUDY
