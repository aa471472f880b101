"""Who is practising: a learner id kept in the session, for accounts and anonymous visitors alike.

The anonymous learner is keyed on an id stored inside the session (not the session key, which
Django changes at login), so `claim_anonymous_attempts` can move its attempts to the account.
Keeping the id in the session also spares the hot paths (the exercise page and its submit) a
query for the learner, and for the user.
"""

from django.contrib.auth import SESSION_KEY as AUTH_SESSION_KEY
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat

from exercises.models import Learner

SESSION_KEY = "learner_id"


def is_signed_in(request):
    """Whether the session belongs to an account, without loading the user."""
    return request.session.get(AUTH_SESSION_KEY) is not None


def current_learner_id(request):
    """The id of the learner practising in this session, or None if they have not practised yet."""
    learner_id = request.session.get(SESSION_KEY)
    if learner_id is None and is_signed_in(request) and request.user.is_authenticated:
        learner_id = Learner.objects.filter(user=request.user).values_list("pk", flat=True).first()
        if learner_id is not None:
            request.session[SESSION_KEY] = learner_id
    return learner_id


def learner_id_for_writing(request):
    """The learner id for this request, creating the learner on first use."""
    learner_id = current_learner_id(request)
    if learner_id is None:
        if request.user.is_authenticated:
            learner_id = Learner.objects.get_or_create(user=request.user)[0].pk
        else:
            learner_id = Learner.objects.for_browser(request.META.get("CSRF_COOKIE")).pk
        request.session[SESSION_KEY] = learner_id
    return learner_id


def claim_anonymous_attempts(request, user):
    """After sign-up or log-in: move the session's anonymous attempts to `user`. Call after login()."""
    learner_id = Learner.objects.claim(request.session.pop(SESSION_KEY, None), user)
    if learner_id is not None:
        request.session[SESSION_KEY] = learner_id


def learner_version(user_id):
    """For `lessons.pages`: what the exercise pages and the progress page show of account `user_id` moves
    its learner's `results_version` (every write to its attempts, answers and objections), read with the
    learner's id (a new learner starts again from 0)."""
    return (
        Learner.objects.filter(user_id=user_id)
        .annotate(version=Concat(Cast("pk", CharField()), Value(":"), Cast("results_version", CharField())))
        .values_list("version")
    )


def reader_state(request, version):
    """The text a reader's kept pages are kept under for this app: the learner's version, and the learner
    the session practises as."""
    return f"{request.session.get(SESSION_KEY)}:{version}"
