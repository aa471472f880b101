"""Move maps: the moves of an abstract as a strip, beside the strips of the four papers' abstracts.

The papers' strips come from the sentence labels of the four exemplar abstract exercises. They,
the abstract moves' names and the lessons' titles change only when the guide is loaded, so they
are read once per process and kept under the guide's version, which every load rewrites (as
`Exercise.page_content()` does): every page pays one small query to learn the version, and nothing
can go stale. With `settings.CONTENT_CACHES` off they are read on every page.
"""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from exercises.models import Exercise
from lessons.models import Lesson, Move

MOVE_SET = "abstract"


@dataclass(frozen=True)
class Strip:
    """One abstract's sequence of moves, captioned (the learner's, or a paper's)."""

    caption: str
    steps: tuple  # of Move, one per sentence
    words: int
    url: str = ""

    @property
    def sentences(self):
        return len(self.steps)

    @property
    def slugs(self):
        return [move.slug for move in self.steps]


@dataclass(frozen=True)
class AbstractGuide:
    """What the page needs from the guide: the abstract moves, the papers' strips, the lessons' titles."""

    key: str
    moves: tuple  # of Move, in the order an abstract usually runs
    papers: tuple  # of Strip
    lessons: dict  # slug: title

    def move(self, slug):
        """The Move of this slug; an unknown slug (a tagger newer than the guide) is shown by its slug."""
        for move in self.moves:
            if move.slug == slug:
                return move
        return Move(slug=slug, name=slug, order=len(self.moves) + 1)

    def strip(self, caption, slugs, words):
        return Strip(caption, tuple(self.move(slug) for slug in slugs), words)

    @property
    def most_sentences(self):
        return max((paper.sentences for paper in self.papers), default=0)

    @property
    def most_words(self):
        return max((paper.words for paper in self.papers), default=0)


# Per process: the AbstractGuide read under the latest guide version seen.
_CACHED = {}


def _exemplars():
    return Exercise.objects.filter(exemplar=True, label_set__slug=MOVE_SET)


def abstract_guide():
    """The abstract moves and the papers' strips, from the cache unless the guide was loaded since."""
    if not settings.CONTENT_CACHES:
        return _read("")
    key = _exemplars().order_by().values_list("guide_version", flat=True).first() or ""
    cached = _CACHED.get("guide")
    if cached is None or cached.key != key:
        cached = _read(key)
        _CACHED["guide"] = cached
    return cached


def _read(key):
    moves = tuple(Move.objects.filter(move_set__slug=MOVE_SET).order_by("order"))
    by_pk = {move.pk: move for move in moves}
    papers = []
    exemplars = _exemplars().select_related("excerpt__paper").prefetch_related("sentences")
    for exercise in exemplars:
        sentences = list(exercise.sentences.all())
        steps = tuple(by_pk[sentence.label_id] for sentence in sentences if sentence.label_id in by_pk)
        words = sum(len(sentence.text.split()) for sentence in sentences)
        excerpt = exercise.excerpt
        if excerpt is not None:
            caption = excerpt.paper.short_name
            url = f"{reverse('paper', args=[excerpt.paper.slug])}#excerpt-{excerpt.slug}"
        else:
            caption, url = exercise.title, exercise.get_absolute_url()
        papers.append(Strip(caption, steps, words, url))
    lessons = dict(Lesson.objects.values_list("slug", "title"))
    return AbstractGuide(key, moves, tuple(papers), lessons)
