"""Asking, answering and reading questions.

Every list here is personal (course questions, the reader's own held posts), so every page is
`never_cache`. A plain POST redirects; an htmx POST gets the fragment it changed: the list of a
place (`place.html#list`) after asking, the answers (`question.html#answers`) after answering.
"""

import math
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from courses.models import Course, Role
from exercises.learners import current_learner_id
from exercises.models import Attempt, Exercise
from lessons.models import Excerpt, Lesson
from questions import notifications
from questions.forms import AnswerForm, QuestionForm, SearchForm
from questions.models import Place, PostState, Question, Reply
from questions.moderation_views import moderation_context
from writing_guide.throttle import too_many

PER_PAGE = 20
SUBJECTS = {Place.LESSON: Lesson, Place.EXCERPT: Excerpt, Place.EXERCISE: Exercise}
THROTTLE_WINDOW = timedelta(hours=1)


def _question_for(user, pk):
    """The question if `user` may see it (see `visible_to`), or 404: another course's is never shown."""
    question = Question.objects.visible_to(user).with_place().filter(pk=pk).first()
    if question is None:
        raise Http404("No such question.")
    return question


def _reply_for(user, pk):
    """An answer to a question `user` may see, if they may see the answer too; else 404."""
    seen = Question.objects.visible_to(user)
    reply = Reply.objects.filter(pk=pk, question__in=seen).select_related("question").first()
    if reply is None or not (reply.is_visible or reply.author_id == user.pk or reply.can_moderate(user)):
        raise Http404("No such answer.")
    return reply


def _subject(place, slug):
    """The lesson, excerpt or exercise a place's URL names, or 404."""
    if place not in SUBJECTS:
        raise Http404("Questions are asked on a lesson, an excerpt or an exercise.")
    queryset = Excerpt.objects.select_related("paper") if place == Place.EXCERPT else SUBJECTS[place].objects
    return get_object_or_404(queryset, slug=slug)


def _may_ask(request, place, subject):
    """Signed in, and for an exercise, after a first attempt at it."""
    if not request.user.is_authenticated:
        return False
    if place != Place.EXERCISE:
        return True
    return Attempt.objects.for_learner(current_learner_id(request)).filter(exercise=subject).exists()


def _to_login(request, next_url):
    """Log in first, then back to `next_url` (with htmx, the whole page goes)."""
    login = redirect_to_login(next_url)
    return HttpResponseClientRedirect(login.url) if request.htmx else login


def _refused(request, message, status=403):
    return render(request, "questions/refused.html", {"message": message, "nav": "questions"}, status=status)


def _wait_before_posting(user, now):
    """Seconds before `user` may post again (0: now): at most `QUESTIONS_PER_HOUR` questions and
    answers an hour. Counted in the database, with the user's row locked on PostgreSQL (SQLite's
    write lock at BEGIN does the same), so two posts at once cannot both slip under the limit.
    Call inside the transaction that writes the post."""
    limit = settings.QUESTIONS_PER_HOUR
    list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
    since = now - THROTTLE_WINDOW
    recent = sorted(
        [
            *Question.objects.filter(author=user, created__gt=since).values_list("created", flat=True),
            *Reply.objects.filter(author=user, created__gt=since).values_list("created", flat=True),
        ],
        reverse=True,
    )
    if len(recent) < limit:
        return 0
    free_at = recent[limit - 1] + THROTTLE_WINDOW
    return max(1, math.ceil((free_at - now).total_seconds()))


def _too_many_posts(request, wait):
    limit = settings.QUESTIONS_PER_HOUR
    return too_many(request, f"You have posted {limit} questions and answers in the last hour, the most we take.", wait)


def _page(request, questions):
    return Paginator(questions, PER_PAGE).get_page(request.GET.get("page"))


# Reading


@require_safe
@never_cache
def question_list(request):
    """Every question the reader may see, in reading order: searched, and filtered to one of their courses."""
    form = SearchForm(request.GET)
    courses = list(Course.objects.for_user(request.user))
    if not form.is_valid():
        context = {"form": form, "courses": courses, "page": None, "nav": "questions"}
        return render(request, "questions/index.html", context, status=400)
    questions = Question.objects.visible_to(request.user)
    course = None
    if form.cleaned_data["course"]:
        course = next((course for course in courses if course.slug == form.cleaned_data["course"]), None)
        if course is None:
            raise Http404("No such course of yours.")
        questions = questions.filter(course=course)
    search = form.cleaned_data["q"]
    page = _page(request, questions.search(search).with_place().in_reading_order())
    # The pager's links keep the search and the course.
    filters = urlencode([(name, value) for name, value in [("q", search), ("course", course and course.slug)] if value])
    context = {"form": form, "courses": courses, "course": course, "search": search, "page": page,
               "filters": filters, "nav": "questions", **moderation_context(request.user)}  # fmt: skip
    return render(request, "questions/index.html", context)


def _ask_ids(place, subject):
    # A paper's page loads the list of each of its excerpts: each ask form needs ids of its own.
    return f"ask-{place}-{subject.slug}-%s"


def _place_context(request, place, subject, **extra):
    questions = Question.objects.visible_to(request.user).about(place, subject).with_place().in_reading_order()
    may_ask = _may_ask(request, place, subject)
    # Loaded in place under an excerpt (whose title is an h3), the list's headings sit below it; its ask
    # form sends `under` back, so the list it returns keeps them.
    nested = (
        place == Place.EXCERPT and request.htmx and (request.GET.get("under") or request.POST.get("under")) == "excerpt"
    )
    heading = 4 if nested else 2
    context = {
        "place": place,
        "subject": subject,
        "heading": heading,
        "nested": nested,
        "item_heading": heading + 1,
        "page": _page(request, questions),
        "place_url": reverse("questions_on", args=[place, subject.slug]),
        "nav": "questions",
        **moderation_context(request.user),
    }
    context.update(extra)
    if may_ask and "form" not in context:
        context["form"] = QuestionForm(courses=Course.objects.for_user(request.user), auto_id=_ask_ids(place, subject))
    return context


@require_safe
@never_cache
@vary_on_headers("HX-Request")
def questions_on(request, place, slug):
    """The questions on a lesson, an excerpt or an exercise, and the form to ask one. With htmx,
    the list alone (`#list`): the lesson, paper and exercise pages load it in place."""
    subject = _subject(place, slug)
    template = "questions/place.html#list" if request.htmx else "questions/place.html"
    return render(request, template, _place_context(request, place, subject))


# Asking and answering


@require_POST
@never_cache
@vary_on_headers("HX-Request")
def question_ask(request, place, slug):
    subject = _subject(place, slug)
    if not request.user.is_authenticated:
        return _to_login(request, reverse("questions_on", args=[place, slug]))
    if not _may_ask(request, place, subject):
        return _refused(request, "Make a first attempt at this exercise, then ask about it.")
    courses = list(Course.objects.for_user(request.user))
    form = QuestionForm(request.POST, courses=courses, auto_id=_ask_ids(place, subject))
    template = "questions/place.html#list" if request.htmx else "questions/place.html"
    if not form.is_valid():
        return render(request, template, _place_context(request, place, subject, form=form), status=400)
    data = form.cleaned_data
    with transaction.atomic():
        wait = _wait_before_posting(request.user, timezone.now())
        if not wait:
            question = Question.ask(request.user, place, subject, data["title"], data["body"], course=form.course())
    if wait:
        return _too_many_posts(request, wait)
    if not request.htmx:
        if question.state == PostState.HELD:
            messages.info(request, "Your question waits for review: others see it once a moderator has read it.")
        return redirect("question", question.pk)
    return render(request, template, _place_context(request, place, subject, asked=question))


def _answers_shown(user, question, moderates):
    """The answers `user` sees: the visible ones and their own; every one for those who moderate the question."""
    replies = question.replies.select_related("author")
    if not moderates:
        own = Q(author_id=user.pk) if user.is_authenticated else Q(pk__in=[])
        replies = replies.filter(Q(state=PostState.VISIBLE) | own)
    replies = list(replies)
    for reply in replies:
        reply.question = question  # what its links and checks read: no query per answer
        reply.editable = reply.can_edit(user)
        reply.deletable = reply.can_delete(user)
    return replies


def _question_context(request, question, **extra):
    user = request.user
    moderation = moderation_context(user)
    # The reader's standing, from what the moderation controls read anyway (no query of its own):
    # `Post.can_moderate` and `Question.can_mark_helpful` without asking for the role again.
    teaches = question.course_id in moderation["moderates"]
    context = {
        "question": question,
        "answers": _answers_shown(user, question, moderates=moderation["is_moderator"] or teaches),
        "editable": question.can_edit(user),
        "deletable": question.can_delete(user),
        "can_mark_helpful": user.is_authenticated and (user.pk == question.author_id or teaches),
        "nav": "questions",
        **moderation,
    }
    context.update(extra)
    if user.is_authenticated and not question.closed and "answer_form" not in context:
        context["answer_form"] = AnswerForm(teaches=teaches)
    return context


@require_safe
@never_cache
def question_detail(request, pk):
    question = _question_for(request.user, pk)
    notifications.mark_seen(question, request.user)
    return render(request, "questions/question.html", _question_context(request, question))


@require_POST
@never_cache
@vary_on_headers("HX-Request")
def question_answer(request, pk):
    question_url = reverse("question", args=[pk])
    if not request.user.is_authenticated:
        return _to_login(request, question_url)
    question = _question_for(request.user, pk)
    if question.closed:
        return _refused(request, "This question is closed: it takes no new answers.")
    teaches = question.course_role(request.user) == Role.INSTRUCTOR
    form = AnswerForm(request.POST, teaches=teaches)
    template = "questions/question.html#answers" if request.htmx else "questions/question.html"
    if not form.is_valid():
        return render(request, template, _question_context(request, question, answer_form=form), status=400)
    with transaction.atomic():
        wait = _wait_before_posting(request.user, timezone.now())
        if not wait:
            reply = question.answer(request.user, form.cleaned_data["body"], as_instructor=form.answers_as_instructor())
            notifications.notify_asker(reply, request.build_absolute_uri(question_url))
    if wait:
        return _too_many_posts(request, wait)
    if not request.htmx:
        if reply.state == PostState.HELD:
            messages.info(request, "Your answer waits for review: others see it once a moderator has read it.")
        return redirect(f"{question_url}#answer-{reply.pk}")
    return render(request, template, _question_context(request, question, answered=reply))


@login_required
@require_POST
@never_cache
@vary_on_headers("HX-Request")
def question_helpful(request, pk):
    """The asker (or an instructor of the course) marks the answer that helped."""
    question = _question_for(request.user, pk)
    if not question.can_mark_helpful(request.user):
        return _refused(request, "Only the person who asked, or an instructor of the course, marks the answer.")
    reply_id = request.POST.get("reply", "")
    # ASCII digits only: "²".isdigit() is true too, and would fail in the query.
    is_id = reply_id.isascii() and reply_id.isdigit() and len(reply_id) < 19
    reply = question.replies.filter(pk=reply_id, state=PostState.VISIBLE).first() if is_id else None
    if reply is None:
        return _refused(request, "Mark one of the answers shown under this question.", status=400)
    question.mark_helpful(reply)
    if not request.htmx:
        return redirect(f"{reverse('question', args=[pk])}#answer-{reply.pk}")
    # The pressed button is gone with the swap: focus goes to the mark that replaced it.
    return render(request, "questions/question.html#answers", _question_context(request, question, marked=reply))


# Editing and deleting one's own posts


def _not_editable(request, post):
    if post.author_id != request.user.pk:
        return _refused(request, "Only its author can edit this post.")
    if post.state == PostState.HIDDEN:
        return _refused(request, "A moderator hid this post: it cannot be edited. You can still delete it.")
    minutes = settings.QUESTIONS_EDIT_MINUTES
    return _refused(request, f"Posts can be edited for {minutes} minutes after posting; that time is over for this "
                             "one. You can still delete it.")  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def question_edit(request, pk):
    question = _question_for(request.user, pk)
    if not question.can_edit(request.user):
        return _not_editable(request, question)
    form = QuestionForm(request.POST or None, initial={"title": question.title, "body": question.body})
    if request.method == "POST" and form.is_valid():
        question.title = form.cleaned_data["title"]
        question.set_body(form.cleaned_data["body"])
        question.edited = timezone.now()
        question.save(update_fields=["title", "body", "body_html", "edited"])
        return redirect("question", question.pk)
    context = {"form": form, "post": question, "question": question, "nav": "questions"}
    return render(request, "questions/edit.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def reply_edit(request, pk):
    reply = _reply_for(request.user, pk)
    if not reply.can_edit(request.user):
        return _not_editable(request, reply)
    form = AnswerForm(request.POST or None, initial={"body": reply.body})
    if request.method == "POST" and form.is_valid():
        reply.set_body(form.cleaned_data["body"])
        reply.edited = timezone.now()
        reply.save(update_fields=["body", "body_html", "edited"])
        return redirect(f"{reverse('question', args=[reply.question_id])}#answer-{reply.pk}")
    context = {"form": form, "post": reply, "question": reply.question, "nav": "questions"}
    return render(request, "questions/edit.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def question_delete(request, pk):
    question = _question_for(request.user, pk)
    if not question.can_delete(request.user):
        return _refused(request, "Only its author can delete this question.")
    if request.method == "GET":
        return render(request, "questions/confirm_delete.html", {"post": question, "question": question})
    place, subject = question.place, question.subject
    question.delete()
    messages.success(request, "Your question and its answers are deleted.")
    return redirect("questions_on", place, subject.slug)


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def reply_delete(request, pk):
    reply = _reply_for(request.user, pk)
    if not reply.can_delete(request.user):
        return _refused(request, "Only its author can delete this answer.")
    if request.method == "GET":
        return render(request, "questions/confirm_delete.html", {"post": reply, "question": reply.question})
    reply.delete()
    messages.success(request, "Your answer is deleted.")
    return redirect("question", reply.question_id)
