"""Figures: our own drawings as inline SVG templates (templates/figures/), and how a lesson places one.

A lesson places a figure with a paragraph that holds only a directive, `[[figure:ai-nesting]]`.
Markdown and the sanitiser leave that text as it is (it is not a link: no address follows it),
the loader refuses a directive that names no figure or does not stand alone (`directive_problems`),
and the lesson page replaces each such paragraph of the stored HTML with the named template
(`insert_figures`). The SVG never passes through the sanitiser, and nothing an author writes
becomes markup: only the trusted templates named in FIGURES are inserted.

The drawing of the layout is generated from the loaded data (`layout_drawing`, `paper_layout_drawing`):
its parts and their sections are placed here, and the template only draws what it is given.
"""

import re
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe


@dataclass(frozen=True)
class Figure:
    """A drawing a lesson may place, with the caption it gets there."""

    template: str
    caption: str


FIGURES = {
    "layout": Figure(
        "figures/layout.svg.html",
        "The layout of a research paper, drawn: five parts in reading order, each with the sections that "
        "usually make it up. The main body is by far the largest.",
    ),
    "ai-nesting": Figure(
        "figures/ai-nesting.svg.html",
        "Each field sits inside the one before: deep learning is a kind of machine learning, "
        "which is a kind of artificial intelligence.",
    ),
    "pipelines": Figure(
        "figures/pipelines.svg.html",
        "Two ways to recognise a picture. Classic machine learning learns only the last step, from "
        "features a person chose; deep learning starts from the raw pixels and learns the features too.",
    ),
    "feature-hierarchy": Figure(
        "figures/feature-hierarchy.svg.html",
        "What the layers of a deep network learn to see, from first to last: edges and colours, "
        "then parts, then whole objects.",
    ),
}

_DIRECTIVE_START = "[[figure:"
# A directive on a line of its own, at the margin (indented, it would belong to a list or a quote).
_DIRECTIVE_LINE = re.compile(r"\[\[figure:([^\]]*)\]\]\s*")
# The same directive after Markdown and the sanitiser: a paragraph of its own.
_DIRECTIVE_PARAGRAPH = re.compile(r"<p>\[\[figure:([a-z0-9-]+)\]\]</p>")


def directive_problems(body):
    """What is wrong with the figure directives in a lesson's Markdown: a list of (line, message),
    lines counted from 1 at the start of `body`."""
    problems = []
    lines = body.splitlines()
    for index, line in enumerate(lines):
        if _DIRECTIVE_START not in line:
            continue
        number = index + 1
        match = _DIRECTIVE_LINE.fullmatch(line)
        if match is None:
            problems.append((number, "a figure directive must stand alone on its line, at the margin: [[figure:NAME]]"))
            continue
        name = match.group(1)
        if name not in FIGURES:
            problems.append((number, f"unknown figure {name!r}; use one of {sorted(FIGURES)}"))
            continue
        before = lines[index - 1] if index > 0 else ""
        after = lines[index + 1] if index + 1 < len(lines) else ""
        if before.strip() or after.strip():
            message = f"the figure {name!r} must be a paragraph of its own: leave a blank line before and after it"
            problems.append((number, message))
    return problems


def directive_count(body):
    """How many figure directives a lesson's Markdown holds (each one a paragraph once rendered)."""
    return sum(1 for line in body.splitlines() if _DIRECTIVE_LINE.fullmatch(line))


def rendered_directive_count(html):
    """How many figure directives survived rendering as paragraphs of their own."""
    return len(_DIRECTIVE_PARAGRAPH.findall(html))


def insert_figures(html, parts=()):
    """The lesson's stored HTML with each figure paragraph replaced by its figure.

    `html` is the sanitiser's output, as the page shows it; only templates named in FIGURES are
    added. `parts` (the layout's Part rows) are read only when the lesson shows the layout.
    """
    count = 0

    def figure(match):
        nonlocal count
        name = match.group(1)
        if name not in FIGURES:
            return match.group(0)
        count += 1
        context = {"figure": FIGURES[name], "prefix": f"lesson-figure-{count}"}
        if name == "layout":
            context["drawing"] = layout_drawing(parts)
        return render_to_string("figures/_figure.html", context)

    # The sanitiser's output, with trusted templates put in place of whole paragraphs.
    return mark_safe(_DIRECTIVE_PARAGRAPH.sub(figure, html))


# The drawing of the layout: a stack of pages, the front one divided into the parts, top to bottom.
# Sizes are in the SVG's own units; 360 wide fills a phone's column at about one unit a pixel,
# so 15-unit text reads at 15 px there.
WIDTH = 360
_SHEET = 340  # the front page's width; two pages peek out behind it, 6 units apart
_FOLD = 24  # the folded top-right corner
_INSET = 10  # from the page's edge to a part
_TOP = 30  # from the page's top to the first part, below the fold
_GAP = 6  # between parts
_NAME = 24  # from a part's top to its name's baseline
_LINE = 20  # from one line of text to the next
_BOTTOM = 10  # below a part's last line
_TEXT_X = 14  # from a part's left edge to its text (past the coloured bar)
_INDENT = 14  # per level of a subsection
_CONTINUED = 10  # a wrapped line's extra indent
_TEXT_SIZE = 15
TONES = 5
# Widths of characters in ems, generous (DejaVu Sans, one of the widest faces `system-ui` may be),
# so that a wrapped line never runs past its part.
_NARROW, _HALF, _WIDE = frozenset("iljI.,:;'!|"), frozenset("ftr -()[]/"), frozenset("mwMW")


@dataclass
class Line:
    x: int
    y: int
    text: str


@dataclass
class Region:
    """One part of the layout on the page: where it sits and the lines it holds."""

    name: str
    slug: str
    tone: int
    y: int
    height: int
    name_y: int
    lines: list = field(default_factory=list)


@dataclass
class LayoutDrawing:
    """Everything templates/figures/layout.svg.html draws, placed."""

    title: str
    desc: str
    regions: list
    width: int = WIDTH
    height: int = 0
    sheet_width: int = _SHEET
    sheet_height: int = 0
    part_x: int = 2 + _INSET
    name_x: int = 2 + _INSET + _TEXT_X
    part_width: int = _SHEET - 2 * _INSET
    fold_x: int = 2 + _SHEET - _FOLD
    fold_y: int = 2 + _FOLD
    right: int = 2 + _SHEET
    bottom: int = 0


def layout_drawing(parts, listed=False):
    """The layout of a paper: each part with the sections that usually make it up.

    `parts` are Part rows (or anything with `name`, `slug` and `typical_sections`). With `listed`,
    the page lists the parts in words right after the figure, and its description says so
    instead of repeating them.
    """
    parts = list(parts)
    entries = [(part, [(name, 0) for name in part.typical_sections]) for part in parts]
    if listed:
        desc = (
            f"A page divided into the {len(parts)} parts of the layout, top to bottom, each as tall as the "
            "sections it usually holds; the list that follows names them."
        )
    else:
        desc = f"A page divided into {len(parts)} parts, top to bottom: " + "; ".join(
            f"{part.name} ({', '.join(part.typical_sections)})" for part in parts
        )
        desc += "."
    return _place("The layout of a research paper", desc, entries)


def paper_layout_drawing(groups, paper):
    """One paper's layout: its own sections placed in the parts they belong to.

    `groups` are the paper page's `{"part": Part, "sections": [Section]}` in order, already read;
    the page lists the same sections in words after the figure, so the description counts them.
    """
    entries = [(group["part"], [(str(section), section.depth) for section in group["sections"]]) for group in groups]
    counts = ", ".join(f"{part.name} {len(sections)}" for part, sections in entries)
    desc = (
        f"A page divided into the parts of the layout, top to bottom, with the paper's sections written in "
        f"the part they belong to. Sections per part: {counts}. The list that follows names each section."
    )
    return _place(f"The layout of {paper.short_name}", desc, entries)


def _place(title, desc, entries):
    regions = []
    y = 2 + _TOP
    width = _SHEET - 2 * _INSET
    for index, (part, sections) in enumerate(entries):
        region = Region(part.name, part.slug, index % TONES + 1, y, 0, y + _NAME)
        baseline = region.name_y
        for text, depth in sections:
            x = 2 + _INSET + _TEXT_X + _INDENT * depth
            room = width - _TEXT_X - _INDENT * depth - 6
            for number, piece in enumerate(_wrap(text, room, room - _CONTINUED)):
                baseline += _LINE
                region.lines.append(Line(x + (_CONTINUED if number else 0), baseline, piece))
        region.height = baseline - y + _BOTTOM
        regions.append(region)
        y += region.height + _GAP
    drawing = LayoutDrawing(title, desc, regions)
    drawing.sheet_height = y - _GAP + _INSET - 2
    drawing.bottom = 2 + drawing.sheet_height
    drawing.height = drawing.sheet_height + 16
    return drawing


def _text_width(text):
    """An upper estimate of how wide `text` is in 15-unit type."""
    ems = sum(
        0.3 if c in _NARROW else 0.42 if c in _HALF else 0.98 if c in _WIDE else 0.74 if c.isupper() else 0.62
        for c in text
    )
    return ems * _TEXT_SIZE


def _wrap(text, room, room_after):
    """`text` in lines, broken between words: the first `room` wide, the others `room_after`."""
    lines = []
    for word in text.split():
        wider = f"{lines[-1]} {word}" if lines else word
        if lines and _text_width(wider) <= (room if len(lines) == 1 else room_after):
            lines[-1] = wider
        else:
            lines.append(word)
    return lines or [text]
