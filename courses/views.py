import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from courses import analytics, exports, panels
from courses.forms import (
    ACCEPT,
    ACCEPT_FOR_EVERYONE,
    CONFIRM,
    REJECT,
    SELECT,
    AnalyticsForm,
    AssignmentsForm,
    CourseForm,
    DecisionForm,
    InstructorForm,
    JoinForm,
)
from courses.models import Course, Invitation, ObjectionClosed, Role, SelfStudy
from courses.objection_queue import queue_items, queue_page
from exercises.accounts import just_signed_up_for
from exercises.models import Exercise, Verdict
from writing_guide.throttle import JOIN_CODE, client_address, too_many

TOO_MANY_CODES = "Too many wrong join codes. Check the code with your instructor."


def _course_for_member(user, slug):
    """The course and the user's role in it, or 404 for anyone who is not a member."""
    course = Course.objects.for_user(user).filter(slug=slug).first()
    if course is None:
        raise Http404("No such course of yours.")
    return course, course.user_role


def _course_for_instructor(user, slug):
    course, role = _course_for_member(user, slug)
    if role != Role.INSTRUCTOR:
        raise Http404("No such course of yours.")
    return course


@login_required
@require_safe
def course_list(request):
    courses = list(Course.objects.for_user(request.user))
    teaches = any(course.user_role == Role.INSTRUCTOR for course in courses)
    invitations = Invitation.objects.for_invitee(request.user)
    context = {"courses": courses, "teaches": teaches, "invitations": invitations, "Role": Role, "nav": "courses"}
    return render(request, "courses/course_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def course_new(request):
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        course = Course.create_for(request.user, form.cleaned_data["title"], form.cleaned_data["time_zone"])
        messages.success(request, f"Your course is ready. Share the join code {course.join_code} with your students.")
        return redirect(course)
    status = 400 if request.method == "POST" else 200
    return render(request, "courses/course_new.html", {"form": form, "nav": "courses"}, status=status)


def _course_for_code(request, code):
    """(course, None) for a right code, or (None, refusal page): 404 for a wrong code, 429 once wrong
    codes are throttled. Wrong codes count per account and per address; a visitor who is not
    logged in is counted by address alone. An address over its limit still joins with a right
    code: only its wrong codes are refused, so one guesser cannot shut out the class."""
    account = str(request.user.pk) if request.user.is_authenticated else ""
    keys = {"account": account, "address": client_address(request)}
    wait = JOIN_CODE.retry_after(**keys)
    if wait:
        return None, too_many(request, TOO_MANY_CODES, wait)
    course = Course.objects.with_join_code(code).first()
    if course is None:
        wait = JOIN_CODE.address_retry_after(keys["address"])
        JOIN_CODE.record(**keys)
        if wait:
            return None, too_many(request, TOO_MANY_CODES, wait)
        form = JoinForm(initial={"code": code if code.isprintable() else ""})
        error = "That join code does not match any course. Check it with your instructor; codes use letters and digits."
        return None, render(request, "courses/join.html", {"form": form, "error": error}, status=404)
    return course, None


def _join(request, course):
    membership = course.join(request.user)
    if membership.role == Role.INSTRUCTOR:
        messages.info(request, "You teach this course already.")
    else:
        messages.success(request, f"You are in {course.title}.")
    return redirect(course)


@require_http_methods(["GET", "POST"])
def join(request):
    """Type a code to join. A visitor who is not logged in is sent to the code's join link, which
    offers to log in or sign up and then join."""
    form = JoinForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "courses/join.html", {"form": form}, status=400)
        course, refusal = _course_for_code(request, form.cleaned_data["code"])
        if refusal:
            return refusal
        if not request.user.is_authenticated:
            return redirect("join_link", course.join_code)
        return _join(request, course)
    return render(request, "courses/join.html", {"form": form, "nav": "courses"})


@require_http_methods(["GET", "POST"])
def join_link(request, code):
    """The link an instructor sends. Logged out, it names the course and offers to log in or sign
    up, with `next` leading back here. Logged in, it asks before joining, except for an account
    that was created a moment ago by the sign-up form this page led to: that form's (CSRF-checked)
    submit was the click on "join", so the account joins at once (see exercises/accounts.py)."""
    if request.method == "POST" and not request.user.is_authenticated:
        return redirect_to_login(request.path)
    course, refusal = _course_for_code(request, code)
    if refusal:
        return refusal
    if request.method == "POST" or (request.user.is_authenticated and just_signed_up_for(request, request.path)):
        return _join(request, course)
    return render(request, "courses/join_confirm.html", {"course": course, "code": code, "nav": "courses"})


@login_required
@require_safe
@never_cache
def course_detail(request, slug):
    course, role = _course_for_member(request.user, slug)
    if role == Role.STUDENT:
        return _student_view(request, course)
    return _dashboard(request, course, InstructorForm())


def _dashboard(request, course, instructor_form, status=200):
    progress = analytics.ClassProgress.for_course(course, request.GET.get("page"))
    join_url = request.build_absolute_uri(reverse("join_link", args=[course.join_code]))
    context = {
        "course": course,
        "progress": progress,
        "instructors": course.instructors(),
        "invitations": course.invitations.all(),
        "join_url": join_url,
        "instructor_form": instructor_form,
        "open_objections": course.objections().open().count(),
        # What other apps show here (questions from the class): see courses/panels.py.
        "panels": panels.render_panels(course, request),
        "nav": "courses",
    }
    return render(request, "courses/dashboard.html", context, status=status)


def _student_view(request, course):
    assignments = analytics.assignments_for_student(course, request.user)
    return render(request, "courses/student_course.html", {"course": course, "assignments": assignments})


@login_required
@require_safe
@never_cache
def course_exercise(request, slug, exercise_slug):
    course = _course_for_instructor(request.user, slug)
    exercise = get_object_or_404(Exercise.objects.select_related("label_set"), slug=exercise_slug)
    form = AnalyticsForm(request.GET)
    which = form.cleaned_data["attempts"] if form.is_valid() else AnalyticsForm.DEFAULT
    context = {"course": course, "exercise": exercise, "form": form, "which": which, "Verdict": Verdict,
               **analytics.exercise_analytics(course, exercise, which)}  # fmt: skip
    return render(request, "courses/exercise_analytics.html", context, status=200 if form.is_valid() else 400)


@login_required
@require_safe
@never_cache
def course_student(request, slug, user_id):
    course, role = _course_for_member(request.user, slug)
    if role != Role.INSTRUCTOR and user_id != request.user.pk:
        raise Http404("No such student in your course.")
    student = get_object_or_404(course.students(), pk=user_id)
    attempts = analytics.attempts_with_answers(course, student)
    context = {
        "course": course,
        "student": student,
        "attempts": attempts,
        "is_instructor": role == Role.INSTRUCTOR,
        "Verdict": Verdict,
    }
    return render(request, "courses/student_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def regenerate_code(request, slug):
    course = _course_for_instructor(request.user, slug)
    if request.method == "GET":
        return render(request, "courses/confirm_new_code.html", {"course": course, "nav": "courses"})
    course.regenerate_code()
    messages.success(request, f"New join code: {course.join_code}. The old code no longer works.")
    return redirect(course)


@login_required
@require_POST
@never_cache
def add_instructor(request, slug):
    """Invite a co-instructor by username. The answer never says whether the account exists."""
    course = _course_for_instructor(request.user, slug)
    form = InstructorForm(request.POST, inviter=request.user)
    if not form.is_valid():
        return _dashboard(request, course, form, status=400)
    username = form.cleaned_data["username"]
    if course.invite(username, invited_by=request.user) is None:
        # Only for a name on this page's own list of instructors: nothing the inviter did not know.
        messages.info(request, f"{username} teaches this course already.")
    else:
        messages.success(request, f"If an account called {username} exists, they will see your invitation on their "
                                  "Courses page. They become an instructor when they accept.")  # fmt: skip
    return redirect(course)


def _invitation_for_instructor(user, slug, pk):
    """An invitation of a course the user teaches, or 404."""
    course = _course_for_instructor(user, slug)
    return get_object_or_404(course.invitations.select_related("course"), pk=pk)


def _invitation_for_invitee(user, pk):
    """An invitation waiting for this user's answer, or 404 (also once it is answered or withdrawn)."""
    return get_object_or_404(Invitation.objects.for_invitee(user), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def withdraw_invitation(request, slug, pk):
    invitation = _invitation_for_instructor(request.user, slug, pk)
    if request.method == "GET":
        context = {"course": invitation.course, "invitation": invitation, "nav": "courses"}
        return render(request, "courses/confirm_withdraw_invitation.html", context)
    invitation.delete()
    messages.success(request, f"The invitation to {invitation.username} is withdrawn.")
    return redirect(invitation.course)


@login_required
@require_POST
def accept_invitation(request, pk):
    invitation = _invitation_for_invitee(request.user, pk)
    try:
        before = invitation.accept()
    except Invitation.DoesNotExist:
        raise Http404("This invitation was answered or withdrawn.") from None
    course = invitation.course
    if before == Role.STUDENT:
        messages.success(request, f"You were a student of {course.title}; you now teach it. Your own attempts stay "
                                  "on your Progress page, and your row leaves the class dashboard.")  # fmt: skip
    elif before == Role.INSTRUCTOR:
        messages.info(request, f"You teach {course.title} already.")
    else:
        messages.success(request, f"You now teach {course.title}.")
    return redirect(course)


@login_required
@require_POST
def decline_invitation(request, pk):
    invitation = _invitation_for_invitee(request.user, pk)
    invitation.delete()
    messages.success(request, f"You declined to teach {invitation.course.title}.")
    return redirect("courses")


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def remove_student(request, slug, user_id):
    course = _course_for_instructor(request.user, slug)
    if request.method == "GET":
        student = get_object_or_404(course.students(), pk=user_id)
        context = {"course": course, "student": student, "nav": "courses"}
        return render(request, "courses/confirm_remove_student.html", context)
    student = get_object_or_404(get_user_model(), pk=user_id)
    if not course.remove_student(student):
        raise Http404("No such student in this course.")
    messages.success(request, f"{student.get_username()} is no longer in this course; their attempts are kept.")
    return redirect(course)


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def assignments(request, slug):
    course = _course_for_instructor(request.user, slug)
    # The bank, and the current revisions of the course's own: another course's exercise is no field here.
    exercises = [*Exercise.objects.in_layout_order(), *course.own_current_exercises()]
    assigned = {a.exercise_id: a for a in course.assignments.all()}
    context = {"course": course, "nav": "courses", "removing": []}
    if request.POST.get(SELECT) in ("all", "none"):
        # "Tick all" and "Untick all" without JavaScript: the same form again, ticked, nothing saved.
        data = AssignmentsForm.ticked(request.POST, exercises, request.POST[SELECT] == "all")
        form = AssignmentsForm(course, exercises, assigned, data)
        return render(request, "courses/assignments.html", {**context, "form": form})
    form = AssignmentsForm(course, exercises, assigned, request.POST or None)
    if request.method == "POST" and form.is_valid():
        removing = form.removed()
        if removing and not request.POST.get(CONFIRM):
            # Taking exercises away hides them from students: say which, and ask once more.
            return render(request, "courses/assignments.html", {**context, "form": form, "removing": removing})
        course.set_assignments(form.chosen(), form.time_zone)
        messages.success(request, "Assignments saved.")
        for exercise in form.newly_past_due():
            messages.warning(request, f"Warning: the due time you gave \u201c{exercise.title}\u201d has already "
                                      "passed, so students who have not done it see it as overdue.")  # fmt: skip
        return redirect(course)
    for error in form.non_field_errors():
        messages.error(request, error)
    status = 400 if request.method == "POST" else 200
    return render(request, "courses/assignments.html", {**context, "form": form}, status=status)


def _csv_response(lines, filename):
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_safe
@never_cache
def export_progress(request, slug):
    course = _course_for_instructor(request.user, slug)
    return _csv_response(exports.progress_csv(course), f"{course.slug}-progress.csv")


@login_required
@require_safe
@never_cache
def export_answers(request, slug):
    course = _course_for_instructor(request.user, slug)
    return _csv_response(exports.answers_csv(course), f"{course.slug}-answers.csv")


# Objections (issue 17): a course's instructors decide its students' objections; the site's content
# editors decide those of learners working on their own, and accept labels for everyone.
COURSE_DECISIONS = [(ACCEPT, "Accept for this course"), (REJECT, "Reject with the reply")]
EDITOR_DECISIONS = [(ACCEPT_FOR_EVERYONE, "Accept for everyone"), (REJECT, "Reject with the reply")]


def editors_only(view):
    """Only the site's content editors (see `manage.py grant_editor`) read and decide the self-study
    queue: anyone else gets a 403 page that says where a course's objections are decided."""

    @functools.wraps(view)
    def for_editors(request, *args, **kwargs):
        if not SelfStudy.can_decide(request.user):
            return render(request, "courses/editors_only.html", status=403)
        return view(request, *args, **kwargs)

    return for_editors


def _course_objection(user, slug, pk):
    """A course the user teaches and one of its objections (decided or not), or 404."""
    course = _course_for_instructor(user, slug)
    return course, get_object_or_404(course.objections().for_queue(), pk=pk)


def _self_study_objection(pk):
    """An objection from self-study (decided or not); 404 for a course's."""
    return get_object_or_404(SelfStudy.objections().for_queue(), pk=pk)


@login_required
@require_safe
@never_cache
def course_objections(request, slug):
    course = _course_for_instructor(request.user, slug)
    context = {"course": course, "zone": course.time_zone, "nav": "courses"}
    return _queue(request, course, COURSE_DECISIONS, context)


@login_required
@editors_only
@require_safe
@never_cache
def self_study_objections(request):
    return _queue(request, SelfStudy, EDITOR_DECISIONS, {"zone": settings.TIME_ZONE})


def _queue(request, queue, decisions, context, failed=None, status=200):
    page = queue_page(queue, request.POST.get("page") or request.GET.get("page"))
    for item in page.object_list:
        if failed is not None and item.objection.pk == failed.objection.pk:
            item.form = failed.form
    context = {**context, "page": page, "decisions": decisions, "failed": failed}
    return render(request, "courses/objections.html", context, status=status)


@login_required
@require_POST
@never_cache
@vary_on_headers("HX-Request")
def decide_course_objection(request, slug, pk):
    course, objection = _course_objection(request.user, slug, pk)
    actions = {ACCEPT: course.accept_objection, REJECT: course.reject_objection}
    context = {"course": course, "zone": course.time_zone, "nav": "courses"}
    return _decide(request, course, objection, actions, COURSE_DECISIONS, context)


@login_required
@editors_only
@require_POST
@never_cache
@vary_on_headers("HX-Request")
def decide_self_study_objection(request, pk):
    objection = _self_study_objection(pk)
    actions = {ACCEPT_FOR_EVERYONE: SelfStudy.accept_for_everyone, REJECT: SelfStudy.reject_objection}
    return _decide(request, SelfStudy, objection, actions, EDITOR_DECISIONS, {"zone": settings.TIME_ZONE})


def _decide(request, queue, objection, actions, decisions, context):
    """Apply the decision posted on `objection`. A plain POST goes back to the queue's page with a
    message; an htmx POST gets the item alone, decided. Refused (400, nothing written): an unknown
    decision, a rejection without a reply, an objection decided already."""
    form = DecisionForm(decisions, request.POST)
    decision = None
    if form.is_valid() and objection.is_open:
        try:
            decision = actions[form.cleaned_data["decision"]](objection, request.user, form.cleaned_data["reply"])
        except ObjectionClosed:
            pass  # decided by someone else a moment ago: said below
    # Read again, as decided: by this request, or by someone else before it.
    item = queue_items(queue, [queue.objections().for_queue().get(pk=objection.pk)])[0]
    if decision is None:
        if form.is_valid():
            status = item.objection.get_status_display()
            form.add_error(None, f"This objection was decided already ({status}): nothing was changed.")
        item.form = form
        if request.htmx:
            context = {**context, "item": item, "decisions": decisions}
            return render(request, "courses/objections.html#item", context, status=400)
        return _queue(request, queue, decisions, context, failed=item, status=400)
    notice = _decision_notice(decision, context.get("course"))
    if request.htmx:
        return render(request, "courses/objections.html#item", {**context, "item": item, "notice": notice})
    messages.success(request, notice)
    page = request.POST.get("page", "")
    return redirect(_queue_url(context.get("course")) + (f"?page={page}" if page.isdigit() else ""))


def _queue_url(course):
    return reverse("course_objections", args=[course.slug]) if course else reverse("objections")


def _decision_notice(decision, course):
    if not decision.accepted:
        return "Rejected. The learner sees your reply with their answer."
    where = f"for {course.title}" if course else "for everyone"
    answers = f"{decision.regraded} answer{pluralize(decision.regraded)}"
    others = decision.objections - 1
    settled = f" {others} other objection{pluralize(others)} on the same label decided with it." if others else ""
    return f"Accepted {where}: {answers} regraded from wrong to accepted.{settled} The learner sees your decision."
