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
        exercise = _read_exercise(reader, path, data, content, exercises)
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


def _read_exercise(reader, path, data, content, earlier):
    item = f"exercise {data.get('slug', path.stem)}"
    values = [require_slug(reader, path, item, data)]
    values += [require(reader, path, item, data, key) for key in ("title", "part", "label_set", "instructions")]
    source = require(reader, path, item, data, "source")
    if source is None:
        reader.error(path, item, "every exercise needs its `source`: the citation of its passage")
    if None in values or source is None:
        return None
    slug, title, part, label_set, instructions = values
    if any(exercise["slug"] == slug for exercise in earlier):
        reader.error(path, item, f"the slug {slug!r} is used by another exercise")
        return None
    if part not in content.part_slugs:
        reader.error(path, item, f"unknown part {part!r}; use one of {sorted(content.part_slugs)}")
        return None
    labels = content.move_slugs(label_set)
    if labels is None:
        reader.error(path, item, f"unknown label set {label_set!r}; define it in moves.toml")
        return None
    excerpt = data.get("excerpt")
    if excerpt and excerpt not in content.excerpt_slugs:
        reader.error(path, item, f"unknown excerpt {excerpt!r}")
        return None
    sentences = []
    for position, sentence in enumerate(data.get("sentences", []), start=1):
        parsed = _read_sentence(reader, path, f"{item}, sentence {position}", sentence, labels)
        if parsed:
            sentences.append({**parsed, "position": position})
    if len(sentences) != len(data.get("sentences", [])):
        return None
    if len(sentences) < 2:
        reader.error(path, item, "an exercise needs at least two sentences")
        return None
    instructions_html = reader.render(path, item, render_markdown, instructions)
    if instructions_html is None:
        return None
    kind = _read_kind(reader, path, item, data)
    if kind is None:
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


PAPER_KEYS = ("title", "venue", "licence")


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


def _read_sentence(reader, path, item, sentence, labels):
    values = [require(reader, path, item, sentence, key) for key in ("text", "label", "explanation")]
    if None in values:
        return None
    text, label, explanation = values
    also_accepted = sentence.get("also_accepted", [])
    signals = sentence.get("signals", [])
    feedback = sentence.get("feedback", {})
    ok = True
    for name in [label, *also_accepted, *feedback]:
        if name not in labels:
            reader.error(path, item, f"unknown label {name!r}; the label set has {sorted(labels)}")
            ok = False
    for name in feedback:
        if name == label or name in also_accepted:
            reader.error(path, item, f"feedback is given for {name!r}, which is a right answer here")
            ok = False
    for signal in signals:
        if signal not in text:
            reader.error(path, item, f"the signal {signal!r} is not in the sentence's text")
            ok = False
    if not ok:
        return None
    rendered = reader.render(path, item, _render_sentence, text, signals, explanation, feedback)
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
                exercise=exercise,
                position=sentence["position"],
                defaults={
                    "text": sentence["text"],
                    "text_html": sentence["text_html"],
                    "highlighted_html": sentence["highlighted_html"],
                    "label": moves[data["label_set"], sentence["label"]],
                    "also_accepted": sentence["also_accepted"],
                    "explanation_html": sentence["explanation_html"],
                    "signals": sentence["signals"],
                    "feedback_html": sentence["feedback_html"],
                },
            )
        exercise.sentences.filter(position__gt=len(data["sentences"])).delete()
    Exercise.objects.exclude(slug__in=[data["slug"] for data in exercises]).delete()
