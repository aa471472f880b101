"""Labels accepted for everyone (`AcceptedLabel`) and the exercise files: content stays data.

An editor's "accept for everyone" is kept in the database only until the exercise's file says the
same. `pending_edits` finds the edits to make in `fixtures/exercises/*.toml` (what
`manage.py export_overrides` prints); `retire_overrides`, run by `load_guide` in its transaction,
deletes the overrides the loaded files now say and reports them.
"""

import json
import re
import tomllib
from dataclasses import dataclass, field

from exercises.models import AcceptedLabel
from lessons.content_files import FileReader

# How many words of a sentence are shown so that an editor finds it in its file.
OPENING_WORDS = 8


@dataclass(frozen=True, order=True)
class Override:
    """One label accepted for everyone, named as the files name it."""

    exercise: str
    position: int
    label: str

    def __str__(self):
        return f"{self.exercise} sentence {self.position} ({self.label})"

    @classmethod
    def of(cls, accepted_label):
        sentence = accepted_label.sentence
        return cls(sentence.exercise.slug, sentence.position, accepted_label.label.slug)


def stored_overrides():
    """Every `AcceptedLabel`, with its sentence and label, in the files' order."""
    return AcceptedLabel.objects.select_related("sentence__exercise", "label").order_by(
        "sentence__exercise__slug", "sentence__position", "label__order", "label__slug"
    )


@dataclass(frozen=True)
class OverridesAfterLoad:
    """What a load did to the overrides (`retire_overrides`)."""

    retired: list  # Overrides the loaded files now say: deleted
    remaining: int  # overrides the files do not say yet
    dropped: list = field(default_factory=list)  # Overrides deleted with their sentence (gone from the files)
    moved: list = field(default_factory=list)  # Overrides kept on a sentence whose text the files changed


def overrides_before_load():
    """{id: (Override, sentence text)} of every override: what `retire_overrides` compares with."""
    return {row.pk: (Override.of(row), row.sentence.text) for row in stored_overrides()}


def retire_overrides(before):
    """Delete every override that the sentence's (just written) row now says: its right label, or
    one its file lists in `also_accepted`. Call it in the load's transaction, after the exercises
    are written; `before` is `overrides_before_load()` from before the writes. Returns an
    `OverridesAfterLoad`."""
    rows = list(AcceptedLabel.objects.select_related("sentence__exercise", "label").order_by("pk"))
    said = [row for row in rows if _said_by_files(row)]
    AcceptedLabel.objects.filter(pk__in=[row.pk for row in said]).delete()
    said_ids = {row.pk for row in said}
    kept = [row for row in rows if row.pk not in said_ids]
    existing = {row.pk for row in rows}
    return OverridesAfterLoad(
        retired=sorted(Override.of(row) for row in said),
        remaining=len(kept),
        # A sentence beyond the files' new length is deleted, and its overrides with it (unless an
        # answer protects the sentence, and then the load is refused instead).
        dropped=sorted(override for pk, (override, _) in before.items() if pk not in existing),
        moved=sorted(Override.of(row) for row in kept if row.pk in before and before[row.pk][1] != row.sentence.text),
    )


def _said_by_files(accepted_label):
    sentence = accepted_label.sentence
    return accepted_label.label_id == sentence.label_id or accepted_label.label.slug in sentence.also_accepted


@dataclass(frozen=True)
class SentenceEdit:
    """The edit of one sentence's `also_accepted` in its file, shown as a small diff."""

    position: int
    opening: str  # the first words of the sentence in the file
    accepted: tuple  # label slugs accepted for everyone that the file does not list yet
    line: int | None  # the number of the first line shown (None: the line could not be found)
    before: tuple = ()  # the file's `also_accepted` line(s), exactly as they are
    after: tuple = ()  # the line to write instead
    context: str = ""  # the line to add `after` below when the sentence has no `also_accepted`
    note: str = ""  # what the editor should check first


@dataclass(frozen=True)
class FileEdits:
    """The edits to make in one exercise's file; `path` is None when no file has the exercise's slug."""

    exercise: str
    path: str | None
    sentences: tuple


@dataclass(frozen=True)
class PendingEdits:
    files: list  # FileEdits, by path (exercises without a file last)
    settled: list  # Overrides the files say already: the next load retires them
    unreadable: list  # the files that could not be read, with why (an exercise's file may be among them)

    @property
    def empty(self):
        return not (self.files or self.settled)


def pending_edits(root):
    """The edits that would make the exercise files below `root` say every label accepted for everyone.

    Files are found by their `slug` key and sentences by their position; the `also_accepted` line is
    taken from the file as written, and the new one keeps its slugs in order and appends the new ones.
    """
    by_sentence = {}
    for row in stored_overrides():
        sentence = row.sentence
        key = (sentence.exercise.slug, sentence.position)
        by_sentence.setdefault(key, (sentence.text, []))[1].append(row.label.slug)
    reader = FileReader(root)
    files = {}
    for path in reader.files("exercises", ".toml"):
        data = reader.toml(path)
        if data is not None and isinstance(data.get("slug"), str):
            files.setdefault(data["slug"], (path, data))
    edits, settled = {}, []
    for (slug, position), (loaded_text, labels) in by_sentence.items():
        if slug not in files:
            edit = SentenceEdit(position, _opening(loaded_text), tuple(labels), None, note=_NO_FILE)
            edits.setdefault(slug, (None, []))[1].append(edit)
            continue
        path, data = files[slug]
        edit = _sentence_edit(path, data, position, loaded_text, labels)
        settled += [Override(slug, position, label) for label in labels if label not in edit.accepted]
        if edit.accepted:
            edits.setdefault(slug, (reader.name(path), []))[1].append(edit)
    ordered = sorted(edits.items(), key=lambda item: (item[1][0] is None, item[1][0] or item[0]))
    return PendingEdits(
        files=[FileEdits(slug, path, tuple(sentences)) for slug, (path, sentences) in ordered],
        settled=settled,
        unreadable=[str(error) for error in reader.errors],
    )


_NO_FILE = "no file in exercises/ has this slug: find the exercise's file and add the labels by hand"

SENTENCE_TABLE = re.compile(r"^\s*\[\[\s*sentences\s*\]\]\s*(#.*)?$")
ANY_TABLE = re.compile(r"^\s*\[")
ALSO_ACCEPTED_LINE = re.compile(r"^(\s*)also_accepted\s*=")
LABEL_LINE = re.compile(r"^\s*label\s*=")


def _sentence_edit(path, data, position, loaded_text, labels):
    sentences = data.get("sentences", [])
    if not isinstance(sentences, list) or position > len(sentences) or not isinstance(sentences[position - 1], dict):
        return SentenceEdit(position, _opening(loaded_text), tuple(labels), None, note="the file has no such sentence")
    sentence = sentences[position - 1]
    said = {sentence.get("label"), *sentence.get("also_accepted", [])}
    new = tuple(label for label in labels if label not in said)
    text = str(sentence.get("text", ""))
    notes = []
    if text != loaded_text:
        notes.append(f'the loaded sentence {position} read "{_opening(loaded_text)}": check this is the one meant')
    feedback = sentence.get("feedback", {})
    noted = [label for label in new if isinstance(feedback, dict) and label in feedback]
    if noted:
        # The loader refuses a wrong-label note for a label that counts as right.
        names = ", ".join(f"`{label} = ...`" for label in noted)
        notes.append(f"also delete its note {names} under [sentences.feedback]: the label counts as right now")
    note = "; ".join(notes)
    also = [*sentence.get("also_accepted", []), *new]
    found = _also_accepted_lines(path, position, len(sentences), sentence.get("also_accepted"))
    if found is None:
        note = note or "the sentence's table could not be found line by line: edit `also_accepted` by hand"
        return SentenceEdit(position, _opening(text), new, None, after=(_also_line("", also),), note=note)
    line, before, context = found
    indent = ALSO_ACCEPTED_LINE.match(before[0]).group(1) if before else ""
    return SentenceEdit(position, _opening(text), new, line, before, (_also_line(indent, also),), context, note)


def _also_accepted_lines(path, position, count, value):
    """(number of the first line shown, the `also_accepted` lines, the line to add below if it has none)
    for the sentence at `position` of the file, or None if the file's lines do not show it plainly."""
    lines = path.read_text(encoding="utf-8").splitlines()
    starts = [number for number, line in enumerate(lines) if SENTENCE_TABLE.match(line)]
    if len(starts) != count:  # a `[[sentences]]` inside a multi-line string, say
        return None
    number = starts[position - 1] + 1
    label_line = None
    while number < len(lines) and not ANY_TABLE.match(lines[number]):
        if ALSO_ACCEPTED_LINE.match(lines[number]):
            # The value may span lines: take lines until they parse, and only if they say the file's value.
            for end in range(number + 1, len(lines) + 1):
                try:
                    parsed = tomllib.loads("\n".join(lines[number:end]).strip())
                except tomllib.TOMLDecodeError:
                    continue
                return (number + 1, tuple(lines[number:end]), "") if parsed.get("also_accepted") == value else None
            return None
        if label_line is None and LABEL_LINE.match(lines[number]):
            label_line = number
        number += 1
    if value is not None or label_line is None:
        return None
    return label_line + 1, (), lines[label_line]


def _also_line(indent, labels):
    return f"{indent}also_accepted = [{', '.join(json.dumps(label) for label in labels)}]"


def _opening(text):
    words = text.split()
    return " ".join(words[:OPENING_WORDS]) + (" ..." if len(words) > OPENING_WORDS else "")
