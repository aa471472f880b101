from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from exercises.forms import AnswerForm
from exercises.learners import current_learner_id, is_signed_in, learner_id_for_writing
from exercises.models import Answer, Attempt, Exercise, Verdict
from exercises.progress import LearnerProgress
from lessons.models import Part

# Every page here shows the learner's own attempts: never_cache marks them private, no-store, so no
# shared cache (a CDN, a school proxy) keeps one person's page for another.

# The exercise page lists this many of the learner's latest attempts; /progress/ has the rest.
RECENT_ATTEMPTS = 10


def _exercise(slug):
    # No joins: the page's header, which shows the part and the excerpt, is a cached fragment,
    # and the sentences and labels come from `page_content()`; a join would be paid on every request.
    return get_object_or_404(Exercise, slug=slug)


def _exercise_context(request, exercise, learner_id, **extra):
    content = exercise.page_content()
    attempts = list(
        Attempt.objects.for_learner(learner_id).filter(exercise=exercise).order_by("-number")[:RECENT_ATTEMPTS]
    )
    for earlier in attempts:
        earlier.exercise = exercise  # their links need the slug; no query per attempt
    context = {
        "exercise": exercise,
        "labels": content.labels,
        "passage_html": content.passage_html,
        "lesson": content.lesson,
        "excerpt": content.excerpt,
        "next_exercise": content.next_exercise,
        "attempts": attempts,
        # Attempts are numbered 1, 2, ... without gaps, so the latest number is how many there are.
        "older_attempts": attempts[0].number - len(attempts) if attempts else 0,
        "signed_in": is_signed_in(request),
        "retention_days": settings.ANONYMOUS_RETENTION_DAYS,
        "nav": "exercises",
        "Verdict": Verdict,
    }
    context.update(extra)
    if "form" not in context and "results" not in context:  # feedback replaces the form
        context["form"] = AnswerForm(exercise)
    return context


@require_safe
@never_cache
def exercise_list(request):
    stats = Attempt.objects.for_learner(current_learner_id(request)).stats_per_exercise()
    exercises = list(Exercise.objects.for_listing())
    for exercise in exercises:
        exercise.stats = stats.get(exercise.pk)
    # The next step of the path: the first exercise not tried yet, in the layout's order.
    next_exercise = next((exercise for exercise in exercises if exercise.stats is None), None)
    parts = [(part, [e for e in exercises if e.part_id == part.pk]) for part in Part.objects.all()]
    context = {"parts": parts, "next_exercise": next_exercise, "nav": "exercises"}
    return render(request, "exercises/exercise_list.html", context)


@require_safe
@never_cache
def exercise_detail(request, slug):
    exercise = _exercise(slug)
    context = _exercise_context(request, exercise, current_learner_id(request))
    return render(request, "exercises/exercise.html", context)


@require_POST
@never_cache
def exercise_submit(request, slug):
    exercise = _exercise(slug)
    form = AnswerForm(exercise, request.POST)
    if not form.is_valid():
        context = _exercise_context(request, exercise, current_learner_id(request), form=form)
        template = "exercises/exercise.html#work" if request.htmx else "exercises/exercise.html"
        return render(request, template, context, status=400)
    grade = exercise.grade(form.choices_by_sentence())
    learner_id = learner_id_for_writing(request)
    attempt = Attempt.objects.record(learner_id, exercise, grade)
    if not request.htmx:
        return redirect(f"{attempt.get_absolute_url()}#feedback")
    context = _exercise_context(request, exercise, learner_id, attempt=attempt, results=grade.results)
    return render(request, "exercises/exercise.html#work", context)


@require_safe
@never_cache
def attempt_detail(request, slug, attempt_id):
    exercise = _exercise(slug)
    learner_id = current_learner_id(request)
    attempt = Attempt.objects.for_learner(learner_id).filter(exercise=exercise, pk=attempt_id).first()
    if attempt is None:
        raise Http404("No such attempt of yours.")
    answers = list(Answer.objects.filter(attempt=attempt).select_related("sentence__label", "chosen"))
    context = _exercise_context(request, exercise, learner_id, attempt=attempt, results=answers)
    return render(request, "exercises/exercise.html", context)


@require_safe
@never_cache
def progress(request):
    progress = LearnerProgress(current_learner_id(request))
    context = {"progress": progress, "retention_days": settings.ANONYMOUS_RETENTION_DAYS, "nav": "progress"}
    return render(request, "exercises/progress.html", context)
