"""Who is practising: the signed-in user's learner, or an anonymous one kept in the session.

The anonymous learner is keyed on an id stored inside the session (not the session key, which
Django changes at login), so `claim_anonymous_attempts` can move its attempts to the account.
"""

from exercises.models import Learner

SESSION_KEY = "learner_id"


def current_learner(request):
    """The learner for this request, or None if they have not practised yet. Creates nothing."""
    if request.user.is_authenticated:
        return Learner.objects.filter(user=request.user).first()
    learner_id = request.session.get(SESSION_KEY)
    if learner_id is None:
        return None
    return Learner.objects.filter(pk=learner_id, user__isnull=True).first()


def learner_for_writing(request):
    """The learner for this request, created on first use."""
    if request.user.is_authenticated:
        learner, _ = Learner.objects.get_or_create(user=request.user)
        return learner
    learner = current_learner(request)
    if learner is None:
        learner = Learner.objects.create()
        request.session[SESSION_KEY] = learner.pk
    return learner


def claim_anonymous_attempts(request, user):
    """After sign-up or log-in: move the session's anonymous attempts to `user`. Call after login()."""
    Learner.objects.claim(request.session.pop(SESSION_KEY, None), user)
