"""The CSRF token for a page's forms, masked as Django masks it, in a twentieth of the time.

Django's `get_token` draws each of the mask's 32 characters with its own call to the system's random
source (64 µs a token here: a tenth of a kept page's time). This draws the whole mask at once, a
number below 62**32 written in the token's 62 letters: uniform over the same masks, from the same
source (`secrets`). The secret, the cipher and the cookie's renewal are Django's; a request without a
secret yet goes through Django's own `get_token`, which makes one.
"""

import secrets

from django.middleware import csrf

_LETTERS = csrf.CSRF_ALLOWED_CHARS
_INDEX = {letter: i for i, letter in enumerate(_LETTERS)}
_BASE = len(_LETTERS)
_MASKS = _BASE**csrf.CSRF_SECRET_LENGTH


def get_token(request):
    """What `django.middleware.csrf.get_token` returns and flags: a new masking of the request's secret."""
    secret = request.META.get("CSRF_COOKIE")
    if secret is None or len(secret) != csrf.CSRF_SECRET_LENGTH or not set(secret) <= _INDEX.keys():
        return csrf.get_token(request)
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True  # as Django's: the cookie is sent again, renewed
    number = secrets.randbelow(_MASKS)
    mask = []
    for _ in range(csrf.CSRF_SECRET_LENGTH):
        number, digit = divmod(number, _BASE)
        mask.append(digit)
    cipher = "".join(_LETTERS[(_INDEX[letter] + m) % _BASE] for letter, m in zip(secret, mask, strict=True))
    return "".join(_LETTERS[m] for m in mask) + cipher
