"""Figures: our own drawings, inline SVG with a text alternative, drawn from the loaded data."""

import re
import shutil
from collections import Counter
from html import unescape

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lessons.figures import FIGURES, insert_figures
from lessons.models import Lesson, Paper, Part

pytestmark = pytest.mark.django_db

SVG = re.compile(r"<svg\b[^>]*>.*?</svg>", re.DOTALL)


def svgs(html, kind):
    return [svg for svg in SVG.findall(html) if f"figure-{kind}" in svg[: svg.index(">")]]


def texts(svg, css_class):
    return [unescape(text) for text in re.findall(rf'<text class="{css_class}"[^>]*>([^<]*)</text>', svg)]


def regions(svg):
    """The text of each part drawn on the layout figure, by the part's slug."""
    groups = re.findall(r'<g class="fig-part[^"]*" data-part="([^"]+)">(.*?)</g>', svg, re.DOTALL)
    return {
        slug: " ".join(unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", body)) for slug, body in groups
    }


def assert_labelled(html, svg):
    """role="img", and aria-labelledby names a <title> and a <desc> that say something, each id once on the page."""
    opening = svg[: svg.index(">")]
    assert 'role="img"' in opening
    title_id, desc_id = re.search(r'aria-labelledby="([^"]+)"', opening).group(1).split()
    assert re.search(rf'<title id="{title_id}">[^<]{{10,}}</title>', svg)
    assert re.search(rf'<desc id="{desc_id}">[^<]{{40,}}</desc>', svg)
    for id_ in (title_id, desc_id):
        assert html.count(f'id="{id_}"') == 1, id_


def test_the_home_page_holds_one_layout_figure_labelled_with_the_parts_names_in_order(client):
    html = client.get("/").content.decode()
    (svg,) = svgs(html, "layout")
    assert texts(svg, "fig-part-name") == [part.name for part in Part.objects.all()]
    assert_labelled(html, svg)
    # The list after it stays the text version, with each part's purpose and lessons.
    assert html.index("<svg") < html.index('<ol class="layout layout-home">')


def test_the_home_figure_draws_each_parts_typical_sections_in_that_part(client):
    (svg,) = svgs(client.get("/").content.decode(), "layout")
    drawn = regions(svg)
    for part in Part.objects.all():
        for section in part.typical_sections:
            assert section in drawn[part.slug], (part.slug, section)


def test_renaming_a_part_in_the_layout_file_renames_it_in_the_drawing(client, tmp_path):
    from exercises.loader import load_guide

    root = tmp_path / "fixtures"
    shutil.copytree(settings.FIXTURES_DIR, root)
    layout = root / "layout.toml"
    layout.write_text(layout.read_text().replace('name = "Main body"', 'name = "The work itself"'))
    load_guide(root)
    for url in ["/", reverse("lesson", args=["paper-structure"]), reverse("paper", args=["lee-2016"])]:
        (svg,) = svgs(client.get(url).content.decode(), "layout")
        assert "The work itself" in texts(svg, "fig-part-name"), url
        assert "Main body" not in texts(svg, "fig-part-name"), url


def test_a_papers_figure_places_each_of_its_own_sections_in_its_part(client):
    paper = Paper.objects.get(slug="lee-2016")
    html = client.get(paper.get_absolute_url()).content.decode()
    (svg,) = svgs(html, "layout")
    assert_labelled(html, svg)
    drawn = regions(svg)
    for section in paper.sections.select_related("part"):
        # A long title may be wrapped over two lines of the drawing.
        assert str(section) in drawn[section.part.slug], str(section)
    assert "3.2 Winner-Take-All (WTA) Circuit" in drawn["main-body"]


def test_a_paper_page_reads_its_sections_once_the_drawing_counts_them_and_the_list_names_them(client):
    html = client.get(reverse("paper", args=["lee-2016"])).content.decode()
    (svg,) = svgs(html, "layout")
    desc = re.search(r"<desc[^>]*>([^<]*)</desc>", svg).group(1)
    assert "Main body 12" in desc
    assert "Winner-Take-All" not in desc
    after = html[html.index("</svg>") :]
    assert '<li class="depth-1">3.2 Winner-Take-All (WTA) Circuit</li>' in after


def test_a_lesson_with_figure_directives_shows_each_drawing_with_a_title_a_description_and_a_caption(client):
    html = client.get(reverse("lesson", args=["background"])).content.decode()
    assert "[[figure:" not in html
    for name in ["ai-nesting", "pipelines", "feature-hierarchy"]:
        kind = {"ai-nesting": "nesting", "feature-hierarchy": "hierarchy"}.get(name, name)
        (svg,) = svgs(html, kind)
        assert_labelled(html, svg)
        assert re.search(re.escape(svg) + r"\s*<figcaption>" + re.escape(FIGURES[name].caption), html), name
    assert html.index("figure-nesting") < html.index("figure-pipelines") < html.index("figure-hierarchy")


def test_the_paper_structure_lesson_draws_the_layout_and_describes_it_in_full(client):
    html = client.get(reverse("lesson", args=["paper-structure"])).content.decode()
    (svg,) = svgs(html, "layout")
    assert_labelled(html, svg)
    desc = unescape(re.search(r"<desc[^>]*>([^<]*)</desc>", svg).group(1))
    for part in Part.objects.all():
        assert f"{part.name} ({', '.join(part.typical_sections)})" in desc


def test_text_in_a_figure_is_at_least_15_units_in_a_drawing_360_wide():
    from django.template.loader import render_to_string

    from lessons.figures import layout_drawing

    for name, figure in FIGURES.items():
        svg = render_to_string(figure.template, {"prefix": "x", "drawing": layout_drawing(Part.objects.all())})
        assert re.search(r'viewBox="0 0 360 \d+"', svg), name
        assert "font-size" not in svg and "style=" not in svg, name  # sizes and colours come from site.css
    css = (settings.BASE_DIR / "static/site.css").read_text()
    figures_block = css[css.index("/* ---- Figures") :]
    sizes = [int(size) for size in re.findall(r"font-size: (\d+)px", figures_block)]
    assert sizes and min(sizes) >= 15


def test_ids_are_unique_on_every_page_that_shows_figures(client):
    urls = ["/", reverse("paper", args=["lee-2016"])]
    urls += [lesson.get_absolute_url() for lesson in Lesson.objects.all()]
    for url in urls:
        ids = Counter(re.findall(r'\sid="([^"]+)"', client.get(url).content.decode()))
        assert [id_ for id_, count in ids.items() if count > 1] == [], url


def test_only_named_figures_replace_a_paragraph_and_the_stored_html_holds_no_svg():
    stored = Lesson.objects.get(slug="background").html
    assert "<svg" not in stored and "<p>[[figure:ai-nesting]]</p>" in stored
    html = insert_figures("<p>[[figure:nope]]</p><p>See [[figure:ai-nesting]].</p><p>[[figure:ai-nesting]]</p>")
    assert html.startswith("<p>[[figure:nope]]</p><p>See [[figure:ai-nesting]].</p>\n<figure")
    assert html.count("<svg") == 1


def test_the_same_figure_twice_on_a_page_gets_ids_of_its_own():
    html = insert_figures("<p>[[figure:pipelines]]</p><p>[[figure:pipelines]]</p>")
    assert 'id="lesson-figure-1-title"' in html and 'id="lesson-figure-2-title"' in html


def test_a_lesson_shows_where_it_sits_in_the_layout_on_one_short_strip(client):
    html = client.get(reverse("lesson", args=["main-body"])).content.decode()
    strip = html[html.index('<nav aria-label="Where this lesson sits in a paper"') :]
    strip = strip[: strip.index("</nav>")]
    assert strip.count("<li") == Part.objects.count()
    assert strip.count('aria-current="true"') == 1
    assert '<strong>Main body</strong> <span class="here">(this lesson)</span>' in strip
    assert "<a " not in strip  # nothing in it looks clickable, and nothing is


def test_a_lesson_on_no_part_of_the_layout_shows_no_strip(client):
    for slug in ["background", "paper-structure", "further-reading"]:
        assert Lesson.objects.get(slug=slug).part is None
        html = client.get(reverse("lesson", args=[slug])).content.decode()
        assert "Where this lesson sits in a paper" not in html, slug


def test_home_page_query_count_is_pinned(client, student, django_assert_num_queries):
    caches["fragments"].clear()
    # The guide's version; the drawing reads the parts the list reads: the first lesson, the parts,
    # their lessons.
    with django_assert_num_queries(4):
        first = client.get("/").content
    # Then a visitor's page is kept whole: only the guide's version is read.
    with django_assert_num_queries(1):
        assert client.get("/").content == first
    # Signed in, the page is made again, with the layout a cached fragment: the first lesson (which
    # carries the guide's version), the session, the user and the count of new answers to their questions.
    client.force_login(student)
    with django_assert_num_queries(4):
        client.get("/")


def test_a_lesson_with_the_layout_figure_reads_the_parts_once(client):
    caches["fragments"].clear()
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("lesson", args=["paper-structure"]))
    parts_table = Part._meta.db_table
    assert sum(f'FROM "{parts_table}"' in query["sql"] for query in captured.captured_queries) == 1
