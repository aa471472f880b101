"""A page of a review queue: open objections, oldest first, each with what a reviewer reads before
deciding. A fixed number of queries at any size: the page, its passages, and one grouped count of
how many others chose each contested label."""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count

from exercises.models import Sentence

OBJECTIONS_PER_PAGE = 20


@dataclass
class QueueItem:
    objection: object  # an Objection, read with `for_queue()`
    passage: list  # the exercise's sentences in order, each with `contested` set
    others: int  # how many other learners in the queue's scope chose the same label for the sentence
    form: object = None  # the decision form that failed on this item, to show its errors
    skip_to: str = ""  # the anchor "leave open" leads to: the next item, or the end of the page


def queue_page(queue, page_number=1):
    """Page `page_number` of the open objections of `queue` (a `Course`, or `SelfStudy`), as `QueueItem`s."""
    page = Paginator(queue.objections().open().for_queue(), OBJECTIONS_PER_PAGE).get_page(page_number)
    items = page.object_list = queue_items(queue, list(page.object_list))
    for index, item in enumerate(items):
        item.skip_to = f"objection-{items[index + 1].objection.pk}" if index + 1 < len(items) else "queue-end"
    return page


def queue_items(queue, objections):
    """`objections` (of `queue`, read with `for_queue()`) as `QueueItem`s, in two queries whatever their number."""
    if not objections:
        return []
    passages = _passages({objection.sentence.exercise_id for objection in objections})
    chose = _learners_choosing(queue, objections)
    items = []
    for objection in objections:
        passage = [
            _Shown(sentence, contested=sentence.pk == objection.sentence_id)
            for sentence in passages.get(objection.sentence.exercise_id, [])
        ]
        # The objector's own answer is one of those counted.
        others = max(chose.get((objection.sentence_id, objection.chosen_id), 0) - 1, 0)
        items.append(QueueItem(objection, passage, others))
    return items


@dataclass(frozen=True)
class _Shown:
    sentence: Sentence
    contested: bool


def _passages(exercise_ids):
    """{exercise id: its sentences in order}, with only what a passage shows."""
    passages = {}
    sentences = Sentence.objects.filter(exercise_id__in=exercise_ids).only("exercise_id", "position", "text_html")
    for sentence in sentences.order_by("exercise_id", "position"):
        passages.setdefault(sentence.exercise_id, []).append(sentence)
    return passages


def _learners_choosing(queue, objections):
    """{(sentence id, label id): how many learners chose that label for that sentence} in `queue`'s
    scope, for the sentences and labels of `objections`, from one grouped query."""
    rows = (
        queue.scope_answers()
        .filter(
            sentence_id__in={objection.sentence_id for objection in objections},
            chosen_id__in={objection.chosen_id for objection in objections},
        )
        .values("sentence_id", "chosen_id")
        .annotate(learners=Count("attempt__learner_id", distinct=True))
        .order_by()
    )
    return {(row["sentence_id"], row["chosen_id"]): row["learners"] for row in rows}
