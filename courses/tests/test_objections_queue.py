"""Deciding objections (issue 17): a course's instructors review their students' objections and accept
a label for the course or reject it with a reply; the site's content editors do the same for
learners working on their own, and accept for everyone. Accepting regrades past answers in the
scope, in one audited transaction, and counts for new attempts."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils.html import escape

from courses.models import CourseAcceptedLabel, ObjectionClosed, SelfStudy
from courses.objection_queue import OBJECTIONS_PER_PAGE
from exercises.models import (
    AcceptedLabel,
    Answer,
    Attempt,
    Exercise,
    Objection,
    ObjectionQuerySet,
    ObjectionStatus,
    Verdict,
    VerdictChange,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def lee():
    return Exercise.objects.get(slug="lee-2016-abstract")


@pytest.fixture
def co_instructor(make, course):
    user = make.user("co-instructor")
    course.add_instructor(user)
    return user


@pytest.fixture
def other_course(make):
    return make.course(make.user("other-instructor"), "Writing 202")


@pytest.fixture
def editor(make):
    user = make.user("editor")
    user.user_permissions.add(Permission.objects.get(codename="decide_objections"))
    return user


def wrong_attempt(make, user, exercise, course=None):
    """An attempt with every sentence wrong (the same wrong label for everyone), for `course` or on one's own."""
    if course is not None:
        course.join(user)
    return make.attempt(make.learner(user), exercise, right=False, course=course)


@pytest.fixture
def contested(make, course, student, lee):
    """A student's open objection on an attempt made for the course."""
    return make.objection(wrong_attempt(make, student, lee, course))


def queue_url(course):
    return reverse("course_objections", args=[course.slug])


def decide_url(course, objection):
    return reverse("course_objection_decide", args=[course.slug, objection.pk])


def editor_decide_url(objection):
    return reverse("objection_decide", args=[objection.pk])


def contested_answers(objection, **scope):
    return Answer.objects.filter(sentence=objection.sentence, chosen=objection.chosen, **scope)


def item_ids(html):
    return [int(pk) for pk in re.findall(r'<article id="objection-(\d+)"', html)]


# Who may read and decide a course's queue: every role, generated from one table.
COURSE_ACCESS = [
    # role, GET queue, POST decide
    ("anonymous", "login", "login"),
    ("student", 404, 404),
    ("stranger", 404, 404),
    ("other_instructor", 404, 404),
    ("editor", 404, 404),
    ("instructor", 200, 302),
    ("co_instructor", 200, 302),
]


@pytest.mark.parametrize("role, get_status, post_status", COURSE_ACCESS, ids=[row[0] for row in COURSE_ACCESS])
def test_only_the_courses_instructors_read_and_decide_its_queue(
    client, request, contested, course, other_course, role, get_status, post_status
):
    if role == "other_instructor":
        client.force_login(other_course.instructors().get())
    elif role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    for response, expected in [
        (client.get(queue_url(course)), get_status),
        (client.post(decide_url(course, contested), {"decision": "reject", "reply": "No."}), post_status),
    ]:
        if expected == "login":
            assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")
        else:
            assert response.status_code == expected
    contested.refresh_from_db()
    assert contested.is_open is (post_status != 302)


def test_the_queue_takes_no_get_on_decide_and_no_post_on_itself(client, instructor, contested, course):
    client.force_login(instructor)
    assert client.get(decide_url(course, contested)).status_code == 405
    assert client.post(queue_url(course)).status_code == 405


def test_an_instructor_sees_only_their_courses_open_objections_oldest_first(
    client, make, instructor, course, other_course, student, lee
):
    first = make.objection(wrong_attempt(make, student, lee, course))
    second = make.objection(wrong_attempt(make, make.user("classmate"), lee, course))
    decided = make.objection(wrong_attempt(make, make.user("decided"), lee, course))
    course.reject_objection(decided, instructor, "It is the method.")
    make.objection(wrong_attempt(make, make.user("elsewhere"), lee, other_course))
    make.objection(wrong_attempt(make, make.user("on-their-own"), lee))
    client.force_login(instructor)
    html = client.get(queue_url(course)).content.decode()
    assert item_ids(html) == [first.pk, second.pk]
    assert "Waiting for a decision: 2" in html


def test_a_queue_item_shows_the_sentence_in_its_passage_the_labels_and_the_learners_reason_escaped(
    client, make, instructor, course, student, lee
):
    objection = make.objection(wrong_attempt(make, student, lee, course), reason="<script>alert(1)</script> Both fit.")
    for name in ("classmate-1", "classmate-2"):
        wrong_attempt(make, make.user(name), lee, course)
    wrong_attempt(make, make.user("on-their-own"), lee)  # chose the same, but not in this course
    client.force_login(instructor)
    html = client.get(queue_url(course)).content.decode()
    sentence = objection.sentence
    assert escape(lee.title) in html
    assert f'<mark class="contested">{sentence.text_html}</mark>' in html
    for other in lee.sentences.exclude(pk=sentence.pk):
        assert other.text_html in html
    assert sentence.label.name in html and sentence.explanation_html in html
    assert f"<strong>{objection.chosen.name}</strong>" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Both fit." in html and "<script>alert(1)" not in html
    assert "2 other learners in this course chose it too" in html
    assert "From student," in html  # instructors know their students


def test_accepting_regrades_every_matching_answer_of_the_course_and_nothing_elsewhere(
    client, make, instructor, course, other_course, student, lee
):
    objection = make.objection(wrong_attempt(make, student, lee, course), reason="Mine fits.")
    classmate = make.user("classmate")
    again = wrong_attempt(make, classmate, lee, course)
    classmates_objection = make.objection(again, reason="Mine too.")
    elsewhere = wrong_attempt(make, make.user("elsewhere"), lee, other_course)
    on_their_own = wrong_attempt(make, student, lee)  # the same student, practising on their own
    course_attempts = list(Attempt.objects.filter(course_link__course=course))
    scores_before = {attempt.pk: attempt.correct for attempt in Attempt.objects.all()}

    client.force_login(instructor)
    response = client.post(decide_url(course, objection), {"decision": "accept", "reply": "Fair: it does both."})

    assert response.status_code == 302 and response["Location"] == queue_url(course)
    regraded = contested_answers(objection, attempt__course_link__course=course)
    assert regraded.count() == 2 and set(regraded.values_list("verdict", flat=True)) == {Verdict.ACCEPTED}
    for attempt in course_attempts:
        attempt.refresh_from_db()
        assert attempt.correct == scores_before[attempt.pk] + 1
        assert attempt.correct == attempt.answers.exclude(verdict=Verdict.WRONG).count()
    changes = VerdictChange.objects.filter(answer__in=regraded)
    assert changes.count() == 2 == VerdictChange.objects.count()
    assert {(c.before, c.after, c.changed_by_id) for c in changes} == {(Verdict.WRONG, Verdict.ACCEPTED, instructor.pk)}
    assert {c.reason for c in changes} == {f"objection {objection.pk} accepted for course {course.slug}"}
    for untouched in (elsewhere, on_their_own):
        untouched.refresh_from_db()
        assert untouched.correct == scores_before[untouched.pk]
        assert not untouched.answers.exclude(verdict=Verdict.WRONG).exists()
    assert CourseAcceptedLabel.objects.filter(
        course=course, sentence=objection.sentence, label=objection.chosen, decided_by=instructor
    ).exists()
    # Every open objection of the course on that label is decided with it, with the same reply.
    for decided in (objection, classmates_objection):
        decided.refresh_from_db()
        assert (decided.status, decided.reply, decided.decided_by) == (ObjectionStatus.ACCEPTED, "Fair: it does both.",
                                                                        instructor)  # fmt: skip
        assert decided.decided is not None
    page = client.get(response["Location"]).content.decode()
    assert "Accepted for Writing 101: 2 answers regraded from wrong to accepted." in page
    assert "1 other objection on the same label decided with it." in page


def test_after_accepting_new_attempts_for_the_course_count_the_label_and_self_study_does_not(
    client, make, instructor, course, student, contested, lee
):
    course.accept_objection(contested, instructor)
    client.force_login(student)
    data = make.answers(lee, right=False)
    client.post(reverse("exercise_submit", args=[lee.slug]), {**data, "for": course.slug})
    for_course = Attempt.objects.filter(course_link__course=course).order_by("-pk").first()
    client.post(reverse("exercise_submit", args=[lee.slug]), data)
    on_their_own = Attempt.objects.filter(course_link__isnull=True).get()
    assert for_course.answers.get(sentence=contested.sentence).verdict == Verdict.ACCEPTED
    assert on_their_own.answers.get(sentence=contested.sentence).verdict == Verdict.WRONG
    assert for_course.correct == on_their_own.correct + 1


def test_rejecting_needs_a_reply_and_changes_no_verdict(client, instructor, course, contested):
    client.force_login(instructor)
    response = client.post(decide_url(course, contested), {"decision": "reject", "reply": "  "})
    assert response.status_code == 400
    assert "Write a reply to reject" in response.content.decode()
    contested.refresh_from_db()
    assert contested.is_open

    data = {"decision": "reject", "reply": "It states the aim.", "page": "2"}
    response = client.post(decide_url(course, contested), data)
    assert response.status_code == 302 and response["Location"] == queue_url(course) + "?page=2"  # back where it was
    contested.refresh_from_db()
    assert (contested.status, contested.reply, contested.decided_by) == (
        ObjectionStatus.REJECTED, "It states the aim.", instructor
    )  # fmt: skip
    assert contested.answer.verdict == Verdict.WRONG
    assert not VerdictChange.objects.exists() and not CourseAcceptedLabel.objects.exists()


def state():
    """What a decision may write."""
    return (
        sorted(Objection.objects.values_list("pk", "status", "reply")),
        sorted(Answer.objects.values_list("pk", "verdict")),
        sorted(Attempt.objects.values_list("pk", "correct")),
        VerdictChange.objects.count(),
        CourseAcceptedLabel.objects.count(),
        AcceptedLabel.objects.count(),
        sorted(Exercise.objects.values_list("pk", "guide_version")),
    )


@pytest.mark.parametrize(
    "data, message",
    [
        ({"decision": "approve", "reply": ""}, "approve is not a decision this queue offers"),
        ({"decision": "accept-everyone", "reply": ""}, "accept-everyone is not a decision this queue offers"),
        ({"reply": "Yes."}, "Choose a decision"),
        ({"decision": "reject", "reply": ""}, "Write a reply to reject"),
        ({"decision": "reject", "reply": "x" * 1001}, "Keep your reply to 1000 characters (it has 1001)."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_writes_nothing(client, instructor, course, contested, data, message):
    client.force_login(instructor)
    before = state()
    for headers in ({}, HTMX):
        response = client.post(decide_url(course, contested), data, **headers)
        assert response.status_code == 400
        assert message in response.content.decode()
    assert state() == before


def test_an_objection_decided_already_is_refused_and_shown_as_decided(client, instructor, co_instructor, course,
                                                                         contested):  # fmt: skip
    course.reject_objection(contested, co_instructor, "Not this time.")
    client.force_login(instructor)
    before = state()
    response = client.post(decide_url(course, contested), {"decision": "accept"}, **HTMX)
    assert response.status_code == 400
    html = response.content.decode()
    assert "This objection was decided already (not accepted): nothing was changed." in html
    assert 'data-status="rejected"' in html and "by co-instructor" in html and "Not this time." in html
    response = client.post(decide_url(course, contested), {"decision": "accept"})
    assert response.status_code == 400 and "This objection was decided already" in response.content.decode()
    assert state() == before


def test_a_decision_raced_by_another_reviewer_writes_nothing(instructor, course, contested):
    Objection.objects.filter(pk=contested.pk).update(status=ObjectionStatus.REJECTED)  # decided a moment ago
    before = state()
    with pytest.raises(ObjectionClosed):
        course.accept_objection(contested, instructor, "")
    assert state() == before


def test_an_objection_of_another_course_is_404_through_this_one(client, make, instructor, course, other_course, lee):
    theirs = make.objection(wrong_attempt(make, make.user("elsewhere"), lee, other_course))
    on_their_own = make.objection(wrong_attempt(make, make.user("on-their-own"), lee))
    client.force_login(instructor)
    before = state()
    for objection in (theirs, on_their_own):
        assert client.post(decide_url(course, objection), {"decision": "accept"}).status_code == 404
    assert state() == before


def test_the_regrade_is_one_transaction_nothing_changes_when_deciding_fails_after_it(
    make, monkeypatch, instructor, course, contested, lee
):
    wrong_attempt(make, make.user("classmate"), lee, course)
    alone = make.objection(wrong_attempt(make, make.user("alone"), lee))
    before = state()
    seen = []

    def fail_after_the_regrade(queryset, **fields):
        # By now the verdicts are updated, in the transaction this failure must undo.
        seen.append(contested_answers(contested, verdict=Verdict.ACCEPTED).count())
        raise RuntimeError("the objections' status could not be written")

    monkeypatch.setattr(ObjectionQuerySet, "update", fail_after_the_regrade)
    with pytest.raises(RuntimeError):
        course.accept_objection(contested, instructor, "Yes.")
    with pytest.raises(RuntimeError):
        SelfStudy.accept_for_everyone(alone, instructor)
    monkeypatch.undo()
    assert seen == [2, 3]  # the course's two answers; then everyone's three
    assert state() == before


def test_an_htmx_decision_returns_only_the_decided_queue_item(client, instructor, course, contested):
    client.force_login(instructor)
    response = client.post(decide_url(course, contested), {"decision": "accept", "reply": "<b>Yes</b>"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<article id="objection-{contested.pk}"') and "<html" not in html
    assert 'data-status="accepted"' in html and "Accepted for Writing 101: 1 answer regraded" in html
    assert "Reply: &lt;b&gt;Yes&lt;/b&gt;" in html
    assert "Vary" in response and "HX-Request" in response["Vary"]


def test_every_decision_form_posts_without_javascript(client, instructor, course, contested):
    client.force_login(instructor)
    html = client.get(queue_url(course)).content.decode()
    form = re.search(r'<form method="post" action="([^"]+)" hx-post="([^"]+)"[^>]*>(.*?)</form>', html, re.S)
    assert form.group(1) == form.group(2) == decide_url(course, contested)
    assert "csrfmiddlewaretoken" in form.group(3)
    assert re.search(r'<button type="submit" name="decision" value="accept"[^>]*>Accept for this course', form.group(3))
    assert 'value="reject"' in form.group(3) and 'name="reply"' in form.group(3)
    assert ">Leave open</a>" in form.group(3)


def test_the_queue_pages_oldest_first(client, make, instructor, course, lee):
    objections = [make.objection(wrong_attempt(make, make.user(f"s{i:02d}"), lee, course)) for i in range(25)]
    client.force_login(instructor)
    first = item_ids(client.get(queue_url(course)).content.decode())
    second = item_ids(client.get(queue_url(course) + "?page=2").content.decode())
    assert first + second == [objection.pk for objection in objections]
    assert len(first) == OBJECTIONS_PER_PAGE


def objections_in(course, make, exercises, size, prefix):
    """`size` students of `course`, each with an open objection, on `exercises` in turn."""
    for index in range(size):
        exercise = exercises[index % len(exercises)]
        make.objection(wrong_attempt(make, make.user(f"{prefix}{index:02d}"), exercise, course))


@pytest.mark.parametrize("size", [2, 30])
def test_the_course_queue_takes_the_same_queries_however_many_objections_and_students(
    client, make, instructor, course, lee, django_assert_num_queries, size
):
    exercises = [lee, *Exercise.objects.exclude(pk=lee.pk).filter(exemplar=True)[:2]]
    objections_in(course, make, exercises, size, "s")
    client.force_login(instructor)
    # session, user, membership+course, objection count, a page of objections (with their sentence,
    # exercise, labels, learner and account), the passages' sentences, learners choosing the same label,
    # the count of new answers to one's questions (the navigation shows it, issue 18)
    with django_assert_num_queries(8):
        html = client.get(queue_url(course)).content.decode()
    assert len(item_ids(html)) == min(size, OBJECTIONS_PER_PAGE)


@pytest.mark.parametrize("size", [2, 30])
def test_the_editors_queue_takes_the_same_queries_however_many_objections(
    client, make, editor, lee, django_assert_num_queries, size
):
    exercises = [lee, *Exercise.objects.exclude(pk=lee.pk).filter(exemplar=True)[:2]]
    for index in range(size):
        make.objection(wrong_attempt(make, make.user(f"alone{index:02d}"), exercises[index % 3]))
    client.force_login(editor)
    # session, user, the user's permissions, their groups' permissions, objection count, a page of
    # objections, the passages' sentences, learners choosing the same label,
    # the count of new answers to one's questions (the navigation shows it, issue 18)
    with django_assert_num_queries(9):
        html = client.get(reverse("objections")).content.decode()
    assert len(item_ids(html)) == min(size, OBJECTIONS_PER_PAGE)


def test_the_dashboard_counts_the_open_objections_and_links_the_queue(client, make, instructor, course, lee):
    client.force_login(instructor)
    html = client.get(course.get_absolute_url()).content.decode()
    assert f'<a href="{queue_url(course)}">Objections from students</a>: none waiting for a decision.' in html
    objections_in(course, make, [lee], 3, "s")
    make.objection(wrong_attempt(make, make.user("on-their-own"), lee))  # not the course's
    html = client.get(course.get_absolute_url()).content.decode()
    assert f'<a href="{queue_url(course)}"><strong>3 objections</strong> from students waiting' in html


# The editors' queue: self-study objections, decided for everyone.


@pytest.mark.parametrize("role", ["student", "instructor", "stranger"])
def test_a_non_editor_is_refused_at_objections(client, request, make, lee, role):
    objection = make.objection(wrong_attempt(make, make.user("on-their-own"), lee))
    client.force_login(request.getfixturevalue(role))
    before = state()
    response = client.get(reverse("objections"))
    assert response.status_code == 403
    assert "your students' objections are on the course's own page" in response.content.decode()
    assert client.post(editor_decide_url(objection), {"decision": "accept-everyone"}).status_code == 403
    assert state() == before


def test_anonymous_visitors_are_sent_to_log_in_at_objections(client, make, lee):
    objection = make.objection(wrong_attempt(make, make.user("on-their-own"), lee))
    for response in (client.get(reverse("objections")), client.post(editor_decide_url(objection), {})):
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")


def test_an_editor_sees_only_self_study_objections_and_not_who_raised_them(client, make, editor, course, lee):
    mine = make.objection(wrong_attempt(make, make.user("on-their-own"), lee))
    courses = make.objection(wrong_attempt(make, make.user("in-a-course"), lee, course))
    client.force_login(editor)
    html = client.get(reverse("objections")).content.decode()
    assert item_ids(html) == [mine.pk]
    assert "From a self-study learner," in html and "on-their-own" not in html
    assert 'value="accept-everyone"' in html and "Accept for everyone" in html
    # A course's objection is its instructors' to decide.
    assert client.post(editor_decide_url(courses), {"decision": "accept-everyone"}).status_code == 404
    assert client.post(editor_decide_url(mine), {"decision": "accept"}).status_code == 400


def test_an_editors_accept_for_everyone_regrades_every_scope_and_counts_for_new_attempts(
    client, make, editor, course, other_course, lee
):
    objection = make.objection(wrong_attempt(make, make.user("on-their-own"), lee))
    in_course = make.objection(wrong_attempt(make, make.user("in-a-course"), lee, course))
    wrong_attempt(make, make.user("elsewhere"), lee, other_course)
    Exercise.objects.get(pk=lee.pk).page_content()  # cached in this process, under the current version
    version = lee.guide_version

    client.force_login(editor)
    response = client.post(editor_decide_url(objection), {"decision": "accept-everyone", "reply": "Agreed."})

    assert response.status_code == 302 and response["Location"] == reverse("objections")
    answers = contested_answers(objection)
    assert answers.count() == 3 and set(answers.values_list("verdict", flat=True)) == {Verdict.ACCEPTED}
    assert VerdictChange.objects.filter(reason=f"objection {objection.pk} accepted for everyone").count() == 3
    assert AcceptedLabel.objects.filter(sentence=objection.sentence, label=objection.chosen, decided_by=editor).exists()
    for decided in (objection, in_course):  # the label is accepted everywhere: so is every objection to it
        decided.refresh_from_db()
        assert (decided.status, decided.reply) == (ObjectionStatus.ACCEPTED, "Agreed.")
    lee.refresh_from_db()
    assert lee.guide_version != version

    client.post(reverse("exercise_submit", args=[lee.slug]), make.answers(lee, right=False))
    new = Attempt.objects.filter(learner__user=editor).get()
    assert new.answers.get(sentence=objection.sentence).verdict == Verdict.ACCEPTED


def test_an_editors_rejection_needs_a_reply_and_changes_no_verdict(client, make, editor, lee):
    objection = make.objection(wrong_attempt(make, make.user("on-their-own"), lee))
    client.force_login(editor)
    assert client.post(editor_decide_url(objection), {"decision": "reject"}).status_code == 400
    response = client.post(editor_decide_url(objection), {"decision": "reject", "reply": "The file is right."}, **HTMX)
    assert response.status_code == 200 and 'data-status="rejected"' in response.content.decode()
    objection.refresh_from_db()
    assert (objection.status, objection.reply, objection.decided_by) == (
        ObjectionStatus.REJECTED, "The file is right.", editor
    )  # fmt: skip
    assert objection.answer.verdict == Verdict.WRONG and not AcceptedLabel.objects.exists()
