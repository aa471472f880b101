"""What other apps may ask about how the visitor's account came to be.

A sign-up form can carry `next`, the page the visitor was on their way to (a course's join
link, say). `remember_signup` notes that page in the session when the account is created, and
`just_signed_up_for` tells the page, once, that it is being opened by that brand-new account.
The sign-up POST is protected against CSRF, so the note is the visitor's own click: a page may
then finish what it offered (join the course) without asking a second time. Nothing else can
set the note, so a link or an image on another site cannot make anyone join anything.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UsernameField

SIGNUP_NEXT_KEY = "signed_up_for"


def normalise_username(text):
    """One key for every spelling that logs in to the same account: the username as the log-in
    form reads it (UsernameField: whitespace stripped, NFKC, so "alice ", "alice\u00a0" and a
    full-width "ａｌｉｃｅ" are "alice"), case-folded as sign-up's case-insensitive uniqueness."""
    user_model = get_user_model()
    max_length = user_model._meta.get_field(user_model.USERNAME_FIELD).max_length or 254
    return UsernameField(max_length=max_length).to_python(text).casefold()


def remember_signup(request, path):
    """Note that the account just created in this session asked to go on to `path`."""
    request.session[SIGNUP_NEXT_KEY] = path


def just_signed_up_for(request, path):
    """True, once, when this session's account was just created from a form that led to `path`."""
    if request.session.get(SIGNUP_NEXT_KEY) != path:
        return False
    del request.session[SIGNUP_NEXT_KEY]
    return True
