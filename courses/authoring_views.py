"""The exercise editor: instructors write, check, preview, publish, export and import their course's own
exercises (`courses.authoring` does the work).

Every page is for the course's instructors alone (anyone else gets a 404) and is never cached. A draft
is saved however incomplete; `authoring.check` says what stops publishing, beside each field. Every
form posts and redirects without JavaScript; with htmx, the editor's forms swap the editor in place.
"""

import copy

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from courses import authoring
from courses.authoring_forms import (
    IMPORT_MAX_BYTES,
    JOIN,
    SAVE,
    SPLIT,
    CorrectSplitForm,
    EditorForm,
    ImportForm,
    NewExerciseForm,
    PublishForm,
    sentences_digest,
)
from courses.models import CourseExercise
from courses.views import _course_for_instructor
from exercises import views as exercise_views
from exercises.loader import create_unlisted_exercise
from exercises.models import Attempt
from lessons.content_files import ContentErrors
from lessons.models import Move


def _own_exercise(user, slug, exercise_slug, lock=False):
    """A course the user teaches and one of its own exercises (a draft or published), or 404.
    `lock`: the exercise's row locked until the transaction ends (call it inside one)."""
    course = _course_for_instructor(user, slug)
    exercises = CourseExercise.objects.filter(course=course)
    course_exercise = (exercises.select_for_update() if lock else exercises).filter(slug=exercise_slug).first()
    if course_exercise is None:
        raise Http404("No such exercise in your course.")
    course_exercise.course = course
    return course, course_exercise


def _edit_url(course_exercise):
    return reverse("course_exercise_edit", args=[course_exercise.course.slug, course_exercise.slug])


def _moves(draft):
    return list(
        Move.objects.filter(move_set__slug=draft.get("label_set", "")).select_related("move_set").order_by("order")
    )


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def exercise_new(request, slug):
    course = _course_for_instructor(request.user, slug)
    form = NewExerciseForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                course_exercise = authoring.start(
                    course, request.user, form.cleaned_data["passage"], form.cleaned_data["label_set"]
                )
            except authoring.AuthoringRefused as refused:
                form.add_error(None, f"{refused} Nothing was saved.")
                status = 409
            else:
                messages.success(request, "Your passage is split into sentences. Label each one, then publish.")
                return redirect(_edit_url(course_exercise))
    context = {
        "course": course,
        "form": form,
        "tagged_label_set": authoring.TAGGED_LABEL_SET,
        # Said before a passage is pasted in vain; `authoring.start` is what refuses.
        "at_limit": CourseExercise.objects.filter(course=course).count() >= settings.COURSE_EXERCISES_MAX,
        "limit": settings.COURSE_EXERCISES_MAX,
        "nav": "courses",
    }
    return render(request, "courses/exercise_new.html", context, status=status)


def _editor(request, course_exercise, form=None, status=200, refusal="", notice="", saved=False, errors=None):
    """The editor of `course_exercise`'s draft with `check`'s problems beside the fields (or `errors`,
    the problems publishing found), the whole page or, for htmx, the editor alone. `form`: a bound
    form refused as malformed, shown as it was sent (its problems, of the draft saved, are left out).
    `notice`: what was just done (htmx only: a page says it with a message); `saved`: the draft was
    just saved, so focus goes to its problems."""
    draft = course_exercise.draft
    moves = _moves(draft)
    data = None
    if form is None:
        if errors is None:
            errors, data = authoring.check(course_exercise)
        form = EditorForm(draft, moves, problems=authoring.errors_by_field(errors))
    revision = course_exercise.revisions.select_related("exercise").order_by("-number").first()
    context = {
        "course": course_exercise.course,
        "course_exercise": course_exercise,
        "form": form,
        "draft": draft,
        "digest": sentences_digest(draft),
        "edit_url": _edit_url(course_exercise),
        "revision": revision,
        "changed": revision is not None and data is not None and data["version"] != revision.exercise.version,
        "label_set_name": moves[0].move_set.name if moves else draft.get("label_set", ""),
        # Regrading is offered once a revision was answered: before, there is nothing to regrade.
        "answered": revision is not None
        and Attempt.objects.filter(exercise__revision__course_exercise=course_exercise).exists(),
        "refusal": refusal,
        "notice": notice,
        "saved": saved,
        "publish_form": PublishForm(),
        "nav": "courses",
    }
    template = "courses/exercise_editor.html#editor" if request.htmx else "courses/exercise_editor.html"
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
@vary_on_headers("HX-Request")
def exercise_edit(request, slug, exercise_slug):
    if request.method == "GET":
        _course, course_exercise = _own_exercise(request.user, slug, exercise_slug)
        return _editor(request, course_exercise)
    action = request.POST.get("action", SAVE)
    if action in (JOIN, SPLIT):
        return _correct_split(request, slug, exercise_slug)
    if action != SAVE:
        _course, course_exercise = _own_exercise(request.user, slug, exercise_slug)
        return _editor(request, course_exercise, status=400, refusal="This form does not exist. Nothing was saved.")
    with transaction.atomic():
        _course, course_exercise = _own_exercise(request.user, slug, exercise_slug, lock=True)
        form = EditorForm(course_exercise.draft, _moves(course_exercise.draft), request.POST)
        if form.is_valid():
            course_exercise.draft = form.updated_draft()
            course_exercise.save(update_fields=["draft", "updated"])
    if not form.is_valid():
        return _editor(request, course_exercise, form=form, status=400, refusal=_refusal_of(form))
    if not request.htmx:
        messages.success(request, "Draft saved.")
        return redirect(f"{_edit_url(course_exercise)}#editor-problems")
    return _editor(request, course_exercise, notice="Draft saved.", saved=True)


def _refusal_of(form):
    """What the editor says above a refused form: what no field shows, or where to look."""
    unshown = [*form.non_field_errors(), *(error for field in form.hidden_fields() for error in field.errors)]
    return " ".join(unshown) or "Nothing was saved: correct what is marked below and save again."


def _correct_split(request, slug, exercise_slug):
    """Join a sentence with the next, or split one in two (`authoring.join`, `authoring.split_sentence`)."""
    with transaction.atomic():
        _course, course_exercise = _own_exercise(request.user, slug, exercise_slug, lock=True)
        form = CorrectSplitForm(course_exercise.draft, request.POST)
        refusal = ""
        if form.is_valid():
            draft = copy.deepcopy(course_exercise.draft)
            position = form.cleaned_data["position"]
            try:
                if form.cleaned_data["action"] == JOIN:
                    authoring.join(draft, position)
                    done = f"Sentences {position} and {position + 1} are one sentence now: label it again."
                else:
                    authoring.split_sentence(draft, position, form.cleaned_data["at"])
                    done = f"Sentence {position} is two sentences now: label the second."
            except authoring.AuthoringRefused as refused:
                refusal = f"{refused} Nothing was changed."
            else:
                course_exercise.draft = draft
                course_exercise.save(update_fields=["draft", "updated"])
        else:
            refusal = " ".join(error for errors in form.errors.values() for error in errors)
    if refusal:
        return _editor(request, course_exercise, status=400, refusal=refusal)
    if not request.htmx:
        messages.success(request, done)
        return redirect(f"{_edit_url(course_exercise)}#sentence-{position}")
    return _editor(request, course_exercise, notice=done)


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
@vary_on_headers("HX-Request")
def exercise_preview(request, slug, exercise_slug):
    """The exercise as the course's students will see it, from the draft as saved, with the feedback
    on labels chosen here. Made as the revision's rows in a transaction rolled back: nothing stays."""
    course, course_exercise = _own_exercise(request.user, slug, exercise_slug)
    errors, data = authoring.check(course_exercise)
    if errors:
        draft = course_exercise.draft
        form = EditorForm(draft, _moves(draft), problems=authoring.errors_by_field(errors))
        context = {
            "course": course,
            "course_exercise": course_exercise,
            "form": form,
            "edit_url": _edit_url(course_exercise),
            "preview_blocked": True,
            "nav": "courses",
        }
        return render(request, "courses/exercise_editor.html", context, status=400 if request.method == "POST" else 200)
    home = reverse("course_own_exercise", args=[course.slug, course_exercise.slug])
    with transaction.atomic():
        exercise = create_unlisted_exercise({**data, "slug": course_exercise.slug}, home)
        response = exercise_views.preview(request, exercise, request.path, back_url=_edit_url(course_exercise))
        transaction.set_rollback(True)
    return response


@login_required
@require_POST
@never_cache
def exercise_publish(request, slug, exercise_slug):
    _course, course_exercise = _own_exercise(request.user, slug, exercise_slug)
    form = PublishForm(request.POST)
    regrade = form.is_valid() and form.cleaned_data["regrade"]
    before = course_exercise.current_id
    try:
        revision = authoring.publish(course_exercise, request.user, regrade=regrade)
    except authoring.NotPublishable as refused:
        refusal = f"Not published: fix the {len(refused.errors)} problem{pluralize(len(refused.errors))} below first."
        return _editor(request, course_exercise, status=400, refusal=refusal, errors=refused.errors)
    except authoring.AuthoringRefused as refused:
        return _editor(request, course_exercise, status=400, refusal=f"Not published: {refused}")
    if revision.exercise_id == before:
        messages.info(request, f"Nothing changed since revision {revision.number}: your students still do it.")
    else:
        notice = f"Published revision {revision.number} of “{revision.exercise.title}”: your students now do it."
        if regrade and revision.number > 1:
            count = revision.regraded_answers
            notice += f" {count} earlier answer{pluralize(count)} regraded against its right labels."
        messages.success(request, notice)
    return redirect("course_own_exercises", course_exercise.course.slug)


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def exercise_delete(request, slug, exercise_slug):
    """Delete a draft never published. A published exercise stays: its revisions hold students' attempts."""
    if request.method == "GET":
        course, course_exercise = _own_exercise(request.user, slug, exercise_slug)
        context = {"course": course, "course_exercise": course_exercise, "nav": "courses"}
        return render(request, "courses/confirm_delete_exercise.html", context)
    with transaction.atomic():
        course, course_exercise = _own_exercise(request.user, slug, exercise_slug, lock=True)
        if not course_exercise.is_published:
            course_exercise.delete()
    if course_exercise.is_published:
        context = {"course": course, "course_exercise": course_exercise, "refused": True, "nav": "courses"}
        return render(request, "courses/confirm_delete_exercise.html", context, status=400)
    title = course_exercise.draft.get("title") or course_exercise.slug
    messages.success(request, f"The draft “{title}” is deleted.")
    return redirect("course_own_exercises", course.slug)


@login_required
@require_safe
@never_cache
def exercise_export(request, slug, exercise_slug):
    _course, course_exercise = _own_exercise(request.user, slug, exercise_slug)
    response = HttpResponse(authoring.export_toml(course_exercise), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{course_exercise.slug}.toml"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def exercise_import(request, slug):
    course = _course_for_instructor(request.user, slug)
    posted = request.method == "POST"
    form = ImportForm(request.POST if posted else None, request.FILES if posted else None)
    context = {"course": course, "form": form, "max_kb": IMPORT_MAX_BYTES // 1024, "nav": "courses"}
    if not posted:
        return render(request, "courses/exercise_import.html", context)
    if not form.is_valid():
        return render(request, "courses/exercise_import.html", context, status=400)
    try:
        course_exercise = authoring.import_toml(course, request.user, form.cleaned_data["toml"])
    except ContentErrors as refused:
        return render(request, "courses/exercise_import.html", {**context, "problems": refused.errors}, status=400)
    except authoring.AuthoringRefused as refused:
        form.add_error(None, f"{refused} Nothing was imported.")
        return render(request, "courses/exercise_import.html", context, status=409)
    course_exercise.course = course
    messages.success(request, f"Imported as a draft, “{course_exercise.slug}”: check it, then publish it.")
    return redirect(_edit_url(course_exercise))
