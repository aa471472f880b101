"""Parts of a reader's page rendered once per process and per what they show, and read in one call.

A card of the exercise list, a row of the progress page: each shows content (which changes only on a
load, which renews the guide's version) and a few numbers of the reader's (a standing, some counts).
Readers with the same numbers see the same part, and after a submit only the parts of the exercise
submitted change, so each part is kept under a key that names everything it shows (the guide's
version among it) and rendered only when missing. Through the template engine the 53 cards of the
exercise list took 2.3 ms of a 4.6 ms page; read here, 0.1 ms (bench/README.md).
"""

import hashlib

from django.core.cache import caches
from django.template.loader import get_template
from django.utils.safestring import mark_safe

SECONDS = 86400


def render_each(template_name, parts):
    """The HTML of each of `parts`, [(key, context), ...], in order: kept under its key, or rendered with
    the template `template_name` and its context (no request: a part shows nothing of the request's).
    A part whose key is None is rendered and not kept. A context may be a function that gives it, called
    only for a part to render."""
    cache = caches["reader_fragments"]
    # The keys name what a part shows (titles, addresses): digested to a cache key's safe length and letters.
    keys = [hashlib.blake2b(key.encode(), digest_size=16).hexdigest() if key is not None else None for key, _ in parts]
    html = cache.get_many([key for key in keys if key is not None])
    missing = {}
    rendered = []
    for key, (_, context) in zip(keys, parts, strict=True):
        if key is None or key not in html:
            part = get_template(template_name).render(context() if callable(context) else context)
            if key is not None:
                html[key] = missing[key] = part
            rendered.append(part)
        else:
            rendered.append(html[key])
    if missing:
        cache.set_many(missing, SECONDS)
    return rendered


def joined(html_parts):
    """Parts from `render_each` as one safe string: the template engine escaped what it put in each."""
    return mark_safe("".join(html_parts))  # noqa: S308
