"""An author's changes to a copy of the guide's files, for the tests that reload changed content: in this
process (exercises/tests/test_reloading.py) and in every gunicorn worker
(writing_guide/tests/test_reloading_in_every_worker.py).

The changes touch every page that shows content: the part of Lee et al.'s abstract is renamed, and
the exercise and its label set too; one of its sentences is edited (in the exercise and in the
paper's excerpt), its lesson gets a new sentence, the exercise's second sentence a note for a wrong
label, and its last sentence is dropped (so the sentence's id is gone, and loading the old files
again brings it back under a new id).
"""

import shutil
from pathlib import Path

from django.conf import settings

SLUG = "lee-2016-abstract"
LESSON_URL = "/lessons/meta-information/"
PAPER_URL = "/papers/lee-2016/"
EXERCISE_URL = f"/exercises/{SLUG}/"
SUBMIT_URL = f"/exercises/{SLUG}/submit/"

OLD_PART, NEW_PART = "Meta information", "Front matter"
OLD_WORDS, NEW_WORDS = "for improving the latency", "for reducing the latency"
NEW_LESSON_SENTENCE = "An author added this sentence to the lesson."
# The exercise's second sentence is the problem; this note is for labelling it "about".
WRONG_LABEL = "about"
NEW_FEEDBACK = "An author added this note after the first load."
SENTENCES_BEFORE, SENTENCES_AFTER = 6, 5
OLD_TITLE, NEW_TITLE = "Label the moves of Lee et al.'s abstract", "Label each move of Lee et al.'s abstract"
OLD_LABEL_SET, NEW_LABEL_SET = "Abstract moves", "Moves of an abstract"


def copy_of_the_guide(folder):
    root = Path(folder) / "fixtures"
    shutil.copytree(settings.FIXTURES_DIR, root)
    return root


def changed_guide(folder):
    """A copy of the guide's files in `folder`, with every change above; returns its root."""
    root = copy_of_the_guide(folder)
    _edit(root / "layout.toml", f'name = "{OLD_PART}"', f'name = "{NEW_PART}"')
    _edit(root / "papers/lee-2016.toml", OLD_WORDS, NEW_WORDS, count=2)  # the excerpt and its annotation
    exercise = root / f"exercises/{SLUG}.toml"
    _edit(exercise, OLD_WORDS, NEW_WORDS)
    _edit(exercise, f'title = "{OLD_TITLE}"', f'title = "{NEW_TITLE}"')
    _edit(root / "moves.toml", f'name = "{OLD_LABEL_SET}"', f'name = "{NEW_LABEL_SET}"')
    second_note = '  lead-in = "You chose *lead-in*'  # the one note of the second sentence
    _edit(exercise, second_note, f'  {WRONG_LABEL} = "{NEW_FEEDBACK}"\n{second_note}')
    head, _, _last_sentence = exercise.read_text().rpartition("\n[[sentences]]\n")
    exercise.write_text(head + "\n")
    lesson = root / "lessons/03-meta-information.md"
    lesson.write_text(lesson.read_text() + f"\n{NEW_LESSON_SENTENCE}\n")
    return root


def _edit(path, old, new, count=1):
    text = path.read_text()
    assert text.count(old) == count, f"{old!r} is not {count} time(s) in {path.name}"
    path.write_text(text.replace(old, new))
