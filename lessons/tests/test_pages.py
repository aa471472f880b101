import re
from html import unescape

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils.html import escape

from lessons.models import Annotation, Excerpt, Lesson, Paper

pytestmark = pytest.mark.django_db


def test_home_draws_the_layout_and_a_first_step(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    for name in ["Meta information", "Lead-in and background", "Main body", "The end", "References"]:
        assert name in html
    first = Lesson.objects.order_by("order").first()
    assert f'href="{first.get_absolute_url()}"' in html


def test_every_lesson_answers_with_its_title_and_place_on_the_layout(client):
    lessons = list(Lesson.objects.select_related("part"))
    assert len(lessons) >= 7
    for lesson in lessons:
        response = client.get(lesson.get_absolute_url())
        assert response.status_code == 200, lesson.slug
        html = response.content.decode()
        assert lesson.title in html.replace("&#x27;", "'")
        if lesson.part:
            assert f'data-part="{lesson.part.slug}" aria-current="true"' in html


def test_lesson_shows_its_excerpts_annotations_and_the_exercises_of_its_part(client):
    html = client.get(reverse("lesson", args=["meta-information"])).content.decode()
    assert 'id="excerpt-lee-2016-abstract"' in html
    assert '<mark data-move="problem" data-note=' in html
    assert reverse("exercise", args=["lee-2016-abstract"]) in html


def test_lesson_links_previous_and_next(client):
    html = client.get(reverse("lesson", args=["meta-information"])).content.decode()
    assert 'rel="prev"' in html and 'rel="next"' in html


def test_every_annotation_appears_on_its_papers_page_with_its_note(client):
    for paper in Paper.objects.all():
        page = unescape(client.get(paper.get_absolute_url()).content.decode())
        annotations = Annotation.objects.filter(excerpt__paper=paper).select_related("move")
        assert annotations
        for annotation in annotations:
            move = annotation.move.slug
            numbers = re.findall(
                f'<mark data-move="{move}" data-note="(\\d+)" id="mark-\\d+">{re.escape(annotation.quote)}</mark>', page
            )
            assert numbers, annotation.quote
            notes = [
                re.search(
                    f'<span class="margin-note" data-move="{move}" data-note-for="{n}"[^>]*>(.*?)</span></span>', page
                )
                for n in numbers
            ]
            assert any(
                annotation.move.name in note.group(1) and annotation.note in note.group(1) for note in notes if note
            )


def test_paper_page_shows_citation_licence_and_its_layout(client):
    html = client.get(reverse("paper", args=["lee-2016"])).content.decode()
    assert "arXiv:1608.08782v1" in html
    assert "CC BY 4.0" in html
    assert "3.2 Winner-Take-All (WTA) Circuit" in html
    assert "10.3389/fnins.2016.00508" in html


def test_the_three_spiking_network_abstracts_carry_all_four_abstract_moves():
    for slug in ["lee-2016-abstract", "diehl-2015-abstract", "rueckauer-2017-abstract"]:
        excerpt = Excerpt.objects.get(slug=slug)
        for move in ["lead-in", "problem", "about", "importance"]:
            assert f'<mark data-move="{move}" data-note=' in excerpt.html, (slug, move)


def test_lee_section_3_2_carries_the_four_main_body_moves():
    html = Excerpt.objects.get(slug="lee-2016-wta").html
    for move in ["lead-in", "what-it-is", "in-our-work", "result"]:
        assert f'<mark data-move="{move}" data-note=' in html


def test_the_equations_are_mathml():
    html = Excerpt.objects.get(slug="lee-2016-equations").html
    assert html.count('<math xmlns="http://www.w3.org/1998/Math/MathML" display="block">') >= 4
    assert "$$" not in html


def test_tables_render_as_tables():
    assert "<table>" in Excerpt.objects.get(slug="lee-2016-table-2").html
    assert "<table>" in Excerpt.objects.get(slug="krizhevsky-2012-table-1").html


def test_the_comparison_aligns_the_four_layouts_by_part(client):
    html = client.get(reverse("compare")).content.decode()
    assert html.count('<tr data-part="') == 5
    for paper in Paper.objects.all():
        assert paper.short_name.replace("&", "&amp;") in html


def test_papers_list_all_four(client):
    response = client.get(reverse("papers"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<li><h2><a href="/papers/') == 4
    for paper in Paper.objects.all():
        assert f'<a href="{paper.get_absolute_url()}">{escape(paper.title)}</a>' in html, paper.slug


def test_unknown_lesson_and_paper_are_404_in_the_sites_style(client):
    for url in ["/lessons/nope/", "/papers/nope/", "/nope/"]:
        response = client.get(url)
        assert response.status_code == 404
        assert "We could not find that page" in response.content.decode()


def test_pages_refuse_writes(client):
    for url in ["/", "/lessons/", reverse("lesson", args=["background"]), "/papers/", "/papers/compare/"]:
        assert client.post(url).status_code == 405


def test_healthz_says_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_lesson_page_query_count_is_pinned(client, django_assert_num_queries):
    caches["fragments"].clear()
    # the guide's version, the lesson, its excerpts, the legend, the parts, the exercises of its part,
    # previous, next
    with django_assert_num_queries(8):
        first = client.get(reverse("lesson", args=["main-body"])).content
    # Then a visitor's page is kept whole: only the guide's version is read.
    with django_assert_num_queries(1):
        assert client.get(reverse("lesson", args=["main-body"])).content == first


def test_paper_page_query_count_is_pinned(client, django_assert_num_queries):
    caches["fragments"].clear()
    # the guide's version, paper, excerpts, legend, sections
    with django_assert_num_queries(5):
        first = client.get(reverse("paper", args=["lee-2016"])).content
    with django_assert_num_queries(1):
        assert client.get(reverse("paper", args=["lee-2016"])).content == first


def test_with_the_content_caches_off_the_body_is_read_every_time(client, settings, django_assert_num_queries):
    settings.CONTENT_CACHES = False  # as CONTENT_CACHES=0 sets both
    dummy = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    settings.CACHES = {**settings.CACHES, "fragments": dummy, "pages": dummy}
    for _ in range(2):
        with django_assert_num_queries(7):
            client.get(reverse("lesson", args=["main-body"]))
        with django_assert_num_queries(4):
            client.get(reverse("paper", args=["lee-2016"]))


@pytest.mark.parametrize(
    ("url", "section"),
    [
        ("/lessons/", "Lessons"),
        ("/lessons/meta-information/", "Lessons"),
        ("/papers/", "Papers"),
        ("/papers/lee-2016/", "Papers"),
        ("/papers/compare/", "Papers"),
        ("/exercises/", "Exercises"),
        ("/exercises/lee-2016-abstract/", "Exercises"),
        ("/progress/", "Progress"),
    ],
)
def test_the_navigation_marks_the_section_the_page_belongs_to(client, url, section):
    html = client.get(url).content.decode()
    nav = html[html.index('<nav aria-label="Main">') : html.index("</nav>")]
    assert nav.count('aria-current="page"') == 1, url
    assert f'aria-current="page">{section}</a>' in nav, url


def test_every_lesson_sends_the_reader_to_practise_once_at_the_end(client):
    for lesson in Lesson.objects.select_related("part"):
        html = client.get(lesson.get_absolute_url()).content.decode()
        assert html.count('id="practise-title"') == 1, lesson.slug
        assert "<h2>Practise</h2>" not in html, lesson.slug
        practise = html[html.index('id="practise-title"') :]
        assert 'href="/exercises/' in practise, lesson.slug
        if lesson.part:
            for exercise in lesson.part.exercises.all():
                assert exercise.get_absolute_url() in practise, lesson.slug
