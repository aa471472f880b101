"""The exercise list's cards: each shows an exercise and where the reader stands on it (not tried,
next, or done with a best over some attempts), kept under both (`exercises.fragments`)."""

from exercises.fragments import joined, render_each


def cards(listing, stats, next_exercise, guide_version):
    """[(part, its cards' HTML), ...] for `listing` (`Exercise.objects.listing`), with the reader's `stats`
    ({exercise id: ExerciseStats}) and the next exercise of their path."""
    shown = []
    for _, exercises in listing:
        for exercise in exercises:
            card = {"exercise": exercise, "stats": stats.get(exercise.pk), "is_next": exercise == next_exercise}
            shown.append((_key(guide_version, **card), card))
    html = iter(render_each("exercises/exercise_list.html#card", shown))
    return [(part, joined(next(html) for _ in exercises)) for part, exercises in listing]


def _key(guide_version, exercise, stats, is_next):
    standing = f"{stats.attempts}:{stats.best!r}" if stats else "next" if is_next else "new"
    return f"exercise-card:{guide_version}:{exercise.pk}:{standing}"
