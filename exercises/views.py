from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from exercises.forms import AnswerForm
from exercises.learners import current_learner, learner_for_writing
from exercises.models import Answer, Attempt, Exercise
from exercises.progress import LearnerProgress
from lessons.models import Part


def _exercise(slug):
    return get_object_or_404(Exercise.objects.select_related("label_set", "part", "excerpt__paper"), slug=slug)


def _exercise_context(request, exercise, learner, **extra):
    sentences = list(exercise.sentences.select_related("label"))
    labels = list(exercise.label_set.moves.all())
    attempts = list(Attempt.objects.for_learner(learner).filter(exercise=exercise).order_by("-number"))
    for earlier in attempts:
        earlier.exercise = exercise  # their links need the slug; no query per attempt
    context = {
        "exercise": exercise,
        "sentences": sentences,
        "labels": labels,
        "attempts": attempts,
        "nav": "exercises",
    }
    context.update(extra)
    if "form" not in context:
        context["form"] = AnswerForm(exercise, sentences, labels)
    return context


@require_safe
def exercise_list(request):
    learner = current_learner(request)
    stats = Attempt.objects.for_learner(learner).stats_per_exercise()
    exercises = list(Exercise.objects.in_layout_order())
    for exercise in exercises:
        exercise.stats = stats.get(exercise.pk)
    parts = [(part, [e for e in exercises if e.part_id == part.pk]) for part in Part.objects.all()]
    return render(request, "exercises/exercise_list.html", {"parts": parts, "nav": "exercises"})


@require_safe
def exercise_detail(request, slug):
    exercise = _exercise(slug)
    return render(request, "exercises/exercise.html", _exercise_context(request, exercise, current_learner(request)))


@require_POST
@vary_on_headers("HX-Request")
def exercise_submit(request, slug):
    exercise = _exercise(slug)
    learner = current_learner(request)
    sentences = list(exercise.sentences.select_related("label"))
    labels = list(exercise.label_set.moves.all())
    form = AnswerForm(exercise, sentences, labels, request.POST)
    if not form.is_valid():
        context = _exercise_context(request, exercise, learner, form=form)
        template = "exercises/exercise.html#work" if request.htmx else "exercises/exercise.html"
        return render(request, template, context, status=400)
    grade = exercise.grade(form.choices_by_sentence())
    attempt = Attempt.objects.record(learner_for_writing(request), exercise, grade)
    if not request.htmx:
        return redirect(f"{attempt.get_absolute_url()}#feedback")
    context = _exercise_context(request, exercise, attempt.learner, attempt=attempt, results=grade.results)
    return render(request, "exercises/exercise.html#work", context)


@require_safe
def attempt_detail(request, slug, attempt_id):
    exercise = _exercise(slug)
    learner = current_learner(request)
    attempt = Attempt.objects.for_learner(learner).filter(exercise=exercise, pk=attempt_id).first()
    if attempt is None:
        raise Http404("No such attempt of yours.")
    answers = list(Answer.objects.filter(attempt=attempt).select_related("sentence__label", "chosen"))
    context = _exercise_context(request, exercise, learner, attempt=attempt, results=answers)
    return render(request, "exercises/exercise.html", context)


@require_safe
def progress(request):
    learner = current_learner(request)
    return render(request, "exercises/progress.html", {"progress": LearnerProgress(learner), "nav": "progress"})
