"""Advice on a learner's abstract: which kinds apply to a move map, in words from `fixtures/tagger/advice.toml`.

When each kind applies is decided here; what it says, and which lesson it links to, is content
(read once per process and checked like every content file: each problem names the file, the
kind and the fix).
"""

import string
from dataclasses import dataclass
from functools import cache

from django.conf import settings

from lessons.content_files import ContentErrors, FileReader, require, require_slug

# In the order the page shows them: the missing core moves first, length last.
KINDS = ("missing-problem", "missing-about", "no-result", "problem-after-contribution", "missing-lead-in", "too-long")
# The placeholders each kind's text may use.
PLACEHOLDERS = {"too-long": {"sentences", "words", "most_sentences", "most_words"}}


@dataclass(frozen=True)
class Advice:
    """One piece of advice: its kind, what the learner reads, and the slug of the lesson that teaches it."""

    kind: str
    text: str
    lesson: str


@dataclass(frozen=True)
class AdviceTexts:
    texts: dict  # kind: text
    lessons: dict  # kind: lesson slug
    too_long_factor: float

    def advise(self, moves, words, most_sentences, most_words):
        """The advice for an abstract whose sentences have `moves` (slugs, in order) and `words` words."""
        kinds = []
        if "problem" not in moves:
            kinds.append("missing-problem")
        if "about" not in moves:
            kinds.append("missing-about")
        if "importance" not in moves:
            kinds.append("no-result")
        if "problem" in moves and "about" in moves and moves.index("problem") > moves.index("about"):
            kinds.append("problem-after-contribution")
        if moves and "lead-in" not in moves:
            kinds.append("missing-lead-in")
        factor = self.too_long_factor
        if most_sentences and (len(moves) > factor * most_sentences or words > factor * most_words):
            kinds.append("too-long")
        counts = {"sentences": len(moves), "words": words, "most_sentences": most_sentences, "most_words": most_words}
        return [Advice(kind, self.texts[kind].format(**counts), self.lessons[kind]) for kind in kinds]


def read_advice(folder):
    """The advice texts of `folder`/advice.toml; raises `ContentErrors` naming every problem."""
    reader = FileReader(folder)
    path = reader.root / "advice.toml"
    data = reader.toml(path)
    texts, lessons, factor = {}, {}, 1.5
    if data is not None:
        for kind in data:
            if kind not in KINDS:
                reader.error(path, f"[{kind}]", f"is not a kind of advice; the kinds are {', '.join(KINDS)}")
        for kind in KINDS:
            item = f"[{kind}]"
            if kind not in data:
                reader.error(path, item, "is missing: every kind of advice needs a `text` and a `lesson`")
                continue
            text = require(reader, path, item, data[kind], "text")
            lesson = require_slug(reader, path, item, data[kind], "lesson")
            if text is not None:
                used = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
                unknown = used - PLACEHOLDERS.get(kind, set())
                if unknown:
                    allowed = ", ".join(sorted(PLACEHOLDERS.get(kind, ()))) or "none"
                    reader.error(path, item, f"`text` uses {sorted(unknown)}; the placeholders allowed here: {allowed}")
                texts[kind] = text
            lessons[kind] = lesson
        value = data.get("too-long", {}).get("factor", factor) if isinstance(data.get("too-long"), dict) else factor
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 1:
            reader.error(
                path, "[too-long]", "`factor` must be a number, 1 or more (how many times the longest paper's)"
            )
        else:
            factor = value
    if reader.errors:
        raise ContentErrors(reader.errors)
    return AdviceTexts(texts, lessons, float(factor))


@cache
def advice_texts():
    """The advice of the guide's fixtures (read once per process)."""
    return read_advice(settings.FIXTURES_DIR / "tagger")
