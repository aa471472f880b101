"""Markdown to safe HTML, with maths as MathML and annotations marked: the one rendering path.

Content is rendered once, when it is loaded; pages read the stored HTML. Everything that comes
out of here has been through `lessons.sanitizer.sanitize`; the only markup added afterwards is
built here from escaped text (annotation marks and margin notes).
"""

import re
from dataclasses import dataclass

import latex2mathml.converter
import markdown as python_markdown
from django.utils.html import escape

from lessons.sanitizer import sanitize

# attr_list and md_in_html are deliberately absent: authors cannot add attributes.
MARKDOWN_EXTENSIONS = ["tables", "sane_lists"]

# Private-use characters mark places in the text across the Markdown step; authors never type them.
_MATH_OPEN, _MATH_CLOSE = "\ue010", "\ue011"
_DOLLAR = "\ue012"
_MARK_START = ("\ue000", "\ue001")
_MARK_END = ("\ue002", "\ue003")
_PRIVATE_USE = re.compile("[\ue000-\ue0ff]")

# A whole tag of sanitised output: the serialiser always double-quotes attribute values.
_TAG = re.compile(r'<(?:[^>"]|"[^"]*")*>')

_DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$", re.DOTALL)
# A link written in Markdown (`[text](//host)`) becomes <a href="//host">; raw HTML the sanitiser drops anyway.
_OFF_SITE_RELATIVE = re.compile(r'<a href="((?://|/\\|\\)[^"]*)"')
_INLINE_MATH = re.compile(r"(?<![\\$])\$(?!\s)([^$\n]+?)(?<!\s)\$(?!\$)")


class RenderError(ValueError):
    """Content that cannot be rendered as written (bad maths, an annotation that does not fit)."""


@dataclass(frozen=True)
class Mark:
    """A span to highlight: where it is in the source, its move and margin note."""

    start: int
    end: int
    move_slug: str
    move_name: str
    note: str


@dataclass(frozen=True)
class _Span:
    start: int
    end: int


def render_markdown(source):
    """Render Markdown (with `$...$` and `$$...$$` maths) to sanitised HTML."""
    html = _markdown_with_maths(source)
    # The sanitiser strips such links; an author is told instead of finding a dead link.
    if match := _OFF_SITE_RELATIVE.search(html):
        raise RenderError(f"the link {match.group(1)!r} has no scheme and leads off-site: write https://...")
    return sanitize(html)


def render_annotated(source, marks):
    """Render an excerpt with each mark wrapped in `<mark data-move>` and its margin note after it.

    `marks` must not overlap; each must lie within one paragraph without crossing formatting.
    The note is inline Markdown (emphasis, maths), rendered like every other text an author writes.
    """

    def wrap(mark, inner):
        move = escape(mark.move_slug)
        return (
            f'<mark data-move="{move}">{inner}</mark><span class="margin-note" data-move="{move}">'
            f'<span class="move-name">{escape(mark.move_name)}</span> {render_inline(mark.note)}</span>'
        )

    return _render_marked(source, marks, wrap, render_markdown)


def render_inline(source, highlights=()):
    """Render one paragraph of Markdown (with maths) without its `<p>`, for text inside a line:
    a sentence, a label's note, the feedback for a wrong label.

    `highlights` are substrings of `source` to wrap in `<mark class="signal">` (each at its first
    occurrence); like annotations, they must not fall inside maths or cross formatting.
    """
    spans = []
    for text in highlights:
        start = source.find(text)
        if start < 0:
            raise RenderError(f"the signal {text!r} is not in the text")
        spans.append(_Span(start, start + len(text)))
    spans.sort(key=lambda span: span.start)
    # Overlapping signals: the earlier one already covers the later.
    kept = [span for index, span in enumerate(spans) if not any(o.end > span.start for o in spans[:index])]
    return _render_marked(source, kept, lambda _span, inner: f'<mark class="signal">{inner}</mark>', _render_paragraph)


def _render_paragraph(source):
    html = render_markdown(source).strip()
    if not html:
        return ""
    if not (html.startswith("<p>") and html.endswith("</p>")) or "<p>" in html[3:]:
        raise RenderError(f"{source[:60]!r} must be a single paragraph of text (no lists, headings or blank lines)")
    return html[3:-4]


def _render_marked(source, marks, wrap, render):
    """Render `source` with `render`, then wrap each mark's rendered text with `wrap(mark, inner_html)`.

    Private-use characters stand for the marks' ends across rendering, so the wrapping markup,
    built from escaped text only, is added after the sanitiser has seen everything else.
    """
    if _PRIVATE_USE.search(source):
        raise RenderError("the text holds private-use characters (U+E000 to U+E0FF); remove them")
    marks = sorted(marks, key=lambda mark: mark.start)
    for before, after in zip(marks, marks[1:], strict=False):
        if after.start < before.end:
            raise RenderError(
                f"the annotations on {source[after.start : after.end]!r} and "
                f"{source[before.start : before.end]!r} overlap"
            )
    text = source
    for index, mark in reversed(list(enumerate(marks))):
        text = (
            text[: mark.start]
            + f"{_MARK_START[0]}{index}{_MARK_START[1]}"
            + text[mark.start : mark.end]
            + f"{_MARK_END[0]}{index}{_MARK_END[1]}"
            + text[mark.end :]
        )
    html = render(text)
    # A quote inside a link's address or title would put the <mark> inside an attribute value,
    # where its own quotes end the value and its data-move text becomes new attributes.
    if any(_PRIVATE_USE.search(tag) for tag in _TAG.findall(html)):
        raise RenderError("an annotation quotes text inside a link's address or title; quote the visible text")
    for index, mark in enumerate(marks):
        start_token = f"{_MARK_START[0]}{index}{_MARK_START[1]}"
        end_token = f"{_MARK_END[0]}{index}{_MARK_END[1]}"
        start, end = html.find(start_token), html.find(end_token)
        quote = source[mark.start : mark.end]
        if start == -1 or end == -1 or end < start:
            raise RenderError(f"the marked text {quote!r} falls inside maths or markup; mark plain text")
        if "<" in html[start:end]:
            raise RenderError(f"the marked text {quote!r} crosses formatting or a paragraph; mark a span inside one")
        html = html[:start] + wrap(mark, html[start + len(start_token) : end]) + html[end + len(end_token) :]
    return html


def _markdown_with_maths(source):
    if _PRIVATE_USE.search(
        source.replace(_MARK_START[0], "")
        .replace(_MARK_START[1], "")
        .replace(_MARK_END[0], "")
        .replace(_MARK_END[1], "")
    ):
        raise RenderError("the text holds private-use characters (U+E000 to U+E0FF); remove them")
    formulas = []

    def stash(match, display):
        formulas.append(_to_mathml(match.group(1), display))
        return f"{_MATH_OPEN}{len(formulas) - 1}{_MATH_CLOSE}"

    text = source.replace("\\$", _DOLLAR)
    text = _DISPLAY_MATH.sub(lambda match: stash(match, True), text)
    text = _INLINE_MATH.sub(lambda match: stash(match, False), text)
    html = python_markdown.markdown(text, extensions=MARKDOWN_EXTENSIONS, output_format="html")
    for index, mathml in enumerate(formulas):
        html = html.replace(f"{_MATH_OPEN}{index}{_MATH_CLOSE}", mathml)
    return html.replace(_DOLLAR, "$")


def _to_mathml(latex, display):
    try:
        return latex2mathml.converter.convert(latex.strip(), display="block" if display else "inline")
    except Exception as error:  # latex2mathml raises many kinds for bad LaTeX
        raise RenderError(f"the formula {latex.strip()[:60]!r} is not valid LaTeX: {error}") from None
