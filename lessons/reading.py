"""Put annotated excerpts on a page: number their notes across the page and keep only the moves asked for.

An excerpt's stored HTML (`lessons.markdown.render_annotated`) numbers its notes from 1 with
placeholders and brackets each annotation's markup (the mark with its marker, and the note) as a
region. On a page several excerpts follow each other, so their notes are numbered on from the
excerpt before; a reader who asks for one move only, or for no highlights, gets the others' marks
as plain text and their notes left out.
"""

import re

from lessons.markdown import NUMBER, REGION_CLOSE, REGION_END, REGION_START

_NUMBER = re.compile(re.escape(NUMBER.format("")[0]) + r"(\d+)" + re.escape(NUMBER.format("")[-1]))
_REGION = re.compile(
    re.escape(REGION_START) + r"(\d+)" + re.escape(REGION_END) + "(.*?)" + re.escape(REGION_CLOSE), re.DOTALL
)
_MOVE = re.compile(r'data-move="([^"]*)"')
# Marked text holds no tags (the renderer refuses a mark that crosses formatting).
_MARK = re.compile(r"<mark [^>]*>([^<]*)</mark>")


def present(excerpts, only=None, highlights=True):
    """Set `page_html` on each excerpt, in page order; returns how many notes the page shows.

    only: a move's slug, to show that move's marks and notes only; highlights=False shows none.
    """
    shown = 0
    for excerpt in excerpts:
        excerpt.page_html, shown = _present(excerpt.html, shown, only, highlights)
    return shown


def _present(html, shown, only, highlights):
    """`html` with its kept notes numbered on from `shown`; returns it and the new count."""
    numbers = {}

    def region(match):
        index, body = match.group(1), match.group(2)
        move = _MOVE.search(body).group(1)
        if highlights and only in (None, move):
            numbers.setdefault(index, shown + len(numbers) + 1)
            return _NUMBER.sub(lambda number: str(numbers[number.group(1)]), body)
        mark = _MARK.search(body)
        return mark.group(1) if mark else ""

    html = _REGION.sub(region, html)
    return html, shown + len(numbers)
