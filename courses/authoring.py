"""Instructors write exercises for their own course: a passage split into sentences, the tagger's
suggested moves, the instructor's labels and feedback, checked as the guide's files are, published
as immutable revisions.

The draft is kept in the shape of a `fixtures/exercises/*.toml` file (plus, per sentence, the
tagger's `suggestion` and whether the instructor `confirmed` it), so one function checks both: the
loader's `read_exercise`. Export writes that shape as TOML; import reads it back.
"""

import json
import re
import tomllib
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils.text import slugify

from courses.models import Assignment, Course, CourseAcceptedLabel, CourseExercise, ExerciseRevision
from drafts.moves import tagger
from drafts.tagger import split_sentences
from exercises.loader import DatabaseContent, create_unlisted_exercise, read_exercise, sentence_item
from exercises.models import Answer, Exercise
from lessons.content_files import ContentError, ContentErrors, FileReader, require_slug
from lessons.models import MoveSet

# The label set whose moves the tagger knows (`drafts.tagger.MOVES`): only its passages get suggestions.
TAGGED_LABEL_SET = "abstract"
# Keys of a draft's sentence that are the editor's, not the file's.
EDITOR_KEYS = ("suggestion", "confirmed")
SLUG_LENGTH = 50


class AuthoringRefused(Exception):
    """What an instructor asked cannot be done; the message says why, in words for them."""


@cache
def starting_points():
    """{label set slug: {"part", "instructions"}} from `fixtures/authoring.toml`, in the file's order."""
    with open(Path(settings.FIXTURES_DIR) / "authoring.toml", "rb") as file:
        return tomllib.load(file)["label_sets"]


def label_set_choices():
    """(slug, name) of each label set an exercise can use, in the order of `fixtures/authoring.toml`."""
    names = dict(MoveSet.objects.filter(slug__in=starting_points()).values_list("slug", "name"))
    return [(slug, names[slug]) for slug in starting_points() if slug in names]


def new_sentence(text, suggestion=None):
    sentence = {"text": text, "label": "", "also_accepted": [], "explanation": "", "signals": [], "feedback": {}}
    sentence["confirmed"] = False
    if suggestion is not None:
        sentence["label"] = suggestion.move
        sentence["suggestion"] = {
            "label": suggestion.move,
            "confidence": suggestion.confidence,
            "reason": suggestion.reason,
        }
    return sentence


def split(passage, label_set):
    """The passage's sentences, each with the tagger's suggestion when the label set is the abstract's."""
    texts = split_sentences(passage)
    if label_set != TAGGED_LABEL_SET:
        return [new_sentence(text) for text in texts]
    return [new_sentence(tagged.text, tagged) for tagged in tagger().tag(texts)]


def start(course, user, passage, label_set):
    """A new draft of `course` from a pasted passage (the form checked its length and label set)."""
    starting = starting_points()[label_set]
    draft = {
        "slug": "",
        "title": "",
        "part": starting["part"],
        "label_set": label_set,
        "instructions": starting["instructions"],
        "source": "",
        "difficulty": 2,
        "field": "",
        "paper": {"title": "", "licence": "", "url": ""},
        "sentences": split(passage, label_set),
    }
    with transaction.atomic():
        _lock_course_for_a_new_exercise(course)
        draft["slug"] = _free_slug(course, draft["sentences"][0]["text"])
        return CourseExercise.objects.create(course=course, slug=draft["slug"], title="", draft=draft, created_by=user)


def _lock_course_for_a_new_exercise(course):
    """Lock the course row (two tabs cannot both write the 50th), then refuse past the limit."""
    Course.objects.select_for_update().filter(pk=course.pk).first()
    if CourseExercise.objects.filter(course=course).count() >= settings.COURSE_EXERCISES_MAX:
        raise AuthoringRefused(
            f"This course has {settings.COURSE_EXERCISES_MAX} exercises of its own, the most it can have. "
            "Delete a draft you no longer need first."
        )


def _free_slug(course, text):
    base = slugify(" ".join(text.split()[:6]))[:SLUG_LENGTH].strip("-") or "exercise"
    taken = set(CourseExercise.objects.filter(course=course, slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def as_file_data(draft):
    """The draft as a `fixtures/exercises` file holds it: without the editor's own keys, without
    empty optional values."""
    data = {key: value for key, value in draft.items() if key != "sentences"}
    data["paper"] = {key: value for key, value in draft.get("paper", {}).items() if value}
    if not data.get("field"):
        data.pop("field", None)
    data["sentences"] = []
    for sentence in draft.get("sentences", []):
        kept = {key: value for key, value in sentence.items() if key not in EDITOR_KEYS and value not in ([], {}, "")}
        data["sentences"].append(kept)
    return data


class EditorReader(FileReader):
    """The loader's reader for one exercise written in the browser: errors name no file."""

    def __init__(self):
        super().__init__(".")

    def name(self, path):
        return ""


def check(course_exercise):
    """(errors, data): every problem that stops publishing, each naming its field, and the exercise as
    the loader reads it (None while there are errors). The loader's own checks, from its own code,
    and one of the editor's: a label the tagger suggested is published only once confirmed."""
    reader = EditorReader()
    draft = course_exercise.draft
    data = read_exercise(
        reader, Path(draft.get("slug", "exercise")), as_file_data(draft), DatabaseContent(), authored=True
    )
    item = f"exercise {draft.get('slug', '')}"
    for position, sentence in enumerate(draft.get("sentences", []), start=1):
        if sentence.get("suggestion") and not sentence.get("confirmed") and sentence.get("label"):
            reader.error(
                "",
                sentence_item(item, position),
                "the label is the tagger's suggestion: check it, then tick “confirmed”",
                f"sentences.{position}.label",
            )
    errors = reader.errors
    return errors, (data if not errors else None)


class NotPublishable(Exception):
    def __init__(self, errors):
        self.errors = errors
        super().__init__(f"{len(errors)} problem(s) to fix before publishing")


def publish(course_exercise, user, regrade=False):
    """Publish the draft as the next revision, which the course's students then do; or return the
    current revision when nothing changed. `regrade`: also regrade the answers to earlier revisions
    against this one's right labels (the instructor asked), in the same transaction.

    Raises `NotPublishable` with the errors when the draft does not pass `check`."""
    with transaction.atomic():
        course_exercise = (
            CourseExercise.objects.select_for_update(of=("self",))
            .select_related("course", "current")
            .get(pk=course_exercise.pk)
        )
        errors, data = check(course_exercise)
        if errors:
            raise NotPublishable(errors)
        previous = course_exercise.current
        if previous is not None and previous.version == data["version"]:
            return previous.revision
        home = reverse("course_own_exercise", args=[course_exercise.course.slug, course_exercise.slug])
        exercise = create_unlisted_exercise({**data, "slug": course_exercise.slug}, home)
        number = (course_exercise.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
        revision = ExerciseRevision.objects.create(
            course_exercise=course_exercise, number=number, exercise=exercise, published_by=user
        )
        course_exercise.current = exercise
        course_exercise.title = data["title"]
        course_exercise.save(update_fields=["current", "title", "updated"])
        if previous is not None:
            Course.objects.filter(pk=course_exercise.course_id, has_revisions=False).update(has_revisions=True)
            # The course's assignment of the exercise moves to the new revision, with its due time.
            Assignment.objects.filter(course=course_exercise.course, exercise=previous).update(exercise=exercise)
            if regrade:
                revision.regraded_answers = _regrade_earlier(course_exercise, exercise, number, user)
                revision.save(update_fields=["regraded_answers"])
        return revision


def _regrade_earlier(course_exercise, exercise, number, user):
    """Regrade the answers to earlier revisions whose sentence is the same (same place, same text) in
    `exercise`, against its right and accepted labels (and the course's accepted labels of the old
    sentence). Answers to a sentence that changed or went are left as they were: they answered
    something else. Returns how many verdicts changed."""
    new = {sentence.position: sentence for sentence in exercise.sentences.all()}
    earlier = Exercise.everywhere.filter(revision__course_exercise=course_exercise).exclude(pk=exercise.pk)
    if earlier.exclude(label_set_id=exercise.label_set_id).exists():
        raise AuthoringRefused(
            "An earlier revision used another label set: its answers cannot be regraded against this one."
        )
    accepted = {}
    for sentence_id, slug in CourseAcceptedLabel.objects.filter(
        course=course_exercise.course, sentence__exercise__in=earlier
    ).values_list("sentence_id", "label__slug"):
        accepted.setdefault(sentence_id, set()).add(slug)
    answers = Answer.objects.filter(attempt__exercise__in=earlier).select_related("sentence")

    def verdict_of(answer):
        old = answer.sentence
        now = new.get(old.position)
        if now is None or now.text != old.text:
            return answer.verdict
        return now.verdict_for(answer.chosen, frozenset(accepted.get(old.pk, ())))

    reason = f"Regraded against revision {number}, as its author asked when publishing it."
    return answers.regrade(verdict_of, by=user, reason=reason[:300])


def errors_by_field(errors):
    """{field: [messages]} for the editor; errors about the whole exercise under ""."""
    fields = {}
    for error in errors:
        fields.setdefault(error.field, []).append(error.message)
    return fields


def join(draft, position):
    """Join sentence `position` (1-based) with the next: one sentence, to be labelled again."""
    sentences = draft["sentences"]
    if not 1 <= position < len(sentences):
        raise AuthoringRefused(f"There is no sentence after sentence {position} to join it with.")
    first, second = sentences[position - 1], sentences[position]
    joined = new_sentence(f"{first['text']} {second['text']}")
    joined["label"] = first["label"]
    joined["signals"] = first["signals"] + [s for s in second["signals"] if s not in first["signals"]]
    sentences[position - 1 : position + 1] = [joined]


def split_sentence(draft, position, at):
    """Split sentence `position` where the words `at` begin (typed by the instructor)."""
    sentences = draft["sentences"]
    if not 1 <= position <= len(sentences):
        raise AuthoringRefused(f"There is no sentence {position}.")
    text = sentences[position - 1]["text"]
    at = " ".join(at.split())
    # Where a word begins: "the" must not split "other" in two.
    found = re.compile(r"(?<!\w)" + re.escape(at)).search(text, 1) if at else None
    index = found.start() if found else -1
    if index <= 0:
        raise AuthoringRefused(
            f"Sentence {position} has no “{at}” after its first word: type the words the second sentence begins with."
        )
    parts = [text[:index].strip(), text[index:].strip()]
    old = sentences[position - 1]
    halves = [new_sentence(part) for part in parts]
    for half in halves:
        half["signals"] = [signal for signal in old["signals"] if signal in half["text"]]
    halves[0]["label"] = old["label"]
    sentences[position - 1 : position] = halves


# Export: the draft written as a `fixtures/exercises/*.toml` file, in the files' order of keys.
HEADER_KEYS = ("slug", "title", "part", "label_set", "difficulty", "field", "source", "instructions")
PAPER_ORDER = ("authors", "title", "venue", "year", "doi", "arxiv_id", "licence", "url", "read_from")
SENTENCE_KEYS = ("text", "label", "also_accepted", "explanation", "signals")


def _toml_value(value):
    # A TOML basic string is a JSON string (JSON's escapes are TOML's); lists and integers alike.
    return json.dumps(value, ensure_ascii=False)


def export_toml(course_exercise):
    """The exercise as a file for `fixtures/exercises/`: the same keys, checked by the same loader.
    (To join the guide's bank, its `[paper]` needs what the bank asks more: authors, venue, year,
    DOI or arXiv id, and where the text was read; `load_guide` names what is missing.)"""
    data = as_file_data(course_exercise.draft)
    data["slug"] = course_exercise.slug
    lines = [f"{key} = {_toml_value(data[key])}" for key in HEADER_KEYS if key in data]
    paper = data.get("paper", {})
    if paper:
        lines += ["", "  [paper]"]
        lines += [f"  {key} = {_toml_value(paper[key])}" for key in sorted(paper, key=_paper_order)]
    for sentence in data["sentences"]:
        lines += ["", "[[sentences]]"]
        lines += [
            f"{key} = {_toml_value(sentence.get(key, []))}"
            for key in SENTENCE_KEYS
            if key in sentence or key in ("also_accepted", "signals")
        ]
        if sentence.get("feedback"):
            lines.append("  [sentences.feedback]")
            lines += [f"  {label} = {_toml_value(note)}" for label, note in sentence["feedback"].items()]
    return "\n".join(lines) + "\n"


def _paper_order(key):
    return PAPER_ORDER.index(key) if key in PAPER_ORDER else len(PAPER_ORDER)


def import_toml(course, user, text):
    """A draft of `course` from an exported file, checked by the same loader as publishing: raises
    `ContentErrors` with every problem, else returns the new `CourseExercise` (labels confirmed:
    the file's author chose them)."""
    reader = EditorReader()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ContentErrors([_error(f"the file is not valid TOML: {error}")]) from None
    slug = require_slug(reader, Path("file"), "exercise", data)
    parsed = read_exercise(reader, Path(slug or "exercise"), data, DatabaseContent(), authored=True)
    if parsed is None or reader.errors:
        raise ContentErrors(reader.errors)
    draft = {key: data[key] for key in HEADER_KEYS if key in data}
    draft.setdefault("field", "")
    draft["paper"] = {"title": "", "licence": "", "url": "", **data.get("paper", {})}
    draft["sentences"] = [
        {
            **new_sentence(sentence["text"]),
            **{k: v for k, v in sentence.items() if k not in EDITOR_KEYS},
            "confirmed": True,
        }
        for sentence in data["sentences"]
    ]
    with transaction.atomic():
        _lock_course_for_a_new_exercise(course)
        taken = CourseExercise.objects.filter(course=course, slug=slug).exists()
        draft["slug"] = _free_slug(course, slug) if taken else slug
        return CourseExercise.objects.create(
            course=course, slug=draft["slug"], title=draft["title"], draft=draft, created_by=user
        )


def _error(message, field=""):
    return ContentError("", "file", message, field)
