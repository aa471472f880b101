"""`{% when %}` shows a moment exactly as the `date` filter did, in the zone the page is rendered in."""

from datetime import UTC, datetime

import pytest
from django.template import Context, Template

MOMENT = datetime(2026, 12, 4, 23, 7, 5, 123456, tzinfo=UTC)


@pytest.mark.parametrize("zone", ["UTC", "Europe/Zurich", "Pacific/Auckland"])
@pytest.mark.parametrize(("style", "pattern"), [("", "j M Y, H:i"), (' "short"', "j M, H:i")])
def test_when_reads_as_the_date_filter_did(zone, style, pattern):
    context = Context({"moment": MOMENT})
    ours = Template(f"{{% load when tz %}}{{% timezone '{zone}' %}}{{% when moment{style} %}}{{% endtimezone %}}")
    django = Template(
        f"{{% load tz %}}{{% timezone '{zone}' %}}<time datetime=\"{{{{ moment|date:'c' }}}}\">"
        f'{{{{ moment|date:"{pattern}" }}}}</time>{{% endtimezone %}}'
    )
    assert ours.render(context) == django.render(context)


def test_in_auckland_the_moment_is_the_next_morning():
    html = Template("{% load when tz %}{% timezone 'Pacific/Auckland' %}{% when moment %}{% endtimezone %}")
    assert ">5 Dec 2026, 12:07</time>" in html.render(Context({"moment": MOMENT}))
