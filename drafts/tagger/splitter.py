"""Cut a text into sentences, surviving what abstracts hold.

A full stop, question or exclamation mark ends a sentence when it is followed (after any closing
quotes or brackets) by white space and something that can start a sentence, and when it is not
inside brackets, maths (`$...$`) or an address. It does not end one after an abbreviation
("e.g.", "et al.", "Fig.", "vs.", "U.S."), an initial ("J. Smith") or a list number ("1."). A blank
line always ends a sentence.
"""

import re

# Lower-case, without their final full stop.
ABBREVIATIONS = frozenset(
    """
    e.g i.e et al etc fig figs eq eqs vs cf approx ca no nos vol vols pp p dr prof mr mrs ms st jr sr
    resp incl sec secs ref refs ch chap viz n.b u.s u.k e.u u.n ph.d m.sc b.sc min max avg std dept
    univ inc ltd co corp jan feb mar apr jun jul aug sep sept oct nov dec est mt
    """.split()
)

# Maths, web addresses (without a final full stop or bracket) and email addresses.
_PROTECTED = re.compile(r"\$[^$\n]+\$|(?:https?://|www\.)\S*[^\s.,;:!?)\]]|\b\w+(?:\.\w+)*@\w+(?:\.\w+)+")
_OPENERS, _CLOSERS = "([{", ")]}"
_CLOSING_QUOTES = "\"'”’»"
_STARTERS = re.compile(r"[A-Z0-9\"'“‘«(\[$]|[^\x00-\x7f]")


def split_sentences(text):
    """The sentences of `text`, in order, stripped; no empty ones."""
    sentences = []
    for paragraph in re.split(r"\n\s*\n", text):
        sentences += _split_paragraph(" ".join(paragraph.split()))
    return [sentence for sentence in sentences if sentence]


def _split_paragraph(text):
    protected = [(m.start(), m.end()) for m in _PROTECTED.finditer(text)]
    sentences, start, depth, index = [], 0, 0, 0
    while index < len(text):
        inside = next((end for begin, end in protected if begin <= index < end), None)
        if inside is not None:
            index = inside
            continue
        char = text[index]
        if char in _OPENERS:
            depth += 1
        elif char in _CLOSERS:
            depth = max(depth - 1, 0)
            # A whole sentence in brackets: "(See the appendix.) Next ..."
            if (
                depth == 0
                and index > 0
                and text[index - 1] in ".?!"
                and _ends_sentence(text, start, index - 1, index + 1)
            ):
                sentences.append(text[start : index + 1].strip())
                start = index = index + 1
                continue
        elif char in ".?!" and depth == 0:
            end = index + 1
            while end < len(text) and text[end] in ".?!" + _CLOSING_QUOTES + _CLOSERS:
                end += 1
            if _ends_sentence(text, start, index, end):
                sentences.append(text[start:end].strip())
                start = end
                index = end
                continue
        index += 1
    sentences.append(text[start:].strip())
    return sentences


def _ends_sentence(text, start, stop, end):
    """Whether the mark at `stop` (its run ending at `end`) closes the sentence begun at `start`."""
    if end >= len(text) or not text[end].isspace():
        return False
    following = text[end:].lstrip()
    if not following or not _STARTERS.match(following):
        return False
    if text[stop] != ".":
        return True
    word = re.search(r"(\S+)$", text[start:stop])
    word = word.group(1).lstrip("([{\"'“‘") if word else ""
    if word.lower() in ABBREVIATIONS or re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", word):
        return False  # "e.g.", "et al.", "U.S."
    if re.fullmatch(r"[A-Z]", word):
        return False  # an initial: "J. Smith"
    if re.fullmatch(r"\d{1,2}", word) and not text[start:stop].strip(" ").removesuffix(word).strip():
        return False  # a list number at the start: "1. First ..."
    return True
