"""Moderation: reports, hiding and showing posts, held first posts and the review queue, pinning
and closing. Personas: `student` (of the course), `other_student`, `instructor` (of the course),
`other_instructor` (of another course), `moderator` (the permission, no course) and `stranger`."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from questions import moderation_views
from questions.models import Place, PostState, Question, Reply, Report

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
THANKS = "Thanks: moderators will look at it."


@pytest.fixture
def hold_two(settings):
    settings.QUESTIONS_HOLD_FIRST_POSTS = 2


def ask(author, lesson, course=None, title="Why state the gap first?", body="The abstract opens with the gap."):
    return Question.ask(author, Place.LESSON, lesson, title, body, course=course)


@pytest.fixture
def public_question(other_student, lesson):
    return ask(other_student, lesson, title="A public question about hedges")


@pytest.fixture
def course_question(course, other_student, lesson):
    course.join(other_student)
    return ask(other_student, lesson, course=course, title="A question to the class about moves")


def reread(post):
    return type(post).objects.get(pk=post.pk)


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# Reporting


def test_a_reader_reports_a_question_and_is_thanked(client, student, public_question):
    client.force_login(student)
    response = client.post(reverse("question_report", args=[public_question.pk]), {"reason": "Rude to the asker."})
    assert response.status_code == 302
    assert response["Location"] == reverse("question", args=[public_question.pk])
    assert messages_of(response) == [THANKS]
    report = Report.objects.get()
    assert (report.question, report.reply, report.reporter) == (public_question, None, student)
    assert report.reason == "Rude to the asker."
    assert not report.resolved


def test_a_plain_post_returns_to_the_page_the_form_was_on_but_never_to_another_site(client, student, public_question):
    client.force_login(student)
    url = reverse("question_report", args=[public_question.pk])
    response = client.post(url, {"reason": "Spam.", "next": "/questions/?q=hedges"})
    assert response["Location"] == "/questions/?q=hedges"
    reply = public_question.answer(public_question.author, "An answer.")
    response = client.post(
        reverse("reply_report", args=[reply.pk]), {"reason": "Spam.", "next": "https://evil.example/"}
    )
    assert response["Location"] == f"{reverse('question', args=[public_question.pk])}#answer-{reply.pk}"


def test_a_post_is_reported_once_per_reader(client, student, public_question):
    client.force_login(student)
    url = reverse("question_report", args=[public_question.pk])
    client.post(url, {"reason": "Rude."})
    response = client.post(url, {"reason": "Still rude."})
    assert response.status_code == 400
    assert "You reported this post already: moderators will look at it." in response.content.decode()
    assert Report.objects.count() == 1


def test_htmx_report_returns_only_the_posts_controls_with_the_thanks(client, student, public_question):
    client.force_login(student)
    response = client.post(reverse("question_report", args=[public_question.pk]), {"reason": "Off topic."}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<div class="post-controls" id="controls-question-{public_question.pk}"')
    assert THANKS in html and "<html" not in html
    assert "Send the report" not in html  # once is enough
    assert response["Vary"] and "HX-Request" in response["Vary"]


@pytest.mark.parametrize("reason", ["", "   ", "x" * 501])
def test_a_report_needs_a_reason_of_at_most_500_characters(client, student, public_question, reason):
    client.force_login(student)
    response = client.post(reverse("question_report", args=[public_question.pk]), {"reason": reason}, **HTMX)
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Report.objects.exists()


def test_a_refused_plain_report_shows_the_form_again_on_its_own_page(client, student, public_question):
    client.force_login(student)
    response = client.post(reverse("question_report", args=[public_question.pk]), {"reason": ""})
    html = response.content.decode()
    assert response.status_code == 400
    assert "<html" in html and "Say what is wrong with this post" in html
    assert '<details class="report-post" open>' in html


def test_an_answer_is_reported_like_a_question(client, student, public_question, other_student):
    reply = public_question.answer(other_student, "Read the lesson again.")
    client.force_login(student)
    response = client.post(reverse("reply_report", args=[reply.pk]), {"reason": "Unkind."})
    assert response.status_code == 302
    assert Report.objects.get().reply == reply


def test_nobody_reports_their_own_post(client, other_student, public_question):
    client.force_login(other_student)
    response = client.post(reverse("question_report", args=[public_question.pk]), {"reason": "Oops."})
    assert response.status_code == 400
    assert "This is your own post" in response.content.decode()
    assert not Report.objects.exists()


def test_a_post_one_cannot_see_cannot_be_reported(client, stranger, course_question, public_question, student):
    client.force_login(stranger)
    response = client.post(reverse("question_report", args=[course_question.pk]), {"reason": "Spam."})
    assert response.status_code == 404
    hidden = public_question.answer(student, "Hidden soon.")
    hidden.hide(by=None, reason="Off topic.")
    response = client.post(reverse("reply_report", args=[hidden.pk]), {"reason": "Spam."})
    assert response.status_code == 404
    assert not Report.objects.exists()


def test_reporting_needs_an_account_and_a_post(client, public_question):
    url = reverse("question_report", args=[public_question.pk])
    response = client.post(url, {"reason": "Spam."})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.force_login(public_question.author)
    assert client.get(url).status_code == 405
    assert not Report.objects.exists()


def test_reports_are_throttled_per_account_and_hour(client, student, make, lesson, monkeypatch):
    monkeypatch.setattr(moderation_views, "REPORTS_PER_HOUR", 2)
    author = make.user("prolific")
    questions = [ask(author, lesson, title=f"Question {index}") for index in range(4)]
    client.force_login(student)
    for question in questions[:2]:
        assert client.post(reverse("question_report", args=[question.pk]), {"reason": "Spam."}).status_code == 302
    response = client.post(reverse("question_report", args=[questions[2].pk]), {"reason": "Spam."})
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert "You have sent 2 reports in the last hour" in response.content.decode()
    assert Report.objects.count() == 2
    # An hour later the oldest no longer counts.
    oldest = Report.objects.get(question=questions[0])
    Report.objects.filter(pk=oldest.pk).update(created=oldest.created - timedelta(hours=1))
    assert client.post(reverse("question_report", args=[questions[2].pk]), {"reason": "Spam."}).status_code == 302


# Hiding and showing


def test_a_moderator_hides_a_post_and_others_no_longer_see_it(client, moderator, public_question, student):
    client.force_login(moderator)
    response = client.post(reverse("question_hide", args=[public_question.pk]), {"reason": "Personal attack."})
    assert response.status_code == 302
    question = reread(public_question)
    assert (question.state, question.moderated_by) == (PostState.HIDDEN, moderator)
    assert question.hidden_reason == "Personal attack."
    assert not Question.objects.visible_to(student).filter(pk=question.pk).exists()
    assert not Question.objects.visible_to(student).search("hedges").exists()
    assert Question.objects.visible_to(question.author).filter(pk=question.pk).exists()


def test_a_moderator_sees_held_and_hidden_public_posts_but_never_a_course_they_are_not_in(
    moderator, public_question, course_question, lesson, make, settings
):
    public_question.hide(moderator, "Spam.")
    settings.QUESTIONS_HOLD_FIRST_POSTS = 1
    held = ask(make.user("newcomer"), lesson, title="Held")
    seen = set(Question.objects.visible_to(moderator).values_list("pk", flat=True))
    assert seen == {public_question.pk, held.pk}


def test_hiding_closes_the_posts_open_reports(client, moderator, student, public_question):
    public_question.report(student, "Spam.")
    client.force_login(moderator)
    client.post(reverse("question_hide", args=[public_question.pk]), {"reason": "Spam."})
    assert Report.objects.get().resolved


@pytest.mark.parametrize("reason", ["", "x" * 501])
def test_hiding_needs_a_reason_its_author_reads(client, moderator, public_question, reason):
    client.force_login(moderator)
    response = client.post(reverse("question_hide", args=[public_question.pk]), {"reason": reason})
    assert response.status_code == 400
    assert reread(public_question).state == PostState.VISIBLE


def test_the_author_sees_their_hidden_post_with_the_reason_and_others_do_not(
    client, moderator, public_question, student
):
    public_question.hide(moderator, "Please ask this in the lesson's own words.")
    client.force_login(public_question.author)
    html = client.get(reverse("question", args=[public_question.pk])).content.decode()
    assert public_question.title in html and "Please ask this in the lesson&#x27;s own words." in html
    client.force_login(student)
    assert client.get(reverse("question", args=[public_question.pk])).status_code == 404
    assert public_question.title not in client.get(reverse("questions")).content.decode()
    assert public_question.title not in client.get(reverse("questions"), {"q": "hedges"}).content.decode()


def test_hiding_an_answer_takes_it_out_of_the_questions_count(client, moderator, public_question, student):
    reply = public_question.answer(student, "Hedges soften a claim.")
    assert reread(public_question).reply_count == 1
    client.force_login(moderator)
    client.post(reverse("reply_hide", args=[reply.pk]), {"reason": "Copied from elsewhere."})
    assert reread(reply).state == PostState.HIDDEN
    assert reread(public_question).reply_count == 0
    client.post(reverse("reply_show", args=[reply.pk]))
    assert reread(reply).state == PostState.VISIBLE
    assert reread(public_question).reply_count == 1


def test_the_courses_instructor_hides_the_courses_posts(client, instructor, course_question, student):
    client.force_login(instructor)
    response = client.post(reverse("question_hide", args=[course_question.pk]), {"reason": "Not for this class."})
    assert response.status_code == 302
    assert reread(course_question).state == PostState.HIDDEN
    reply = course_question.answer(course_question.author, "My own follow-up.")
    client.post(reverse("reply_hide", args=[reply.pk]), {"reason": "Duplicate."})
    assert reread(reply).state == PostState.HIDDEN


def test_another_courses_instructor_gets_404_for_its_posts_and_403_for_public_ones(
    client, other_instructor, other_course, course_question, public_question
):
    client.force_login(other_instructor)
    for name in ["question_hide", "question_show", "question_pin", "question_close"]:
        assert client.post(reverse(name, args=[course_question.pk]), {"reason": "x"}).status_code == 404
        response = client.post(reverse(name, args=[public_question.pk]), {"reason": "x"})
        assert response.status_code == 403
        assert "Only the site&#x27;s moderators, and the instructors" in response.content.decode()
    for question in [course_question, public_question]:
        fresh = reread(question)
        assert (fresh.state, fresh.pinned, fresh.closed, fresh.moderated_by) == (PostState.VISIBLE, False, False, None)


def test_a_student_may_not_hide_a_classmates_answer(client, student, course, course_question):
    course.join(student)
    reply = course_question.answer(course_question.author, "An answer.")
    client.force_login(student)
    assert client.post(reverse("reply_hide", args=[reply.pk]), {"reason": "x"}).status_code == 403
    assert client.post(reverse("reply_show", args=[reply.pk])).status_code == 403
    assert reread(reply).state == PostState.VISIBLE


def test_a_moderator_does_not_reach_a_course_they_are_not_in(client, moderator, course_question):
    client.force_login(moderator)
    assert client.post(reverse("question_hide", args=[course_question.pk]), {"reason": "x"}).status_code == 404
    assert reread(course_question).state == PostState.VISIBLE


def test_moderation_needs_an_account_and_a_post(client, public_question):
    for name in ["question_hide", "question_show", "question_pin", "question_close"]:
        url = reverse(name, args=[public_question.pk])
        response = client.post(url, {"reason": "x"})
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.force_login(public_question.author)
    assert client.get(reverse("question_hide", args=[public_question.pk])).status_code == 405


def test_htmx_hide_returns_the_controls_offering_to_show_it_again(client, moderator, public_question):
    client.force_login(moderator)
    response = client.post(reverse("question_hide", args=[public_question.pk]), {"reason": "Spam."}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "Hidden. Its author sees it with your reason" in html and "Show again" in html


def test_show_restores_a_hidden_post(client, moderator, public_question, student):
    public_question.hide(moderator, "Spam.")
    client.force_login(moderator)
    response = client.post(reverse("question_show", args=[public_question.pk]))
    assert messages_of(response) == ["Shown again to everyone who can see the question."]
    question = reread(public_question)
    assert (question.state, question.hidden_reason) == (PostState.VISIBLE, "")
    assert Question.objects.visible_to(student).filter(pk=question.pk).exists()


def test_keeping_a_reported_post_closes_its_reports(client, moderator, student, public_question):
    public_question.report(student, "I disagree with it.")
    client.force_login(moderator)
    response = client.post(reverse("question_show", args=[public_question.pk]))
    assert messages_of(response) == ["Kept: its reports are closed."]
    assert Report.objects.get().resolved
    assert reread(public_question).state == PostState.VISIBLE


# Held first posts


def test_a_new_accounts_first_posts_wait_for_review_until_two_were_shown(
    client, hold_two, make, lesson, moderator, student
):
    newcomer = make.user("newcomer")
    first = ask(newcomer, lesson, title="My first question on hedges")
    assert first.state == PostState.HELD
    # Nobody else sees it: not in lists, search or counts.
    for reader in [student]:
        assert not Question.objects.visible_to(reader).filter(pk=first.pk).exists()
        assert not Question.objects.visible_to(reader).search("first question").exists()
    client.force_login(student)
    assert client.get(reverse("question", args=[first.pk])).status_code == 404
    assert first.title not in client.get(reverse("questions")).content.decode()
    # Its author sees it, waiting.
    client.force_login(newcomer)
    html = client.get(reverse("question", args=[first.pk])).content.decode()
    assert first.title in html and "waits for review" in html
    # The moderator finds it in the review queue and approves it.
    client.force_login(moderator)
    assert first.title in client.get(reverse("questions_review")).content.decode()
    response = client.post(reverse("question_show", args=[first.pk]))
    assert messages_of(response) == ["Approved: everyone who can see the question sees it now."]
    assert Question.objects.visible_to(student).filter(pk=first.pk).exists()
    # One shown: the next is still held; two shown: no longer.
    second = reread(first).answer(newcomer, "Answering myself.")
    assert second.state == PostState.HELD
    assert reread(first).reply_count == 0
    second.show(moderator)
    assert reread(first).reply_count == 1
    third = ask(newcomer, lesson, title="Now shown at once")
    assert third.state == PostState.VISIBLE


def test_posts_are_not_held_when_the_setting_is_off(make, lesson):
    assert ask(make.user("newcomer"), lesson).state == PostState.VISIBLE


def test_the_review_queue_lists_held_and_reported_posts_with_the_reasons(
    client, settings, make, lesson, moderator, student, public_question
):
    settings.QUESTIONS_HOLD_FIRST_POSTS = 2
    held = ask(make.user("newcomer"), lesson, title="Held for review")
    settings.QUESTIONS_HOLD_FIRST_POSTS = 0
    reply = public_question.answer(public_question.author, "A reported answer.")
    reply.report(make.user("tattletale"), "It mocks the asker.")
    quiet = public_question.answer(public_question.author, "An unreported answer.")
    client.force_login(moderator)
    html = client.get(reverse("questions_review")).content.decode()
    assert "Held for review" in html and "waiting for review" in html
    assert f"#answer-{reply.pk}" in html and "It mocks the asker." in html
    assert f"#answer-{quiet.pk}" not in html and public_question.title not in html.replace(
        f"“{public_question.title}”", ""
    )
    assert "tattletale" not in html  # reporters stay unnamed
    assert f'id="controls-question-{held.pk}"' in html and "Approve" in html
    assert "Keep it (close the reports)" in html


def test_the_review_queue_leaves_out_courses_the_moderator_is_not_in(client, hold_two, moderator, course, lesson, make):
    classmate = make.user("classmate")
    course.join(classmate)
    held = ask(classmate, lesson, course=course, title="A held question to the class")
    assert held.state == PostState.HELD
    client.force_login(moderator)
    assert held.title not in client.get(reverse("questions_review")).content.decode()


def test_the_review_queue_is_for_moderators_only(client, student, instructor):
    url = reverse("questions_review")
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    for user in [student, instructor]:
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 403
        assert "Only the site&#x27;s moderators review held and reported posts" in response.content.decode()
    assert client.post(url).status_code == 405


@pytest.mark.parametrize("size", [3, 30])
def test_the_review_queue_does_not_grow_queries_with_its_posts(
    client, hold_two, moderator, make, lesson, django_assert_num_queries, size
):
    reporter = make.user("reporter")
    for index in range(size):
        held = ask(make.user(f"new{index:02d}"), lesson, title=f"Held {index}")  # a new account's first post
        held.answer(held.author, "A held answer too.")
        reported = ask(make.user(f"old{index:02d}"), lesson, title=f"Reported {index}")
        reported.show(moderator)
        reported.report(reporter, f"Reason {index}")
    client.force_login(moderator)
    # session, user, the user's permissions, its groups' permissions, count, the page of (kind, id),
    # its questions, its answers, their open reports, the navigation's count of new answers
    with django_assert_num_queries(10):
        response = client.get(reverse("questions_review"))
    assert response.status_code == 200
    assert response.content.decode().count('class="review-item"') == min(3 * size, moderation_views.PER_PAGE)


# Pinning and closing


def test_the_courses_instructor_pins_and_closes_its_question(client, instructor, course_question):
    client.force_login(instructor)
    response = client.post(reverse("question_pin", args=[course_question.pk]))
    assert messages_of(response) == ["Pinned: it comes first in lists."]
    assert reread(course_question).pinned
    client.post(reverse("question_pin", args=[course_question.pk]))
    assert not reread(course_question).pinned
    client.post(reverse("question_close", args=[course_question.pk]), {"on": "1"})
    client.post(reverse("question_close", args=[course_question.pk]), {"on": "1"})
    assert reread(course_question).closed
    client.post(reverse("question_close", args=[course_question.pk]), {"on": "0"})
    assert not reread(course_question).closed


def test_a_moderator_pins_a_public_question_and_an_instructor_may_not(
    client, moderator, instructor, course, public_question
):
    client.force_login(instructor)
    assert client.post(reverse("question_pin", args=[public_question.pk])).status_code == 403
    client.force_login(moderator)
    response = client.post(reverse("question_pin", args=[public_question.pk]), **HTMX)
    assert "Pinned: it comes first in lists." in response.content.decode() and "Unpin" in response.content.decode()
    assert reread(public_question).pinned


def test_a_switch_other_than_on_or_off_is_refused(client, moderator, public_question):
    client.force_login(moderator)
    assert client.post(reverse("question_close", args=[public_question.pk]), {"on": "yes"}).status_code == 400
    assert not reread(public_question).closed


def test_a_closed_question_refuses_answers(client, instructor, course_question, student, course):
    course.join(student)
    course_question.set_closed(True)
    client.force_login(student)
    response = client.post(reverse("question_answer", args=[course_question.pk]), {"body": "Late answer."})
    assert response.status_code == 403
    assert not Reply.objects.exists()


# The controls as other pages include them


def controls(post, user, **context):
    request = RequestFactory().get("/somewhere/")
    request.user = user
    context = {"post": post, "user": user, **moderation_views.moderation_context(user), **context}
    return render_to_string("questions/moderation.html#post_controls", context, request=request)


def test_the_controls_offer_each_viewer_what_they_may_do(
    public_question, course_question, student, instructor, moderator, other_student, course
):
    as_student = controls(public_question, student)
    assert "Report" in as_student and "Hide…" not in as_student and "Pin" not in as_student
    assert 'name="next" value="/somewhere/"' in as_student
    as_author = controls(public_question, other_student)
    assert "Report" not in as_author and "Hide…" not in as_author
    as_instructor = controls(course_question, instructor)
    assert "Hide…" in as_instructor and "Pin" in as_instructor and "Close to answers" in as_instructor
    assert "Send the report" not in as_instructor  # those who moderate a post act on it
    assert "Hide…" not in controls(public_question, instructor)
    assert "Hide…" in controls(public_question, moderator)
    reply = course_question.answer(other_student, "An answer.")
    as_instructor = controls(reply, instructor)
    assert "Hide…" in as_instructor and "Pin" not in as_instructor
    assert "Report" not in controls(public_question, AnonymousUser())


def test_the_controls_need_one_query_per_page_not_per_post(instructor, django_assert_num_queries, course_question):
    with django_assert_num_queries(3):  # the courses taught, the user's permissions, its groups' permissions
        context = moderation_views.moderation_context(instructor)
    assert context == {"is_moderator": False, "moderates": {course_question.course_id}}
