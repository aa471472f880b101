"""Exercises written for a course, made through the service the editor uses (`courses.authoring`): for
the tests of every page that shows them."""

from courses.authoring import publish, start

ABSTRACT = (
    "Deep networks now recognise images as well as people do. "
    "However, they need far more energy than the brain. "
    "We propose a spiking network that learns with local rules. "
    "It matches the accuracy of earlier models with a tenth of the energy."
)
TITLE = "Label the moves of an abstract on spiking networks"


def written_draft(course, instructor, passage=ABSTRACT, title=TITLE, labels=None):
    """A draft of `course` that publishing accepts: the tagger's labels confirmed (or `labels`, one
    move slug per sentence), a citation, the paper's licence and address, an explanation each."""
    course_exercise = start(course, instructor, passage, "abstract")
    course_exercise.draft.update(
        title=title,
        source="Doe, J. (2024). Spiking networks that learn locally. Journal of Examples, 1, 1-10.",
        paper={"title": "Spiking networks that learn locally", "licence": "CC BY 4.0", "url": "https://example.org/a"},
    )
    for position, sentence in enumerate(course_exercise.draft["sentences"]):
        if labels is not None:
            sentence["label"] = labels[position]
        sentence["confirmed"] = True
        sentence["explanation"] = f"Sentence {position + 1} does this job."
    course_exercise.save()
    return course_exercise


def published_exercise(course, instructor, **draft):
    """A `CourseExercise` of `course`, published once (revision 1); `draft` as `written_draft` takes it."""
    course_exercise = written_draft(course, instructor, **draft)
    publish(course_exercise, instructor)
    course_exercise.refresh_from_db()
    return course_exercise


def publish_revision(course_exercise, instructor, sentence=1, text=None, regrade=False):
    """Publish the next revision, with the text of sentence `sentence` (1-based) changed; returns the
    `ExerciseRevision`. The `CourseExercise` is read again: its `current` is the new revision."""
    course_exercise.refresh_from_db()
    changed = course_exercise.draft["sentences"][sentence - 1]
    changed["text"] = text or f"{changed['text'][:-1]}, as revised."
    course_exercise.save()
    revision = publish(course_exercise, instructor, regrade=regrade)
    course_exercise.refresh_from_db()
    return revision
