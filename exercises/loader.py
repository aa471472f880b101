"""Load exercises from `fixtures/exercises/`, and the whole guide in one transaction.

`load_guide` is what `manage.py load_guide` runs: lessons-side content first (layout, moves,
papers, lessons), then exercises, all checked before anything is written, all written in one
transaction. Sentences are updated in place by position, so attempts keep pointing at them.
Labels accepted for everyone that the files now say are retired in the same transaction
(`exercises.overrides`).
"""

import hashlib
import json
import re
import secrets

from django.db import transaction
from django.db.models import ProtectedError

from exercises.models import Exercise, Sentence
from exercises.overrides import overrides_before_load, retire_overrides
from lessons.content_files import ContentError, ContentErrors, FileReader, require, require_slug, require_url
from lessons.loader import read_guide, write_guide
from lessons.markdown import render_inline, render_markdown
from lessons.models import Excerpt, Lesson, Move, MoveSet, Part


def load_guide(root):
    """Check every content file below `root`, then store all of it, or nothing.

    Returns the lessons-side content, the exercises read, and what the load did to the labels
    accepted for everyone (`exercises.overrides.OverridesAfterLoad`)."""
    reader = FileReader(root)
    # Exercises are checked even when the lessons side has problems: the author sees them all.
    content = read_guide(root, reader)
    exercises = read_exercises(root, reader, content)
    if reader.errors:
        raise ContentErrors(reader.errors)
    try:
        with transaction.atomic():
            # Every content cache is keyed on the guide's version, new on every load (lessons writes
            # it on lessons and papers, this on exercises), so a reload shows at once everywhere.
            before = overrides_before_load()
            guide_version = write_guide(content)
            write_exercises(exercises, guide_version)
            overrides = retire_overrides(before)
    except ProtectedError as error:
        raise ContentErrors([ContentError("fixtures", "reload", _protected_message(error))]) from None
    return content, exercises, overrides


def _protected_message(error):
    kinds = sorted({type(obj).__name__ for obj in error.protected_objects})
    message = (
        f"the files drop something learners' attempts still point at ({', '.join(kinds)}); "
        "keep that move, sentence or exercise in the files, or delete those attempts first"
    )
    if "AcceptedLabel" in kinds:
        message += (
            " (an AcceptedLabel is a label accepted for everyone: keep its move in the files, "
            "or delete that override first)"
        )
    return message


def read_exercises(root, reader, content):
    exercises = []
    for path in reader.files("exercises", ".toml"):
        data = reader.toml(path)
        if data is None:
            continue
        exercise = read_exercise(reader, path, data, content, exercises)
        if exercise:
            exercises.append({**exercise, "path": path})
    if not exercises:
        reader.error(root / "exercises", "folder", "holds no exercise")
    _refuse_seen_passages(reader, content, exercises)
    # The practice path of each part: the exemplars first, then the bank from easy to hard.
    path_order = sorted(exercises, key=lambda e: (not e["exemplar"], e["difficulty"], e["path"].name))
    for order, exercise in enumerate(path_order, start=1):
        exercise["order"] = order
    return exercises


def _normalised(text):
    """Letters and digits only, case-folded: how a sentence is compared with other content."""
    return re.sub(r"[\W_]+", "", text.casefold())


# Shorter sentences ("Results.") may repeat by chance; they prove nothing either way.
_SHORTEST_COMPARED = 24


def _refuse_seen_passages(reader, content, exercises):
    """A bank exercise tests recognition: none of its sentences may appear in an excerpt, a lesson
    or another exercise (compared in the files, without case, punctuation or spacing)."""
    shown = [(f"excerpt {e['slug']}", _normalised(e["text"])) for p in content.papers for e in p["excerpts"]]
    shown += [(f"lesson {lesson['slug']}", _normalised(lesson["body"])) for lesson in content.lessons]
    sentences = [(e["slug"], _normalised(s["text"])) for e in exercises for s in e["sentences"]]
    for exercise in exercises:
        if exercise["exemplar"]:
            continue
        others = [(f"exercise {slug}", text) for slug, text in sentences if slug != exercise["slug"]]
        for sentence in exercise["sentences"]:
            text = _normalised(sentence["text"])
            if len(text) < _SHORTEST_COMPARED:
                continue
            where = next((name for name, body in [*shown, *others] if text in body or body == text), None)
            if where:
                reader.error(
                    exercise["path"],
                    f"exercise {exercise['slug']}, sentence {sentence['position']}",
                    f"appears in {where} too: a bank passage must be one the app shows nowhere else "
                    "(or mark an exercise on the guide's own passage `exemplar = true`)",
                )


def read_exercise(reader, path, data, content, earlier=(), authored=False):
    """Check one exercise's data (a file's, or an editor's in the same shape) and return it parsed and
    rendered, or None with every problem in `reader.errors`, each naming its field.

    The guide's files need a bank passage's paper in full; an `authored` exercise (an instructor's, for
    a course) needs the citation, and its paper's licence and address (see `_read_authored`)."""
    # Every part is checked even when another has problems: the editor shows them all at once.
    errors_before = len(reader.errors)
    item = f"exercise {data.get('slug', path.stem)}"
    slug = require_slug(reader, path, item, data)
    title, part, label_set, instructions = (
        require(reader, path, item, data, key) for key in ("title", "part", "label_set", "instructions")
    )
    source = require(reader, path, item, data, "source")
    if source is None:
        reader.error(path, item, "every exercise needs its `source`: the citation of its passage", "source")
    if slug is not None and any(exercise["slug"] == slug for exercise in earlier):
        reader.error(path, item, f"the slug {slug!r} is used by another exercise", "slug")
    if part is not None and part not in content.part_slugs:
        reader.error(path, item, f"unknown part {part!r}; use one of {sorted(content.part_slugs)}", "part")
    labels = content.move_slugs(label_set) if label_set is not None else None
    if label_set is not None and labels is None:
        reader.error(path, item, f"unknown label set {label_set!r}; define it in moves.toml", "label_set")
    excerpt = data.get("excerpt")
    if excerpt and excerpt not in content.excerpt_slugs:
        reader.error(path, item, f"unknown excerpt {excerpt!r}", "excerpt")
    sentences = []
    given = data.get("sentences", [])
    if not isinstance(given, list):
        reader.error(path, item, "`sentences` must be a list of tables", "sentences")
    elif labels is not None:
        for position, sentence in enumerate(given, start=1):
            where = f"sentences.{position}"
            parsed = _read_sentence(reader, path, sentence_item(item, position), sentence, labels, where)
            if parsed:
                sentences.append({**parsed, "position": position})
        if len(given) < 2:
            reader.error(path, item, "an exercise needs at least two sentences", "sentences")
    instructions_html = (
        reader.render(path, item, render_markdown, instructions, field="instructions") if instructions else None
    )
    kind = _read_authored(reader, path, item, data) if authored else _read_kind(reader, path, item, data)
    if len(reader.errors) > errors_before:
        return None
    return {
        "slug": slug,
        "title": title,
        "part": part,
        "label_set": label_set,
        "excerpt": data.get("excerpt") or None,
        "source": source,
        "instructions_html": instructions_html,
        "sentences": sentences,
        **kind,
        "version": _version(
            [slug, title, part, label_set, data.get("excerpt"), source, instructions, kind], labels, sentences
        ),
    }


def sentence_item(item, position):
    """How an error names a sentence: "exercise lee-2016-abstract, sentence 3"."""
    return f"{item}, sentence {position}"


PAPER_KEYS = ("title", "venue", "licence")
# What an instructor's exercise must say of its passage's source before it is published.
AUTHORED_PAPER_KEYS = ("licence",)


def _read_authored(reader, path, item, data):
    """An instructor's exercise (`authored`): a difficulty, optionally a field, and its paper's licence
    and address (`paper.licence`, `paper.url`); the rest of a paper (authors, year, DOI, where it was
    read) is what the bank asks more, when the exercise is proposed to it."""
    difficulty = data.get("difficulty", 2)
    if difficulty not in (1, 2, 3) or isinstance(difficulty, bool):
        reader.error(path, item, f"`difficulty` must be 1, 2 or 3, not {difficulty!r}", "difficulty")
        return None
    field = data.get("field", "")
    paper = data.get("paper", {})
    if not isinstance(field, str) or not isinstance(paper, dict):
        reader.error(path, item, "`field` must be text and `paper` a table", "paper")
        return None
    paper_item = f"{item}, paper"
    values = [require(reader, path, paper_item, paper, key, field=f"paper.{key}") for key in AUTHORED_PAPER_KEYS]
    values.append(require_url(reader, path, paper_item, paper, "url", field="paper.url"))
    if None in values:
        return None
    return {"exemplar": False, "difficulty": difficulty, "field": field.strip(), "paper": paper}


def _read_kind(reader, path, item, data):
    """Whether the exercise is an exemplar or a bank exercise, and what a bank exercise must say of
    its passage: difficulty, field, and its paper in full, with where the text was read."""
    exemplar = data.get("exemplar", False)
    if not isinstance(exemplar, bool):
        reader.error(path, item, "`exemplar` must be true or false")
        return None
    difficulty = data.get("difficulty", 1) if exemplar else require(reader, path, item, data, "difficulty", int)
    if difficulty is not None and difficulty not in (1, 2, 3):
        reader.error(path, item, f"`difficulty` must be 1, 2 or 3, not {difficulty!r}")
        difficulty = None
    if exemplar:
        return (
            {"exemplar": True, "difficulty": difficulty, "field": data.get("field", ""), "paper": {}}
            if difficulty
            else None
        )
    field = require(reader, path, item, data, "field")
    paper = require(reader, path, item, data, "paper", dict)
    if paper is None:
        return None
    paper_item = f"{item}, paper"
    values = [require(reader, path, paper_item, paper, key) for key in PAPER_KEYS]
    values += [
        require(reader, path, paper_item, paper, "authors", list),
        require(reader, path, paper_item, paper, "year", int),
        require_url(reader, path, paper_item, paper, "url"),
        require_url(reader, path, paper_item, paper, "read_from"),
    ]
    if not (paper.get("doi") or paper.get("arxiv_id")):
        reader.error(path, paper_item, "give the paper's `doi` or its `arxiv_id` (with its version)")
        values.append(None)
    if None in [*values, difficulty, field]:
        return None
    return {"exemplar": False, "difficulty": difficulty, "field": field, "paper": paper}


def _read_sentence(reader, path, item, sentence, labels, where):
    """One sentence; each error names its field as `where` ("sentences.3") and the key."""
    if not isinstance(sentence, dict):
        reader.error(path, item, "a sentence must be a table with `text`, `label` and `explanation`", where)
        return None
    values = [
        require(reader, path, item, sentence, key, field=f"{where}.{key}") for key in ("text", "label", "explanation")
    ]
    if None in values:
        return None
    text, label, explanation = values
    also_accepted = sentence.get("also_accepted", [])
    signals = sentence.get("signals", [])
    feedback = sentence.get("feedback", {})
    if not (isinstance(also_accepted, list) and isinstance(signals, list) and isinstance(feedback, dict)):
        reader.error(path, item, "`also_accepted` and `signals` must be lists, `feedback` a table", where)
        return None
    ok = True
    for key, names in (("label", [label]), ("also_accepted", also_accepted), ("feedback", list(feedback))):
        for name in names:
            if name not in labels:
                message = f"unknown label {name!r}; the label set has {sorted(labels)}"
                reader.error(path, item, message, f"{where}.{key}")
                ok = False
    for name in feedback:
        if name == label or name in also_accepted:
            message = f"feedback is given for {name!r}, which is a right answer here"
            reader.error(path, item, message, f"{where}.feedback.{name}")
            ok = False
    for signal in signals:
        if not isinstance(signal, str) or not signal or signal not in text:
            reader.error(path, item, f"the signal {signal!r} is not in the sentence's text", f"{where}.signals")
            ok = False
    if not ok:
        return None
    rendered = reader.render(path, item, _render_sentence, text, signals, explanation, feedback, field=where)
    if rendered is None:
        return None
    return {"text": text, "label": label, "also_accepted": also_accepted, "signals": signals, **rendered}


def _render_sentence(text, signals, explanation, feedback):
    return {
        "text_html": render_inline(text),
        "highlighted_html": render_inline(text, signals),
        "explanation_html": render_markdown(explanation),
        "feedback_html": {name: render_inline(note) for name, note in feedback.items()},
    }


def _version(header, labels, sentences):
    """A digest of everything an exercise shows and grades by: a form opened before it changed is
    refused as stale. An unchanged reload keeps it, so open forms stay valid. No cache is keyed on it:
    it returns to an old value when the files do, though the rows (a sentence's id) may have changed.
    """
    label_data = sorted((name, move["name"], move["description"], move["order"]) for name, move in labels.items())
    key = [header, label_data, sentences]
    return hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:16]


def write_exercises(exercises, guide_version):
    parts = {part.slug: part for part in Part.objects.all()}
    label_sets = {move_set.slug: move_set for move_set in MoveSet.objects.all()}
    moves = {(move.move_set.slug, move.slug): move for move in Move.objects.select_related("move_set")}
    excerpts = {excerpt.slug: excerpt for excerpt in Excerpt.objects.all()}
    lessons = {}
    for lesson in Lesson.objects.exclude(part=None).order_by("-order"):
        lessons[lesson.part_id] = lesson  # the first lesson on each part wins
    for data in exercises:
        exercise, _ = Exercise.objects.update_or_create(
            slug=data["slug"],
            defaults={
                "title": data["title"],
                "part": parts[data["part"]],
                "label_set": label_sets[data["label_set"]],
                "excerpt": excerpts.get(data["excerpt"]),
                "source": data["source"],
                "instructions_html": data["instructions_html"],
                "lesson": lessons.get(parts[data["part"]].pk),
                "exemplar": data["exemplar"],
                "difficulty": data["difficulty"],
                "field": data["field"],
                "paper": data["paper"],
                "order": data["order"],
                "version": data["version"],
                "guide_version": guide_version,
            },
        )
        for sentence in data["sentences"]:
            Sentence.objects.update_or_create(
                exercise=exercise, position=sentence["position"], defaults=_sentence_row(data, sentence, moves)
            )
        exercise.sentences.filter(position__gt=len(data["sentences"])).delete()
    # Only the bank is the files': an exercise written for an audience (not listed) is its app's.
    Exercise.objects.exclude(slug__in=[data["slug"] for data in exercises]).delete()


def _sentence_row(data, sentence, moves):
    return {
        "text": sentence["text"],
        "text_html": sentence["text_html"],
        "highlighted_html": sentence["highlighted_html"],
        "label": moves[data["label_set"], sentence["label"]],
        "also_accepted": sentence["also_accepted"],
        "explanation_html": sentence["explanation_html"],
        "signals": sentence["signals"],
        "feedback_html": sentence["feedback_html"],
    }


def create_unlisted_exercise(data, home):
    """Write `data` (as `read_exercise` returns it) as a new exercise outside the bank, reached at `home`:
    an immutable row that attempts can keep pointing at (an app makes a new one for each revision)."""
    part = Part.objects.get(slug=data["part"])
    label_set = MoveSet.objects.get(slug=data["label_set"])
    moves = {(label_set.slug, move.slug): move for move in Move.objects.filter(move_set=label_set)}
    exercise = Exercise.everywhere.create(
        slug=data["slug"],
        title=data["title"],
        part=part,
        label_set=label_set,
        excerpt=None,
        source=data["source"],
        instructions_html=data["instructions_html"],
        lesson=Lesson.objects.filter(part=part).order_by("order").first(),
        exemplar=False,
        difficulty=data["difficulty"],
        field=data["field"],
        paper=data["paper"],
        order=0,
        version=data["version"],
        guide_version=f"{data['version']}-{secrets.token_hex(8)}",
        listed=False,
        home=home,
    )
    Sentence.objects.bulk_create(
        Sentence(exercise=exercise, position=sentence["position"], **_sentence_row(data, sentence, moves))
        for sentence in data["sentences"]
    )
    return exercise


class DatabaseContent:
    """What checking an exercise needs of the guide (parts, label sets, excerpts), read from the
    database instead of the files: for an exercise written in the browser, checked by `read_exercise`."""

    def __init__(self):
        self.part_slugs = set(Part.objects.values_list("slug", flat=True))
        self.excerpt_slugs = set(Excerpt.objects.values_list("slug", flat=True))
        self._moves = {}
        for move in Move.objects.select_related("move_set"):
            self._moves.setdefault(move.move_set.slug, {})[move.slug] = {
                "slug": move.slug, "name": move.name, "description": move.description_html, "order": move.order,
            }  # fmt: skip

    def move_slugs(self, set_slug):
        return self._moves.get(set_slug)
