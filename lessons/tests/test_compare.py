"""The comparison of the four layouts: each section links to its annotated excerpts."""

import re
from html import unescape

import pytest
from django.urls import reverse

from lessons.models import Excerpt, Lesson, Section

pytestmark = pytest.mark.django_db


def _excerpt_links(html):
    """{href: link text} of the links under the table's sections."""
    lists = re.findall(r'<ul class="compare-excerpts">(.*?)</ul>', html, re.S)
    return {
        unescape(href): unescape(text)
        for block in lists
        for href, text in re.findall(r'<a href="([^"]+)">([^<]*)</a>', block)
    }


def test_the_comparison_links_each_section_to_its_annotated_excerpts(client):
    html = client.get(reverse("compare")).content.decode()
    links = _excerpt_links(html)
    excerpts = list(Excerpt.objects.select_related("paper"))
    assert len(links) == len(excerpts)
    for excerpt in excerpts:
        assert links[f"{excerpt.paper.get_absolute_url()}#excerpt-{excerpt.slug}"] == excerpt.title


def test_each_excerpt_link_sits_under_its_own_section(client):
    html = client.get(reverse("compare")).content.decode()
    excerpt = Excerpt.objects.select_related("paper", "section").get(slug="lee-2016-wta")
    item = html[html.index(f"<li>{excerpt.section}") :]
    item = item[: item.index("</li></ul></li>")]
    assert f'href="/papers/lee-2016/#excerpt-{excerpt.slug}"' in item


def test_an_excerpt_without_a_title_is_linked_as_an_annotated_excerpt(client):
    Excerpt.objects.filter(slug="diehl-2015-abstract").update(title="")
    links = _excerpt_links(client.get(reverse("compare")).content.decode())
    assert links["/papers/diehl-2015/#excerpt-diehl-2015-abstract"] == "annotated excerpt"


def test_a_section_without_excerpts_has_no_links(client):
    html = client.get(reverse("compare")).content.decode()
    assert "<li>2.4 Homoeostasis</li>" in html


def test_the_comparison_query_count_does_not_grow_with_excerpts(client, django_assert_num_queries):
    # the guide's version, papers, sections with their parts, the sections' excerpts, parts
    with django_assert_num_queries(5):
        client.get(reverse("compare"))
    template = Excerpt.objects.first()
    for number, section in enumerate(Section.objects.all()[:30]):
        Excerpt.objects.create(
            slug=f"more-{number}", paper_id=section.paper_id, section=section, move_set_id=template.move_set_id,
            title=f"More {number}", order=100 + number, source="A quotation.", html="<p>A quotation.</p>",
        )  # fmt: skip
    Lesson.objects.update(guide_version="with-more-excerpts")  # as the reload that brings them would
    with django_assert_num_queries(5):
        html = client.get(reverse("compare")).content.decode()
    assert len(_excerpt_links(html)) == Excerpt.objects.count()
