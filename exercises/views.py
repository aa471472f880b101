import re

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from exercises import scopes
from exercises.cards import cards
from exercises.class_answers import class_answers
from exercises.feedback import feedback_items
from exercises.forms import AnswerForm, FreshAnswerForm, ObjectionForm
from exercises.fragments import joined, render_each
from exercises.learners import current_learner_id, is_signed_in, learner_id_for_writing
from exercises.models import (
    Answer,
    Attempt,
    Exercise,
    Objection,
    ObjectionStatus,
    TooManyObjections,
    Verdict,
    latest_attempts,
    own_attempt,
    stats_of_learner,
)
from exercises.progress import LearnerProgress
from exercises.scores import percent
from lessons.links import link
from lessons.pages import guide_version, kept_for_readers
from writing_guide.throttle import too_many

# Every page here shows the learner's own attempts: never_cache marks them private, no-store, so no
# shared cache (a CDN, a school proxy) keeps one person's page for another.

SENTENCE_ID = re.compile(r"[0-9]{1,18}")

# The exercise page lists this many of the learner's latest attempts; /progress/ has the rest.
RECENT_ATTEMPTS = 10


def _exercise(slug):
    # No joins: the page's header, which shows the part and the excerpt, is a cached fragment,
    # and the sentences and labels come from `page_content()`; a join would be paid on every request.
    exercise = Exercise.objects.by_slug(slug)
    if exercise is None:
        raise Http404("No such exercise.")
    return exercise


def _exercise_context(request, exercise, learner_id, scope, **extra):
    content = exercise.page_content()
    attempts = latest_attempts(learner_id, exercise, RECENT_ATTEMPTS)
    context = {
        "exercise": exercise,
        "labels": content.labels,
        "passage_html": content.passage_html,
        "lesson": content.lesson,
        "excerpt": content.excerpt,
        "next_exercise": content.next_exercise,
        "attempts": attempts,
        "attempt_rows": _attempt_rows(exercise, attempts),
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
        context["class_answers"] = class_answers(scope, exercise, learner_id) if settings.CLASS_ANSWERS else None
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
                others.shares(result) if others else [],
                others.fragment_key(result) if others else "",
            )
            for result in context["results"]
        ]
        context["feedback_items"] = feedback_items(request, context)
    if "form" not in context and "results" not in context:  # feedback replaces the form
        context["form"] = FreshAnswerForm(exercise)
    return context


def _attempt_rows(exercise, attempts):
    """The list of the learner's latest attempts (`ListedAttempt`s), as HTML, each item kept under all it
    shows (its link is under the exercise's page); an `Attempt` is built only for an item to render."""
    zone = timezone.get_current_timezone_name()
    page = exercise.get_absolute_url()
    rows = [
        (
            f"attempt:{page}:{a.pk}:{a.number}:{a.correct}:{a.total}:{a.created}:{zone}",
            lambda a=a: {"earlier": a.attempt()},
        )
        for a in attempts
    ]
    return joined(render_each("exercises/exercise.html#attempt", rows))


@kept_for_readers
@require_safe
@never_cache
def exercise_list(request):
    stats = stats_of_learner(current_learner_id(request))
    listing = Exercise.objects.listing(guide_version(request))
    # The next step of the path: the first exercise not tried yet, in the layout's order.
    next_exercise = next((e for _, exercises in listing for e in exercises if e.pk not in stats), None)
    parts = cards(listing, stats, next_exercise, guide_version(request))
    context = {"parts": parts, "next_exercise": next_exercise, "nav": "exercises"}
    return render(request, "exercises/exercise_list.html", context)


@kept_for_readers
@require_safe
@never_cache
def exercise_detail(request, slug):
    exercise = _exercise(slug)
    return show(request, exercise, scopes.from_request(request, exercise, request.GET))


@require_POST
@never_cache
def exercise_submit(request, slug):
    exercise = _exercise(slug)
    return submit(request, exercise, scopes.from_request(request, exercise, request.POST))


@require_safe
@never_cache
def attempt_detail(request, slug, attempt_id):
    return show_attempt(request, _exercise(slug), attempt_id)


@require_POST
@never_cache
def contest(request, slug, attempt_id):
    """A signed-in learner says the label they chose for a sentence of their attempt fits too."""
    # Before anything is looked up: a visitor without an account is sent to log in whoever's attempt it is.
    if not request.user.is_authenticated:
        return redirect_to_login(link("attempt", slug, attempt_id))
    return contest_on(request, _exercise(slug), attempt_id)


# The pages of one exercise, for whichever app found it and checked the reader may see it: the views
# above for the guide's bank; an app with exercises of its own (a course's) calls these from its views.


def show(request, exercise, scope):
    context = _exercise_context(request, exercise, current_learner_id(request), scope)
    return render(request, "exercises/exercise.html", context)


def submit(request, exercise, scope):
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


def preview(request, exercise, action_url, back_url=""):
    """`exercise` as its learners will see it, for its author: GET shows the page, POST (to
    `action_url`) grades the labels chosen and shows the feedback. Nothing is recorded: no attempt,
    no learner (the session is left alone), no class answers, no objections. The caller makes the
    exercise for this request alone and rolls it back afterwards, so nothing of it is cached either.
    `back_url`: where the banner leads back to (the editor)."""
    content = exercise.page_content()
    context = {
        "exercise": exercise,
        "labels": content.labels,
        "passage_html": content.passage_html,
        "lesson": content.lesson,
        "excerpt": None,
        "next_exercise": None,
        "attempts": [],
        "Verdict": Verdict,
        "scope": None,
        "preview": True,
        "action_url": action_url,
        "back_url": back_url,
        # The page's sentence ids, in order: the rows of the next request are new ones (see below).
        "preview_sentences": ",".join(str(sentence.pk) for sentence in content.sentences),
        "nav": "courses",
    }
    status = 200
    if request.method == "POST":
        form = AnswerForm(exercise, _renamed_for_preview(request.POST, content.sentences))
        if form.is_valid():
            grade = exercise.grade(form.choices_by_sentence())
            context.update(
                results=grade.results,
                grade=grade,
                score=percent(grade.correct, grade.total),
                feedback=[(result, None, [], "") for result in grade.results],
            )
            context["feedback_items"] = feedback_items(request, context)
        else:
            context["form"], status = form, 400
    if "results" not in context:
        context.setdefault("form", AnswerForm(exercise))
    htmx_post = request.htmx and request.method == "POST"
    template = "exercises/exercise.html#work" if htmx_post else "exercises/exercise.html"
    try:
        return render(request, template, context, status=status)
    finally:
        # The rows are rolled back: their page content must not outlive them in the per-process cache.
        exercise.forget_page_content()


def _renamed_for_preview(data, sentences):
    """The posted choices named after `sentences`: a preview's rows are made anew for each request,
    so the choices sent name the sentences of the page's rows (listed, in order, in the form's
    `preview_sentences`); each is renamed after the sentence in its place. Other fields stay as sent,
    for the answer form to check."""
    shown = data.get("preview_sentences", "").split(",")
    # Not strict: a list sent short or long leaves the answer form to refuse what stays unnamed.
    pairs = zip(shown, sentences, strict=False)
    renamed = {f"sentence-{old}": sentence.field_name for old, sentence in pairs if old}
    return {renamed.get(key, key): value for key, value in data.items() if key != "preview_sentences"}


def show_attempt(request, exercise, attempt_id):
    learner_id = current_learner_id(request)
    attempt = _own_attempt(exercise, learner_id, attempt_id)
    context = _exercise_context(
        request, exercise, learner_id, scopes.of_attempt(attempt), attempt=attempt, results=attempt.results()
    )
    return render(request, "exercises/exercise.html", context)


def _own_attempt(exercise, learner_id, attempt_id):
    attempt = own_attempt(learner_id, exercise, attempt_id)
    if attempt is None:
        raise Http404("No such attempt of yours.")
    return attempt


def _objections_by_sentence(attempt):
    """{sentence id: the learner's latest objection about it} for the sentences of `attempt`'s answers."""
    if not attempt.has_objections:  # most attempts: one lookup by index, not the query below
        return {}
    objections = {}
    for objection in Objection.objects.filter(answer__attempt=attempt).select_related("decided_by").order_by("created"):
        objections[objection.sentence_id] = objection
    return objections


def contest_on(request, exercise, attempt_id):
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
    context = _exercise_context(
        request, exercise, learner_id, scopes.of_attempt(attempt), attempt=attempt, results=attempt.results(),
        objection_form=form, contested=answer.sentence_id,
    )  # fmt: skip
    template = "exercises/exercise.html#work" if request.htmx else "exercises/exercise.html"
    return render(request, template, context, status=200 if saved else 400)


@kept_for_readers
@require_safe
@never_cache
def progress(request):
    progress = LearnerProgress(current_learner_id(request), guide_version(request))
    context = {
        "progress": progress,
        "exercise_rows": progress.exercise_rows(),
        "label_stats": progress.label_stats(),
        "retention_days": settings.ANONYMOUS_RETENTION_DAYS,
        "nav": "progress",
        "ObjectionStatus": ObjectionStatus,
    }
    return render(request, "exercises/progress.html", context)
