import re

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from exercises import scopes
from exercises.class_answers import class_answers
from exercises.forms import AnswerForm, ObjectionForm
from exercises.learners import current_learner_id, is_signed_in, learner_id_for_writing
from exercises.models import Answer, Attempt, Exercise, Objection, ObjectionStatus, TooManyObjections, Verdict
from exercises.progress import LearnerProgress
from lessons.links import link
from lessons.models import Part
from writing_guide.throttle import too_many

# Every page here shows the learner's own attempts: never_cache marks them private, no-store, so no
# shared cache (a CDN, a school proxy) keeps one person's page for another.

SENTENCE_ID = re.compile(r"[0-9]{1,18}")

# The exercise page lists this many of the learner's latest attempts; /progress/ has the rest.
RECENT_ATTEMPTS = 10


def _exercise(slug):
    # No joins: the page's header, which shows the part and the excerpt, is a cached fragment,
    # and the sentences and labels come from `page_content()`; a join would be paid on every request.
    return get_object_or_404(Exercise, slug=slug)


def _exercise_context(request, exercise, learner_id, scope, **extra):
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
        "scope": scope,
        "scope_parameter": scopes.PARAMETER,
    }
    context.update(extra)
    if "results" in context:  # the feedback: how the others answered, and this attempt's objections
        attempt = context["attempt"]
        context["class_answers"] = (
            class_answers(scope, exercise, learner_id, attempt, context["results"]) if settings.CLASS_ANSWERS else None
        )
        if "objections" not in context:  # a new attempt has none
            context["objections"] = _objections_by_sentence(attempt)
        context["ObjectionStatus"] = ObjectionStatus
        context["reason_max_length"] = ObjectionForm.base_fields["reason"].max_length
        # Per sentence, what its feedback shows besides the result: the learner's objection, the class's answers.
        objections, others = context["objections"], context["class_answers"]
        context["feedback"] = [
            (
                result,
                objections.get(result.sentence.pk),
                others.for_sentence(result.sentence.pk) if others else [],
                others.fragment_key(result) if others else "",
            )
            for result in context["results"]
        ]
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
    scope = scopes.from_request(request, exercise, request.GET)
    context = _exercise_context(request, exercise, current_learner_id(request), scope)
    return render(request, "exercises/exercise.html", context)


@require_POST
@never_cache
def exercise_submit(request, slug):
    exercise = _exercise(slug)
    scope = scopes.from_request(request, exercise, request.POST)
    form = AnswerForm(exercise, request.POST)
    if not form.is_valid():
        context = _exercise_context(request, exercise, current_learner_id(request), scope, form=form)
        template = "exercises/exercise.html#work" if request.htmx else "exercises/exercise.html"
        return render(request, template, context, status=400)
    grade = exercise.grade(form.choices_by_sentence(), scope)
    learner_id = learner_id_for_writing(request)
    attempt = Attempt.objects.record(learner_id, exercise, grade, scope)
    if not request.htmx:
        return redirect(f"{attempt.get_absolute_url()}#feedback")
    context = _exercise_context(
        request, exercise, learner_id, scope, attempt=attempt, results=grade.results, objections={}
    )
    return render(request, "exercises/exercise.html#work", context)


@require_safe
@never_cache
def attempt_detail(request, slug, attempt_id):
    exercise = _exercise(slug)
    learner_id = current_learner_id(request)
    attempt = _own_attempt(exercise, learner_id, attempt_id)
    answers = list(Answer.objects.filter(attempt=attempt).select_related("sentence__label", "chosen"))
    context = _exercise_context(
        request, exercise, learner_id, scopes.of_attempt(attempt), attempt=attempt, results=answers
    )
    return render(request, "exercises/exercise.html", context)


def _own_attempt(exercise, learner_id, attempt_id):
    attempt = Attempt.objects.for_learner(learner_id).filter(exercise=exercise, pk=attempt_id).first()
    if attempt is None:
        raise Http404("No such attempt of yours.")
    attempt.exercise = exercise
    return attempt


def _objections_by_sentence(attempt):
    """{sentence id: the learner's latest objection about it} for the sentences of `attempt`'s answers."""
    objections = {}
    for objection in Objection.objects.filter(answer__attempt=attempt).select_related("decided_by").order_by("created"):
        objections[objection.sentence_id] = objection
    return objections


@require_POST
@never_cache
def contest(request, slug, attempt_id):
    """A signed-in learner says the label they chose for a sentence of their attempt fits too."""
    # Before anything is looked up: a visitor without an account is sent to log in whoever's attempt it is.
    if not request.user.is_authenticated:
        return redirect_to_login(link("attempt", slug, attempt_id))
    exercise = _exercise(slug)
    learner_id = current_learner_id(request)
    attempt = _own_attempt(exercise, learner_id, attempt_id)
    # ASCII digits only, and few enough for any database's integer: "²" is a digit to isdigit().
    sentence_id = request.POST.get("sentence", "")
    answer = (
        Answer.objects.filter(attempt=attempt, sentence_id=int(sentence_id)).select_related("sentence").first()
        if SENTENCE_ID.fullmatch(sentence_id)
        else None
    )
    if answer is None:
        raise Http404("No such sentence in this attempt.")
    answer.attempt = attempt  # raising the objection reads its learner: no query for it
    form = ObjectionForm(answer, request.POST)
    try:
        saved = form.is_valid() and form.save() is not None
    except TooManyObjections as throttled:
        return too_many(request, str(throttled), throttled.retry_after)
    if saved and not request.htmx:
        return redirect(f"{attempt.get_absolute_url()}#sentence-{answer.sentence.position}")
    answers = list(Answer.objects.filter(attempt=attempt).select_related("sentence__label", "chosen"))
    context = _exercise_context(
        request, exercise, learner_id, scopes.of_attempt(attempt), attempt=attempt, results=answers,
        objection_form=form, contested=answer.sentence_id,
    )  # fmt: skip
    template = "exercises/exercise.html#work" if request.htmx else "exercises/exercise.html"
    return render(request, template, context, status=200 if saved else 400)


@require_safe
@never_cache
def progress(request):
    progress = LearnerProgress(current_learner_id(request))
    context = {
        "progress": progress,
        "retention_days": settings.ANONYMOUS_RETENTION_DAYS,
        "nav": "progress",
        "ObjectionStatus": ObjectionStatus,
    }
    return render(request, "exercises/progress.html", context)
