"""A link built from its URL's template is the link `reverse` gives, for every kind of page that uses it."""

import pytest
from django.urls import reverse, set_script_prefix

from lessons.links import link


@pytest.mark.parametrize(
    ("name", "args"),
    [("lesson", ["meta-information"]), ("paper", ["lee-2016"]), ("exercise", ["a-b_c-9"]), ("attempt", ["x-1", 42])],
)
def test_a_link_is_what_reverse_gives(name, args):
    assert link(name, *args) == reverse(name, args=args)


def test_a_link_follows_the_script_prefix_the_app_is_mounted_under():
    try:
        set_script_prefix("/guide/")
        assert link("lesson", "meta-information") == "/guide/lessons/meta-information/"
    finally:
        set_script_prefix("/")
