"""Markdown to safe HTML, with maths as MathML and annotations marked: the one rendering path.

Content is rendered once, when it is loaded; pages read the stored HTML. Everything that comes
out of here has been through `lessons.sanitizer.sanitize`; the only markup added afterwards is
built here from escaped text (annotation marks and margin notes).
"""

import re
from dataclasses import dataclass

import latex2mathml.converter
import markdown as python_markdown
import markdown.extensions
from django.utils.html import escape, strip_tags
from django.utils.text import slugify

from lessons.sanitizer import USER_POSTS, sanitize

# attr_list and md_in_html are deliberately absent: authors cannot add attributes.
MARKDOWN_EXTENSIONS = ["tables", "sane_lists"]

# Private-use characters mark places in the text across the Markdown step; authors never type them.
_MATH_OPEN, _MATH_CLOSE = "\ue010", "\ue011"
_DOLLAR = "\ue012"
_MARK_START = ("\ue000", "\ue001")
_MARK_END = ("\ue002", "\ue003")
_NOTE = ("\ue004", "\ue005")
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
    move_short: str = ""


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


def render_user_markdown(source):
    """Render what a user wrote (a question, an answer) to HTML safe to show to anyone: raw HTML is
    shown as the text it is, and the small Markdown subset of `USER_POSTS` survives (emphasis,
    code, lists, quotes, http(s) links, `$...$` maths). Never raises: a formula that is not valid
    LaTeX stays as the text typed."""
    extensions = [*MARKDOWN_EXTENSIONS, _RawHtmlAsText()]
    try:
        rendered = _markdown_with_maths(source, extensions)
    except RenderError:
        rendered = python_markdown.markdown(source.replace("$", "&#36;"), extensions=extensions)
    return sanitize(rendered, USER_POSTS)


class _RawHtmlAsText(python_markdown.extensions.Extension):
    """Markdown without its raw HTML: tags a user types are shown as text, not parsed."""

    def extendMarkdown(self, md):  # noqa: N802 (Markdown's name)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


_HEADING = re.compile(r"<h([23])>(.*?)</h\1>", re.DOTALL)


def with_heading_ids(html):
    """Give the h2 and h3 headings of rendered `html` ids, for a table of contents.

    Returns (html, toc): toc lists {"id", "title", "level"} in order. The ids are ours, made from
    the heading's text (the sanitiser lets no author write an id), prefixed so that they cannot
    clash with the page's own.
    """
    toc, seen = [], set()

    def heading(match):
        level, inner = match.group(1), match.group(2)
        title = strip_tags(inner).strip()
        base = "s-" + (slugify(title) or "section")
        slug, n = base, 2
        while slug in seen:
            slug, n = f"{base}-{n}", n + 1
        seen.add(slug)
        toc.append({"id": slug, "title": title, "level": int(level)})
        return f'<h{level} id="{slug}">{inner}</h{level}>'

    return _HEADING.sub(heading, html), toc


def render_annotated(source, marks):
    """Render an excerpt with each mark highlighted, numbered, and its note placed after its sentence.

    Each mark becomes `<mark data-move data-note>` followed by a small numbered marker naming the
    move; its note (`data-note-for`) follows the end of the sentence the mark ends in, never inside
    it, so the reading order without styles is sentence, then note. Notes are numbered within the
    excerpt by placeholders: `lessons.reading.present` numbers them across the page and can leave
    out the marks of some moves. `marks` must not overlap; each must lie within one paragraph
    without crossing formatting. The note is inline Markdown (emphasis, maths), rendered like
    every other text an author writes.
    """
    marks = sorted(marks, key=lambda mark: mark.start)
    notes = {}
    for index, mark in enumerate(marks):
        position = _sentence_end(source, mark.end)
        # A later mark that runs past this sentence's end takes the note after its own sentence.
        while inside := [other for other in marks if other.start < position < other.end]:
            position = max(position, _sentence_end(source, inside[0].end))
        notes[index] = position

    def wrap(mark, inner):
        index = marks.index(mark) + 1
        move, number = escape(mark.move_slug), NUMBER.format(index)
        name, short = escape(mark.move_name), escape(mark.move_short or mark.move_name)
        return (
            f"{REGION_START}{index}{REGION_END}"
            f'<mark data-move="{move}" data-note="{number}" id="mark-{number}">{inner}</mark>'
            f'<a class="note-marker" data-move="{move}" href="#note-{number}" aria-label="Note {number}: {name}">'
            f'{number}<span class="marker-move" aria-hidden="true"> {short}</span></a>'
            f"{REGION_CLOSE}"
        )

    def note(index):
        mark = marks[index]
        move, number = escape(mark.move_slug), NUMBER.format(index + 1)
        return (
            f"{REGION_START}{index + 1}{REGION_END}"
            f'<span class="margin-note" data-move="{move}" data-note-for="{number}" id="note-{number}">'
            f'<a class="note-number" href="#mark-{number}" aria-label="Note {number}, back to its highlight">'
            f"{number}</a> "
            f'<span class="move-name">{escape(mark.move_name)}</span> '
            f'<span class="note-text">{render_inline(mark.note)}</span></span>'
            f"{REGION_CLOSE}"
        )

    return _render_marked(source, marks, wrap, render_markdown, notes=notes, note=note)


# What `lessons.reading.present` replaces when it puts an excerpt on a page: a note's number within
# its excerpt, and the start and end of each annotation's markup (its mark and marker, its note).
NUMBER = "\ue020{}\ue021"
REGION_START, REGION_END, REGION_CLOSE = "\ue022", "\ue023", "\ue024"

# The end of a sentence: a full stop (or ! ?) and any closing quotes or brackets, before space and
# a capital, a digit or an opening mark; or the end of a paragraph or of a list item.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9$\\])|(?=\n\s*\n)|(?=\n\s*(?:[-*+]|\d+\.)\s)")


def _sentence_end(source, position):
    """Where the sentence that holds `position` ends in `source`, never inside a formula; in a
    table row, the end of the cell."""
    line_start = source.rfind("\n", 0, position) + 1
    if source[line_start:].lstrip().startswith("|"):
        cell_end = source.find("|", position)
        return cell_end if cell_end != -1 else len(source)
    formulas = [match.span() for match in _DISPLAY_MATH.finditer(source)]
    formulas += [match.span() for match in _INLINE_MATH.finditer(source)]
    # The mark may end on the sentence's own full stop.
    for match in _SENTENCE_END.finditer(source, max(position - 1, 0)):
        end = match.end()
        if not any(begin < end < finish for begin, finish in formulas):
            return end
    return len(source.rstrip())


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


def _render_marked(source, marks, wrap, render, notes=None, note=None):
    """Render `source` with `render`, then wrap each mark's rendered text with `wrap(mark, inner_html)`.

    `notes` ({mark index: position in source}) places `note(index)` at that position. Private-use
    characters stand for the marks' ends and the notes' places across rendering, so the markup,
    built from escaped text only, is added after the sanitiser has seen everything else.
    """
    notes = notes or {}
    if _PRIVATE_USE.search(source):
        raise RenderError("the text holds private-use characters (U+E000 to U+E0FF); remove them")
    marks = sorted(marks, key=lambda mark: mark.start)
    for before, after in zip(marks, marks[1:], strict=False):
        if after.start < before.end:
            raise RenderError(
                f"the annotations on {source[after.start : after.end]!r} and "
                f"{source[before.start : before.end]!r} overlap"
            )
    # At one position: a mark's end, then notes (in the order of their marks), then a mark's start.
    inserts = [(mark.end, 0, index, f"{_MARK_END[0]}{index}{_MARK_END[1]}") for index, mark in enumerate(marks)]
    inserts += [(position, 1, index, f"{_NOTE[0]}{index}{_NOTE[1]}") for index, position in notes.items()]
    inserts += [(mark.start, 2, index, f"{_MARK_START[0]}{index}{_MARK_START[1]}") for index, mark in enumerate(marks)]
    text = source
    # From the end backwards, so earlier positions stay valid and each token lands before the
    # ones already placed at its position.
    for position, _kind, _index, token in sorted(inserts, reverse=True):
        text = text[:position] + token + text[position:]
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
    for index in notes:
        token = f"{_NOTE[0]}{index}{_NOTE[1]}"
        if html.count(token) != 1:
            raise RenderError(
                f"the note on {source[marks[index].start : marks[index].end]!r} has no place after its sentence"
            )
        html = html.replace(token, note(index))
    return html


def _markdown_with_maths(source, extensions=MARKDOWN_EXTENSIONS):
    if _PRIVATE_USE.search(source.translate({ord(c): None for c in (*_MARK_START, *_MARK_END, *_NOTE)})):
        raise RenderError("the text holds private-use characters (U+E000 to U+E0FF); remove them")
    formulas = []

    def stash(match, display):
        formulas.append(_to_mathml(match.group(1), display))
        return f"{_MATH_OPEN}{len(formulas) - 1}{_MATH_CLOSE}"

    text = source.replace("\\$", _DOLLAR)
    text = _DISPLAY_MATH.sub(lambda match: stash(match, True), text)
    text = _INLINE_MATH.sub(lambda match: stash(match, False), text)
    html = python_markdown.markdown(text, extensions=extensions, output_format="html")
    for index, mathml in enumerate(formulas):
        html = html.replace(f"{_MATH_OPEN}{index}{_MATH_CLOSE}", mathml)
    return html.replace(_DOLLAR, "$")


def _to_mathml(latex, display):
    try:
        return latex2mathml.converter.convert(latex.strip(), display="block" if display else "inline")
    except Exception as error:  # latex2mathml raises many kinds for bad LaTeX
        raise RenderError(f"the formula {latex.strip()[:60]!r} is not valid LaTeX: {error}") from None
