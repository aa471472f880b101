"""The exercise list's cards, each rendered once per guide version and per standing on it.

A card shows an exercise (content: it changes only on a load, which renews the guide's version) and
where the reader stands on it: not tried, next, or done with a best score over some attempts. Readers
with the same standing on an exercise see the same card, so each card is rendered once per process and
kept in the fragments cache under both; a list is the kept cards read in one call, the missing ones
rendered (a submit changes one card of a reader's list). Rendering the 53 cards through the template
engine took 2.3 ms of the list's 7.5 (bench/README.md).
"""

from django.core.cache import caches
from django.template.loader import get_template
from django.utils.safestring import mark_safe

SECONDS = 86400


def cards(listing, stats, next_exercise, guide_version):
    """[(part, its cards' HTML), ...] for `listing` (`Exercise.objects.listing`), with the reader's `stats`
    ({exercise id: ExerciseStats}) and the next exercise of their path."""
    shown = [
        (exercise, stats.get(exercise.pk), exercise == next_exercise)
        for _, exercises in listing
        for exercise in exercises
    ]
    keys = [_key(guide_version, *card) for card in shown]
    html = caches["fragments"].get_many(keys)
    missing = {}
    for key, (exercise, its_stats, is_next) in zip(keys, shown, strict=True):
        if key not in html:
            context = {"exercise": exercise, "stats": its_stats, "is_next": is_next}
            html[key] = missing[key] = get_template("exercises/exercise_list.html#card").render(context)
    if missing:
        caches["fragments"].set_many(missing, SECONDS)
    by_exercise = {exercise.pk: html[key] for key, (exercise, _, _) in zip(keys, shown, strict=True)}
    # Each card was rendered by the template engine, which escaped what it put in.
    return [(part, mark_safe("".join(by_exercise[e.pk] for e in exercises))) for part, exercises in listing]  # noqa: S308


def _key(guide_version, exercise, stats, is_next):
    standing = f"{stats.attempts}:{stats.best!r}" if stats else "next" if is_next else "new"
    return f"exercise-card:{guide_version}:{exercise.pk}:{standing}"
