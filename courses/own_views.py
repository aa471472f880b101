"""A course's own exercises as its members see them: the list, and each published exercise's pages
(the exercise, the submit, an attempt, contesting a label), served by `exercises.views` for the course."""

import functools

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from courses import analytics
from courses.forms import OwnAnalyticsForm
from courses.models import CourseExercise, CourseScope, Role
from courses.views import _course_for_instructor, _course_for_member
from exercises import views as exercise_pages
from exercises.models import Verdict
from lessons.models import MoveSet


def _published_for_member(user, slug, exercise_slug):
    """The course (of which the user is a member) and its published own exercise, with the current
    revision's `Exercise`; 404 for anyone else, and for a draft."""
    course, _ = _course_for_member(user, slug)
    # Not the draft: these pages show what was published.
    published = CourseExercise.objects.published().filter(course=course).select_related("current").defer("draft")
    return course, get_object_or_404(published, slug=exercise_slug)


def _attempted_revision(user, slug, exercise_slug, attempt_id):
    """The course and the revision's `Exercise` that attempt `attempt_id` answered (any revision of the
    published exercise: a learner's attempt is shown as they did it); 404 when it is none of them.
    Whose attempt it is, `exercises.views` checks."""
    course, course_exercise = _published_for_member(user, slug, exercise_slug)
    exercise = course_exercise.exercise_of_attempt(attempt_id)
    if exercise is None:
        raise Http404("No such attempt of yours.")
    return course, exercise


def _login_required_back_to(page):
    """`login_required` for a URL that takes only POSTs (a session that ran out while the form was
    open): logging in leads back to `page(**the URL's arguments)`, which a GET can open."""

    def decorator(view):
        @functools.wraps(view)
        def for_members(request, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(page(**kwargs))
            return view(request, **kwargs)

        return for_members

    return decorator


def _exercise_page(slug, exercise_slug):
    return reverse("course_own_exercise", args=[slug, exercise_slug])


def _attempt_page(slug, exercise_slug, attempt_id):
    return reverse("course_own_attempt", args=[slug, exercise_slug, attempt_id])


@login_required
@require_safe
@never_cache
def own_exercises(request, slug):
    course, role = _course_for_member(request.user, slug)
    own = CourseExercise.objects.for_member(course, role).for_listing()
    context = {"course": course, "nav": "courses", "is_instructor": role == Role.INSTRUCTOR}
    if role == Role.INSTRUCTOR:
        exercises = list(own)
        label_sets = dict(MoveSet.objects.values_list("slug", "name"))
        for exercise in exercises:
            exercise.label_set_name = label_sets.get(exercise.draft_label_set, exercise.draft_label_set or "")
        context.update(exercises=exercises, limit=settings.COURSE_EXERCISES_MAX)
    else:
        context["exercises"] = list(own.with_results_of(request.user))
    return render(request, "courses/own_exercises.html", context)


@login_required
@require_safe
@never_cache
def own_exercise(request, slug, exercise_slug):
    course, course_exercise = _published_for_member(request.user, slug, exercise_slug)
    return exercise_pages.show(request, course_exercise.current, CourseScope(course))


@_login_required_back_to(_exercise_page)
@require_POST
@never_cache
def own_submit(request, slug, exercise_slug):
    course, course_exercise = _published_for_member(request.user, slug, exercise_slug)
    return exercise_pages.submit(request, course_exercise.current, CourseScope(course))


@login_required
@require_safe
@never_cache
def own_attempt(request, slug, exercise_slug, attempt_id):
    _, exercise = _attempted_revision(request.user, slug, exercise_slug, attempt_id)
    return exercise_pages.show_attempt(request, exercise, attempt_id)


@_login_required_back_to(_attempt_page)
@require_POST
@never_cache
def own_contest(request, slug, exercise_slug, attempt_id):
    _, exercise = _attempted_revision(request.user, slug, exercise_slug, attempt_id)
    return exercise_pages.contest_on(request, exercise, attempt_id)


@login_required
@require_safe
@never_cache
def own_results(request, slug, exercise_slug):
    """How the class labelled the current revision, or an earlier one (`?revision=N`)."""
    course = _course_for_instructor(request.user, slug)
    published = CourseExercise.objects.published().filter(course=course).defer("draft")
    course_exercise = get_object_or_404(published, slug=exercise_slug)
    revisions = list(course_exercise.revisions.select_related("exercise__label_set"))
    current = next(r for r in revisions if r.exercise_id == course_exercise.current_id)
    form = OwnAnalyticsForm(revisions, current, request.GET)
    which, revision = form.choice()
    context = {"course": course, "exercise": revision.exercise, "form": form, "which": which, "Verdict": Verdict,
               "course_exercise": course_exercise, "revision": revision, "revisions": revisions, "current": current,
               **analytics.exercise_analytics(course, revision.exercise, which)}  # fmt: skip
    return render(request, "courses/exercise_analytics.html", context, status=200 if form.is_valid() else 400)
