"""Links to the app's pages, reversed once per URL name and then filled in per object.

A list page with a hundred links paid for a hundred `reverse` calls (a tenth of the exercise list's
time in the benchmark's profile); `link("exercise", slug)` pays for one per process and URL name.
"""

from functools import cache

from django.urls import get_script_prefix, reverse

# Stand-ins every path converter of our URLs accepts (slug, int) and no real link contains.
_SLOTS = ("8127361", "8127362", "8127363")


@cache
def _template(name, count, script_prefix):
    url = reverse(name, args=_SLOTS[:count]).replace("{", "{{").replace("}", "}}")
    for number, slot in enumerate(_SLOTS[:count]):
        url = url.replace(slot, f"{{{number}}}")
    return url


def link(name, *args):
    """What `reverse(name, args=args)` gives, for slugs and numbers."""
    return _template(name, len(args), get_script_prefix()).format(*args)
