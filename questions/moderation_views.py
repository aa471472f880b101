"""Moderation: reports, hiding and restoring posts, reviewing held posts, pinning and closing.

Anyone signed in who can see a post may report it, once. The site's moderators (`is_moderator`)
and, for a course's posts, the course's instructors hide and show posts and pin and close
questions. A post the user cannot see is a 404, as if it did not exist; one they see but may not
moderate is a 403. Moderators review held and reported posts at /questions/review/ (only those
they can see: a course's posts are its instructors' to review, on the course's questions page).

Every page that shows posts renders their controls with the partial
`questions/moderation.html#post_controls`, given `post` and the names `moderation_context(user)`
returns. A plain POST here redirects back (to the `next` the form sent, or the question's page);
an htmx POST gets that partial again, for the post as it now is.
"""

import functools

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, Value
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from courses.models import Course, Membership, Role
from questions.models import REASON_MAX_LENGTH, PostState, Question, Reply, Report, ReportRefused, is_moderator
from writing_guide.throttle import too_many

REPORTS_PER_HOUR = 20
PER_PAGE = 20
THANKS = "Thanks: moderators will look at it."


class ReportForm(forms.Form):
    reason = forms.CharField(
        max_length=REASON_MAX_LENGTH,
        error_messages={"required": "Say what is wrong with this post: moderators read it."},
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        max_length=REASON_MAX_LENGTH,
        error_messages={"required": "Give a reason: the post's author reads it."},
    )


def moderation_context(user):
    """What `questions/moderation.html#post_controls` needs besides `post` and `user`, read once
    for a whole page: `is_moderator` (the site's moderators moderate every post they can see) and
    `moderates` (the ids of the courses `user` teaches, whose posts they moderate)."""
    if not user.is_authenticated:
        return {"is_moderator": False, "moderates": frozenset()}
    taught = Membership.objects.filter(user=user, role=Role.INSTRUCTOR).values_list("course_id", flat=True)
    return {"is_moderator": is_moderator(user), "moderates": set(taught)}


def refusals_explained(view):
    """A `PermissionDenied` (403) or `BadRequest` (400) from the view becomes our page, which says why."""

    @functools.wraps(view)
    def explained(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except (PermissionDenied, BadRequest) as refusal:
            context = {"refusal": str(refusal), "nav": "questions"}
            status = 403 if isinstance(refusal, PermissionDenied) else 400
            return render(request, "questions/moderation.html", context, status=status)

    return explained


def moderators_only(view):
    @functools.wraps(view)
    def for_moderators(request, *args, **kwargs):
        if not is_moderator(request.user):
            raise PermissionDenied(
                "Only the site's moderators review held and reported posts. If you teach a course, its "
                "questions are on the course's own page."
            )
        return view(request, *args, **kwargs)

    return refusals_explained(for_moderators)


def _question_for(user, pk):
    """A question `user` can see (as `visible_to` says), or 404: another course's is never shown."""
    return get_object_or_404(Question.objects.visible_to(user).select_related("author", "course"), pk=pk)


def _reply_for(user, pk):
    """An answer `user` can see, or 404: its question is visible to them, and the answer is shown,
    or theirs, or theirs to moderate."""
    replies = Reply.objects.select_related("author", "question__course")
    reply = get_object_or_404(replies.filter(question__in=Question.objects.visible_to(user)), pk=pk)
    if not (reply.is_visible or reply.author_id == user.pk or reply.can_moderate(user)):
        raise Http404("No such answer.")
    return reply


def _post_for(user, kind, pk):
    return _question_for(user, pk) if kind == Question.kind else _reply_for(user, pk)


def _post_to_moderate(user, kind, pk):
    """A post `user` moderates; 404 if they cannot see it, 403 if they see it but may not moderate it."""
    post = _post_for(user, kind, pk)
    if not post.can_moderate(user):
        raise PermissionDenied(
            "Only the site's moderators, and the instructors of the course a question was asked to, moderate posts."
        )
    return post


def _back(request, post):
    """Where a plain POST returns: the page the form was on, or the post on its question's page."""
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        return next_url
    if post.kind == Question.kind:
        return reverse("question", args=[post.pk])
    return f"{reverse('question', args=[post.question_id])}#answer-{post.pk}"


def _done(request, post, notice, **extra):
    """After a change: htmx gets the post's controls as they now are; a plain POST goes back, with the notice."""
    if request.htmx:
        return _controls(request, post, notice=notice, **extra)
    messages.success(request, notice)
    return redirect(_back(request, post))


def _failed(request, post, action, form=None, error=""):
    """A refused report or hide (400): the controls again with the error, alone for htmx, else on a page."""
    template = "questions/moderation.html#post_controls" if request.htmx else "questions/moderation.html"
    extra = {"moderation_action": action, "moderation_form": form, "moderation_error": error}
    return _controls(request, post, template=template, status=400, **extra)


def _controls(request, post, template="questions/moderation.html#post_controls", status=200, **extra):
    next_url = _back(request, post)
    context = {"post": post, "back_to": next_url, "nav": "questions", **moderation_context(request.user), **extra}
    return render(request, template, context, status=status)


# Reports


@login_required
@require_POST
@never_cache
@vary_on_headers("HX-Request")
def question_report(request, pk):
    return _report(request, _question_for(request.user, pk))


@login_required
@require_POST
@never_cache
@vary_on_headers("HX-Request")
def reply_report(request, pk):
    return _report(request, _reply_for(request.user, pk))


def _report(request, post):
    wait = Report.wait_before_next(request.user, REPORTS_PER_HOUR)
    if wait:
        return too_many(request, f"You have sent {REPORTS_PER_HOUR} reports in the last hour, the most we take.", wait)
    form = ReportForm(request.POST)
    if not form.is_valid():
        return _failed(request, post, "report", form=form)
    try:
        post.report(request.user, form.cleaned_data["reason"])
    except ReportRefused as refusal:
        return _failed(request, post, "report", form=form, error=str(refusal))
    return _done(request, post, THANKS, reported=True)


# Hiding and showing


@login_required
@require_POST
@never_cache
@refusals_explained
@vary_on_headers("HX-Request")
def question_hide(request, pk):
    return _hide(request, _post_to_moderate(request.user, Question.kind, pk))


@login_required
@require_POST
@never_cache
@refusals_explained
@vary_on_headers("HX-Request")
def reply_hide(request, pk):
    return _hide(request, _post_to_moderate(request.user, Reply.kind, pk))


def _hide(request, post):
    form = HideForm(request.POST)
    if not form.is_valid():
        return _failed(request, post, "hide", form=form)
    post.hide(request.user, form.cleaned_data["reason"])
    return _done(request, post, "Hidden. Its author sees it with your reason; nobody else sees it.")


@login_required
@require_POST
@never_cache
@refusals_explained
@vary_on_headers("HX-Request")
def question_show(request, pk):
    return _show(request, _post_to_moderate(request.user, Question.kind, pk))


@login_required
@require_POST
@never_cache
@refusals_explained
@vary_on_headers("HX-Request")
def reply_show(request, pk):
    return _show(request, _post_to_moderate(request.user, Reply.kind, pk))


def _show(request, post):
    notices = {
        PostState.HELD: "Approved: everyone who can see the question sees it now.",
        PostState.HIDDEN: "Shown again to everyone who can see the question.",
        PostState.VISIBLE: "Kept: its reports are closed.",
    }
    notice = notices[post.state]
    post.show(request.user)
    return _done(request, post, notice)


# Pinning and closing questions


@login_required
@require_POST
@never_cache
@refusals_explained
@vary_on_headers("HX-Request")
def question_pin(request, pk):
    question = _post_to_moderate(request.user, Question.kind, pk)
    question.set_pinned(_switch(request, question.pinned))
    return _done(request, question, "Pinned: it comes first in lists." if question.pinned else "Unpinned.")


@login_required
@require_POST
@never_cache
@refusals_explained
@vary_on_headers("HX-Request")
def question_close(request, pk):
    question = _post_to_moderate(request.user, Question.kind, pk)
    question.set_closed(_switch(request, question.closed))
    return _done(request, question, "Closed: it takes no new answers." if question.closed else "Open to answers again.")


def _switch(request, now_on):
    """The state asked for: `on` = 1 or 0, or the other one when the form says neither."""
    on = request.POST.get("on")
    if on is None:
        return not now_on
    if on not in ("0", "1"):
        raise BadRequest("Send on=1 or on=0, or nothing to switch.")
    return on == "1"


# The moderators' review queue


@login_required
@require_safe
@never_cache
@moderators_only
def questions_review(request):
    page = _review_page(request.user, request.GET.get("page"))
    # Moderators moderate every post they can see: no need to read the courses they teach.
    context = {"page": page, "is_moderator": True, "moderates": frozenset(), "nav": "questions",
               "hold_first_posts": settings.QUESTIONS_HOLD_FIRST_POSTS}  # fmt: skip
    return render(request, "questions/review.html", context)


def _review_page(user, page_number):
    """A page of the posts waiting for a moderator, oldest first: held ones, and shown ones with open
    reports, among those `user` can see. Each post carries `open_reports` (their reasons). Five
    queries whatever the page's size: the count, the page, its questions, its answers, their reports."""
    visible = Question.objects.visible_to(user)
    reported = Report.objects.filter(resolved=False)
    questions = visible.filter(Q(state=PostState.HELD) | Exists(reported.filter(question=OuterRef("pk"))))
    replies = Reply.objects.filter(question__in=visible).filter(
        Q(state=PostState.HELD) | Exists(reported.filter(reply=OuterRef("pk")))
    )
    waiting = (
        questions.annotate(kind=Value(Question.kind))
        .values_list("kind", "pk", "created")
        .order_by()
        .union(replies.annotate(kind=Value(Reply.kind)).values_list("kind", "pk", "created").order_by(), all=True)
        .order_by("created", "pk")
    )
    page = Paginator(waiting, PER_PAGE).get_page(page_number)
    rows = list(page.object_list)
    ids = {kind: [pk for row_kind, pk, _ in rows if row_kind == kind] for kind in (Question.kind, Reply.kind)}
    found = {}
    if ids[Question.kind]:
        for question in Question.objects.with_place().filter(pk__in=ids[Question.kind]):
            found[Question.kind, question.pk] = question
    if ids[Reply.kind]:
        for reply in Reply.objects.select_related("author", "question__course").filter(pk__in=ids[Reply.kind]):
            found[Reply.kind, reply.pk] = reply
    page.object_list = [found[kind, pk] for kind, pk, _ in rows if (kind, pk) in found]
    _attach_open_reports(page.object_list)
    return page


def _attach_open_reports(posts):
    """Set `open_reports` (the reasons of its open reports, oldest first) on each post, in one query."""
    for post in posts:
        post.open_reports = []
    if not posts:
        return
    by_post = {(post.kind, post.pk): post for post in posts}
    about = Q(question_id__in=[post.pk for post in posts if post.kind == Question.kind]) | Q(
        reply_id__in=[post.pk for post in posts if post.kind == Reply.kind]
    )
    for report in Report.objects.filter(about, resolved=False).only("question_id", "reply_id", "reason"):
        key = (Question.kind, report.question_id) if report.question_id else (Reply.kind, report.reply_id)
        if key in by_post:
            by_post[key].open_reports.append(report.reason)


# A course's questions, for its instructors


def _course_for_instructor(user, slug):
    course = Course.objects.taught_by(user).filter(slug=slug).first()
    if course is None:
        raise Http404("No such course of yours.")
    return course


@login_required
@require_safe
@never_cache
def course_questions(request, slug):
    """The questions asked to a course, in reading order, for its instructors: each flagged when
    it, or one of its answers, waits for review or has open reports, with the controls to act."""
    course = _course_for_instructor(request.user, slug)
    # Its instructors see every question of the course, in any state (as `visible_to` says).
    questions = course.questions.with_place().in_reading_order()
    page = Paginator(questions, PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    _attach_waiting_replies(page.object_list)
    _attach_open_reports([*page.object_list, *(reply for q in page.object_list for reply in q.waiting_replies)])
    # The page's posts are all the course's, which its instructors moderate: nothing more to read.
    context = {"course": course, "page": page, "moderates": {course.pk}, "nav": "courses"}
    return render(request, "questions/course_questions.html", context)


def _attach_waiting_replies(questions):
    """Set `waiting_replies` on each question: its answers held for review or with open reports, in one query."""
    for question in questions:
        question.waiting_replies = []
    if not questions:
        return
    by_pk = {question.pk: question for question in questions}
    reported = Report.objects.filter(reply=OuterRef("pk"), resolved=False)
    waiting = Reply.objects.filter(question__in=questions).filter(Q(state=PostState.HELD) | Exists(reported))
    for reply in waiting.select_related("author"):
        reply.question = by_pk[reply.question_id]
        reply.question.waiting_replies.append(reply)


def course_panel(course, user):
    """The questions panel of a course's dashboard (see `courses.panels`): the class's questions,
    how many wait for an answer, for review, or have reports, with the link to them. One query."""
    # Counted only for the course's instructors (as `visible_to` would, without reading permissions).
    counts = Question.objects.filter(course__in=Course.objects.taught_by(user).filter(pk=course.pk)).summary()
    return "questions/panel.html", {"course": course, **counts}
