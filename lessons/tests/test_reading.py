"""The reading screen: numbered highlights, notes after their sentence, one move or none on request."""

import re

import pytest
from django.urls import reverse

from lessons.markdown import Mark, render_annotated
from lessons.models import Annotation, Lesson, Paper
from lessons.reading import present

pytestmark = pytest.mark.django_db

MARK = re.compile(r'<mark data-move="([^"]+)" data-note="(\d+)" id="mark-(\d+)">')
NOTE = re.compile(r'<span class="margin-note" data-move="([^"]+)" data-note-for="(\d+)" id="note-(\d+)">')


class Excerpt:
    def __init__(self, html):
        self.html = html


def on_a_page(*htmls, **reading):
    excerpts = [Excerpt(html) for html in htmls]
    present(excerpts, **reading)
    return [excerpt.page_html for excerpt in excerpts]


def test_a_note_waits_for_the_end_of_its_sentence_and_never_splits_it():
    source = "We use e.g. spikes, which are sparse. Then we test them."
    start = source.index("spikes")
    (html,) = on_a_page(
        render_annotated(source, [Mark(start, start + 6, "about", "What it is about", "A note.", "About")])
    )
    before_note = html[: html.index('<span class="margin-note"')]
    assert before_note.endswith("which are sparse.")
    assert html.index("</mark>") < html.index('class="note-marker"') < html.index("which are sparse.")
    assert html.rstrip().endswith("Then we test them.</p>")


def test_a_note_is_never_placed_inside_a_formula():
    source = "The rate $r = a.b$ is kept where $q$ is small. Next."
    (html,) = on_a_page(render_annotated(source, [Mark(4, 8, "symbols", "Explains the symbols", "n", "Symbols")]))
    note = html.index('<span class="margin-note"')
    assert html.count("</math>", 0, note) == 2 and html[:note].endswith("is small.")


def test_two_marks_in_one_sentence_put_their_notes_after_it_in_order():
    source = "However, training is hard and slow. We fix it."
    marks = [
        Mark(0, 7, "problem", "The problem", "first", "Problem"),
        Mark(21, 25, "problem", "The problem", "second", "Problem"),
    ]
    (html,) = on_a_page(render_annotated(source, marks))
    first, second = html.index("first"), html.index("second")
    assert html.index("slow.") < first < second < html.index("We fix it.")


def test_notes_are_numbered_across_the_page_without_repeating():
    source = "One thing. Another thing."
    marks = [Mark(0, 10, "lead-in", "Lead-in", "a", "Lead-in"), Mark(11, 25, "problem", "The problem", "b", "Problem")]
    pages = on_a_page(render_annotated(source, marks), render_annotated(source, marks))
    numbers = [number for html in pages for _, number, _ in MARK.findall(html)]
    assert numbers == ["1", "2", "3", "4"]
    assert [number for html in pages for _, number, _ in NOTE.findall(html)] == numbers
    assert "\ue020" not in "".join(pages) and "\ue022" not in "".join(pages)


def test_one_move_only_leaves_the_others_as_plain_text_and_renumbers():
    source = "One thing. Another thing."
    marks = [Mark(0, 10, "lead-in", "Lead-in", "a", "Lead-in"), Mark(11, 25, "problem", "The problem", "b", "Problem")]
    (html,) = on_a_page(render_annotated(source, marks), only="problem")
    assert MARK.findall(html) == [("problem", "1", "1")]
    assert NOTE.findall(html) == [("problem", "1", "1")]
    assert "One thing." in html and "Lead-in" not in html


def test_every_note_on_every_page_follows_the_end_of_a_sentence_or_a_block(client):
    urls = [paper.get_absolute_url() for paper in Paper.objects.all()]
    urls += [lesson.get_absolute_url() for lesson in Lesson.objects.all()]
    for url in urls:
        html = client.get(url).content.decode()
        for match in NOTE.finditer(html):
            before = re.sub(r'<a class="note-marker".*?</a>', "", html[: match.start()])
            before = re.sub(r"<[^>]+>", "", before)
            # Other notes and markers may come between: strip back to the sentence's last words.
            before = re.sub(r"\s+$", "", before)
            rest = html[match.start() :]
            following = rest[rest.index("</span></span>") + len("</span></span>") :].lstrip()
            at_a_block_end = following.startswith(("</p>", "</td>", "</li>", '<span class="margin-note"'))
            assert before[-1] in ".!?:;”’)]…" or at_a_block_end, (url, before[-80:])


def test_marks_notes_and_their_numbers_pair_up_uniquely_on_every_page(client):
    for paper in Paper.objects.all():
        html = client.get(paper.get_absolute_url()).content.decode()
        marks, notes = MARK.findall(html), NOTE.findall(html)
        assert len(marks) == Annotation.objects.filter(excerpt__paper=paper).count()
        assert [(move, n) for move, n, _ in marks] == [(move, n) for move, n, _ in notes]
        assert [int(n) for _, n, _ in marks] == list(range(1, len(marks) + 1))
        for _, n, _ in marks:
            assert f'href="#note-{n}"' in html and f'href="#mark-{n}"' in html


def test_a_reader_can_ask_for_one_move_only_or_for_no_highlights(client):
    url = reverse("paper", args=["lee-2016"])
    only = client.get(url, {"only": "problem"}).content.decode()
    assert {move for move, _, _ in MARK.findall(only)} == {"problem"}
    assert {move for move, _, _ in NOTE.findall(only)} == {"problem"}
    assert "Showing only" in only and "Show every move" in only
    clean = client.get(url, {"highlights": "off"}).content.decode()
    assert not MARK.findall(clean) and not NOTE.findall(clean)
    assert "Deep spiking neural networks (SNNs) hold great potential" in clean


def test_asking_for_a_move_that_does_not_exist_says_so_with_a_400(client):
    response = client.get(reverse("paper", args=["lee-2016"]), {"only": "<script>"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is no move called “&lt;script&gt;”" in html
    assert MARK.findall(html)


def test_the_contents_of_a_page_link_to_what_is_on_it(client):
    for url in [reverse("paper", args=["lee-2016"]), reverse("lesson", args=["meta-information"])]:
        html = client.get(url).content.decode()
        contents = html[html.index('<nav class="toc"') : html.index("</nav>", html.index('<nav class="toc"'))]
        targets = re.findall(r'href="#([^"]+)"', contents)
        assert len(targets) >= 4
        for target in targets:
            assert f'id="{target}"' in html, (url, target)


def test_a_lessons_headings_are_in_its_contents():
    lesson = Lesson.objects.get(slug="meta-information")
    assert lesson.toc and all(heading["id"] in lesson.html for heading in lesson.toc)
