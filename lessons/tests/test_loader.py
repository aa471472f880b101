"""The lessons loader refuses bad lessons-side content (layout, moves, papers, lessons) with the file, the
item and the fix, and writes nothing.

`read_guide` and `write_guide` are what the whole guide's load runs for this side; that load, with the
exercises, is tested in exercises/tests/test_loader.py.
"""

import re
import shutil

import pytest
from django.conf import settings

from lessons.content_files import ContentErrors, FileReader
from lessons.loader import read_guide, write_guide
from lessons.models import Annotation, Excerpt, Lesson, Move, Paper

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(tmp_path):
    """A copy of the real fixtures to break."""
    root = tmp_path / "fixtures"
    shutil.copytree(settings.FIXTURES_DIR, root)
    return root


def load_lessons(root):
    """Check every lessons-side file below `root`, then store them: refused with every problem, or stored."""
    reader = FileReader(root)
    content = read_guide(root, reader)
    if reader.errors:
        raise ContentErrors(reader.errors)
    write_guide(content)


def counts():
    return [model.objects.count() for model in (Paper, Excerpt, Annotation, Lesson, Move)]


def edit(path, old, new, count=1):
    text = path.read_text()
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count))


def assert_refused(content, *fragments):
    before = counts()
    html_before = Excerpt.objects.get(slug="lee-2016-abstract").html
    with pytest.raises(ContentErrors) as raised:
        load_lessons(content)
    message = str(raised.value)
    for fragment in fragments:
        assert fragment in message, message
    assert counts() == before
    assert Excerpt.objects.get(slug="lee-2016-abstract").html == html_before
    return message


def test_an_annotation_whose_quote_is_not_in_the_excerpt_is_refused(content):
    edit(
        content / "papers/lee-2016.toml",
        'quote = "However, training such networks',
        'quote = "Nevertheless, training such networks',
    )
    assert_refused(content, "fixtures/papers/lee-2016.toml", "excerpt lee-2016-abstract, annotation", "found 0 times")


def test_an_annotation_whose_quote_repeats_needs_a_prefix(content):
    path = content / "papers/lee-2016.toml"
    text = path.read_text()
    first_quote = re.search(r'quote = "([^"]+)"', text).group(1)
    edit(path, f'quote = "{first_quote}"', 'quote = "the"')
    assert_refused(content, "lee-2016.toml", "is found", "add a `prefix`")


def test_an_unknown_part_is_refused(content):
    edit(content / "papers/diehl-2015.toml", 'part = "meta"', 'part = "preface"')
    assert_refused(content, "papers/diehl-2015.toml", "unknown part 'preface'")


def test_an_unknown_move_is_refused(content):
    edit(content / "papers/rueckauer-2017.toml", 'move = "problem"', 'move = "drama"')
    assert_refused(content, "papers/rueckauer-2017.toml", "unknown move 'drama'")


def test_a_paper_without_a_citation_is_refused(content):
    path = content / "papers/krizhevsky-2012.toml"
    path.write_text(re.sub(r"(?m)^citation = .*$", "", path.read_text(), count=1))
    assert_refused(content, "papers/krizhevsky-2012.toml", "`citation` is missing")


def test_invalid_toml_names_the_file(content):
    (content / "papers/lee-2016.toml").write_text("title = ")
    assert_refused(content, "papers/lee-2016.toml", "is not valid TOML")


def test_a_lesson_naming_an_unknown_excerpt_is_refused(content):
    edit(content / "lessons/03-meta-information.md", '"lee-2016-abstract"', '"lee-2016-preface"')
    assert_refused(content, "lessons/03-meta-information.md", "unknown excerpts ['lee-2016-preface']")


def test_bad_maths_is_refused_with_the_formula(content):
    edit(content / "lessons/01-background.md", "## ", "Broken $\\frac{1}{$ maths.\n\n## ")
    assert_refused(content, "lessons/01-background.md", "is not valid LaTeX")


def test_a_move_slug_that_is_not_a_slug_is_refused(content):
    edit(content / "moves.toml", 'slug = "problem"', 'slug = "x onmouseover=alert(1) y"')
    assert_refused(content, "moves.toml", "is not a slug")


def test_a_move_description_is_rendered_like_every_other_text(content):
    edit(content / "moves.toml", '"Sets the scene: the field', '"*Sets* the scene with $x_1$: the field')
    load_lessons(content)
    move = Move.objects.get(move_set__slug="abstract", slug="lead-in")
    assert move.description_html.startswith("<em>Sets</em> the scene with <math")


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", " JavaScript:alert(1)", "//evil.example/paper", "arxiv.org/abs/1"]
)
def test_a_paper_url_that_is_not_a_web_address_is_refused(content, url):
    edit(content / "papers/lee-2016.toml", 'url = "https://arxiv.org/abs/1608.08782v1"', f"url = {url!r}")
    assert_refused(content, "fixtures/papers/lee-2016.toml", "paper lee-2016", "is not a web address")


def test_a_protocol_relative_link_in_markdown_is_refused(content):
    path = content / "lessons/03-meta-information.md"
    path.write_text(path.read_text() + "\nSee [the login](//evil.example/login).\n")
    assert_refused(content, "03-meta-information.md", "'//evil.example/login' has no scheme")


def test_an_unknown_figure_is_refused_with_its_file_and_line(content):
    path = content / "lessons/01-background.md"
    edit(path, "[[figure:ai-nesting]]", "[[figure:ai-nest]]")
    line = path.read_text().splitlines().index("[[figure:ai-nest]]") + 1
    assert_refused(content, "lessons/01-background.md", f"lesson background, line {line}", "unknown figure 'ai-nest'")


def test_a_figure_directive_inside_a_paragraph_is_refused_with_its_line(content):
    path = content / "lessons/02-paper-structure.md"
    edit(path, "\n\n[[figure:layout]]\n", "\n[[figure:layout]]\n")
    line = path.read_text().splitlines().index("[[figure:layout]]") + 1
    assert_refused(content, f"lesson paper-structure, line {line}", "must be a paragraph of its own")
    edit(path, "\n[[figure:layout]]\n", "\nAs drawn in [[figure:layout]], a paper has five parts.\n")
    assert_refused(content, f"lesson paper-structure, line {line}", "must stand alone on its line")
