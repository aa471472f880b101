"""Asking, answering, editing, deleting and marking the answer that helped: with and without htmx,
by the right people only, within the limits, and nothing written when refused."""

from datetime import timedelta

import pytest
from django.utils import timezone

from questions.models import BODY_MAX_LENGTH, TITLE_MAX_LENGTH, PostState, Preferences, Question, Reply

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def ask_url(place, slug):
    return f"/questions/on/{place}/{slug}/ask/"


def ask(author, subject, place="lesson", title="Why is the gap stated before the aim?", body="I do not see why.",
        course=None):  # fmt: skip
    return Question.ask(author, place, subject, title, body, course=course)


def signed_in(client, user):
    client.force_login(user)
    return client


# Asking


def test_a_learner_asks_on_a_lesson_and_is_sent_to_the_new_question(client, student, lesson):
    response = signed_in(client, student).post(ask_url("lesson", lesson.slug), {"title": "Why?", "body": "Tell me."})
    question = Question.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/questions/{question.pk}/"
    assert (question.lesson, question.author, question.course, question.title) == (lesson, student, None, "Why?")
    assert question.body_html == "<p>Tell me.</p>"


def test_a_learner_asks_on_an_excerpt(client, student, excerpt):
    response = signed_in(client, student).post(ask_url("excerpt", excerpt.slug), {"title": "Which move?", "body": "?!"})
    assert response.status_code == 302
    assert Question.objects.get().excerpt == excerpt


def test_an_htmx_ask_returns_only_the_list_with_the_new_question_and_a_fresh_form(client, student, lesson):
    response = signed_in(client, student).post(
        ask_url("lesson", lesson.slug), {"title": "Asked in place", "body": "Body."}, headers=HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<section class="questions" id="questions-lesson-{lesson.slug}"')
    assert "<html" not in html and "Asked in place" in html and "Your question is posted" in html
    assert 'name="title"' in html and 'value="Asked in place"' not in html


def test_a_visitor_who_is_not_logged_in_is_sent_to_log_in_and_nothing_is_written(client, lesson):
    response = client.post(ask_url("lesson", lesson.slug), {"title": "Why?", "body": "Tell me."})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=/questions/on/")
    response = client.post(ask_url("lesson", lesson.slug), {"title": "Why?", "body": "Tell me."}, headers=HTMX)
    assert response.status_code == 200 and response["HX-Redirect"].startswith("/accounts/login/")
    assert not Question.objects.exists()


def test_asking_answering_and_marking_take_only_post(client, student, lesson):
    question = ask(student, lesson)
    signed_in(client, student)
    for url in (
        ask_url("lesson", lesson.slug),
        f"/questions/{question.pk}/answer/",
        f"/questions/{question.pk}/helpful/",
    ):
        assert client.get(url).status_code == 405


def test_asking_on_an_unknown_place_or_slug_is_404(client, student, lesson):
    signed_in(client, student)
    assert client.post(ask_url("paper", lesson.slug), {"title": "Why?", "body": "Tell me."}).status_code == 404
    assert client.post(ask_url("lesson", "no-such-lesson"), {"title": "Why?", "body": "Tell me."}).status_code == 404
    assert not Question.objects.exists()


def test_a_student_asks_their_course(client, member, course, lesson):
    data = {"title": "For the class", "body": "Only you.", "audience": course.slug}
    assert signed_in(client, member).post(ask_url("lesson", lesson.slug), data).status_code == 302
    assert Question.objects.get().course == course


def test_a_student_is_offered_everyone_or_their_course_and_a_self_study_learner_no_choice(
    client, member, course, stranger, lesson
):
    html = signed_in(client, member).get(f"/questions/on/lesson/{lesson.slug}/").content.decode()
    assert 'name="audience"' in html and f'value="{course.slug}"' in html and "Everyone" in html
    html = signed_in(client, stranger).get(f"/questions/on/lesson/{lesson.slug}/").content.decode()
    assert 'name="title"' in html and 'type="radio"' not in html and "Everyone" not in html


def test_asking_a_course_one_is_not_in_is_refused_and_nothing_is_written(client, stranger, course, lesson):
    data = {"title": "Sneaking in", "body": "Hello class.", "audience": course.slug}
    response = signed_in(client, stranger).post(ask_url("lesson", lesson.slug), data)
    assert response.status_code == 400
    assert not Question.objects.exists()


def test_a_member_asking_another_course_is_refused(client, member, other_student, lesson, make):
    other = make.course(other_student, "Other class")
    data = {"title": "Sneaking in", "body": "Hello class.", "audience": other.slug}
    response = signed_in(client, member).post(ask_url("lesson", lesson.slug), data, headers=HTMX)
    assert response.status_code == 400 and "a course you are in" in response.content.decode()
    assert not Question.objects.exists()


def test_an_exercise_takes_questions_only_after_a_first_attempt(client, student, exercise, make):
    signed_in(client, student)
    page = client.get(f"/questions/on/exercise/{exercise.slug}/").content.decode()
    assert 'name="title"' not in page and "Make a first attempt" in page
    response = client.post(ask_url("exercise", exercise.slug), {"title": "Why?", "body": "Tell me."})
    assert response.status_code == 403 and not Question.objects.exists()
    make.attempt(make.learner(student), exercise)
    assert 'name="title"' in client.get(f"/questions/on/exercise/{exercise.slug}/").content.decode()
    assert client.post(ask_url("exercise", exercise.slug), {"title": "Why?", "body": "Tell me."}).status_code == 302
    assert Question.objects.get().exercise == exercise


# Limits and bad input


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "x" * (TITLE_MAX_LENGTH + 1), "body": "Fine."}, "Keep the title to 200 characters (it has 201)"),
        ({"title": "Fine", "body": "x" * (BODY_MAX_LENGTH + 1)}, "Keep the question to 5000 characters (it has 5001)"),
        ({"title": "", "body": "Fine."}, "Give your question a title"),
        ({"title": "Fine", "body": "  \n "}, "Write your question first"),
        ({"title": "\x01\x02", "body": "Fine."}, "Give your question a title"),
        ({"title": "Fine\x00", "body": "Fine."}, "Null characters are not allowed"),
        ({"title": "Fine", "body": "Fine\x00"}, "Null characters are not allowed"),
    ],
    ids=["long title", "long body", "no title", "blank body", "control characters", "NUL title", "NUL body"],
)
def test_bad_questions_are_refused_with_a_clear_message_and_400(client, student, lesson, data, message):
    for headers in ({}, HTMX):
        response = signed_in(client, student).post(ask_url("lesson", lesson.slug), data, headers=headers)
        assert response.status_code == 400
        assert message in response.content.decode()
    assert not Question.objects.exists()


def test_a_question_at_the_length_limits_is_posted(client, student, lesson):
    data = {"title": "t" * TITLE_MAX_LENGTH, "body": "b" * BODY_MAX_LENGTH}
    assert signed_in(client, student).post(ask_url("lesson", lesson.slug), data).status_code == 302


def test_an_answer_over_the_length_limit_is_refused(client, student, other_student, lesson):
    question = ask(student, lesson)
    response = signed_in(client, other_student).post(
        f"/questions/{question.pk}/answer/", {"body": "x" * (BODY_MAX_LENGTH + 1)}, headers=HTMX
    )
    assert response.status_code == 400 and "Keep the answer to 5000 characters" in response.content.decode()
    assert response.content.decode().lstrip().startswith('<section class="answers" id="answers"')
    assert not Reply.objects.exists()


def test_invisible_control_characters_are_removed_from_titles_and_bodies(client, student, lesson):
    data = {"title": "Why\u202e this\x07?", "body": "Line one\r\nline\x1b two"}
    signed_in(client, student).post(ask_url("lesson", lesson.slug), data)
    question = Question.objects.get()
    assert (question.title, question.body) == ("Why this?", "Line one\nline two")


def test_a_script_in_a_body_shows_inert_and_a_javascript_link_is_removed(client, student, other_student, lesson):
    body = 'Look <script>alert("x")</script> and [click](javascript:alert(1)) <img src=x onerror=alert(1)>'
    signed_in(client, student).post(
        ask_url("lesson", lesson.slug), {"title": "<script>alert(2)</script>", "body": body}
    )
    question = Question.objects.get()
    assert "<script" not in question.body_html and "javascript:" not in question.body_html
    assert "<img" not in question.body_html
    html = signed_in(client, other_student).get(f"/questions/{question.pk}/").content.decode()
    assert "<script>alert" not in html and "javascript:alert" not in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html  # the title, escaped


def test_markdown_of_the_small_subset_is_rendered(client, student, lesson):
    body = "Some *emphasis*, `code` and a [link](https://example.org).\n\n- one\n- two"
    signed_in(client, student).post(ask_url("lesson", lesson.slug), {"title": "Formatting", "body": body})
    html = Question.objects.get().body_html
    assert "<em>emphasis</em>" in html and "<code>code</code>" in html and "<li>one</li>" in html
    assert 'href="https://example.org"' in html


# Throttle


def test_posting_past_the_hourly_limit_gets_429_with_retry_after_and_nothing_is_written(
    client, student, other_student, lesson, settings
):
    settings.QUESTIONS_PER_HOUR = 3
    question = ask(other_student, lesson)
    signed_in(client, student)
    assert client.post(ask_url("lesson", lesson.slug), {"title": "One", "body": "1"}).status_code == 302
    assert client.post(f"/questions/{question.pk}/answer/", {"body": "Two"}).status_code == 302
    assert client.post(ask_url("lesson", lesson.slug), {"title": "Three", "body": "3"}).status_code == 302
    response = client.post(ask_url("lesson", lesson.slug), {"title": "Four", "body": "4"})
    assert response.status_code == 429 and 0 < int(response["Retry-After"]) <= 3600
    response = client.post(f"/questions/{question.pk}/answer/", {"body": "Five"}, headers=HTMX)
    assert response.status_code == 429 and "Retry-After" in response
    assert Question.objects.filter(author=student).count() == 2 and Reply.objects.filter(author=student).count() == 1


def test_posts_older_than_an_hour_do_not_count(client, student, lesson, settings):
    settings.QUESTIONS_PER_HOUR = 1
    old = ask(student, lesson)
    Question.objects.filter(pk=old.pk).update(created=timezone.now() - timedelta(minutes=61))
    assert (
        signed_in(client, student).post(ask_url("lesson", lesson.slug), {"title": "New", "body": "n"}).status_code
        == 302
    )


def test_the_limit_is_per_account(client, student, other_student, lesson, settings):
    settings.QUESTIONS_PER_HOUR = 1
    ask(student, lesson)
    response = signed_in(client, other_student).post(ask_url("lesson", lesson.slug), {"title": "Mine", "body": "m"})
    assert response.status_code == 302


# Held for review


def test_a_held_question_tells_its_author_it_waits_for_review_and_is_hidden_from_others(
    client, student, other_student, lesson, settings
):
    settings.QUESTIONS_HOLD_FIRST_POSTS = 1
    response = signed_in(client, student).post(ask_url("lesson", lesson.slug), {"title": "New here", "body": "Hi"})
    question = Question.objects.get()
    assert question.state == PostState.HELD
    page = client.get(response["Location"]).content.decode()
    assert "Your question waits for review" in page
    listing = client.get(f"/questions/on/lesson/{lesson.slug}/").content.decode()
    assert "New here" in listing and "Waiting for review" in listing
    signed_in(client, other_student)
    assert client.get(f"/questions/{question.pk}/").status_code == 404
    assert "New here" not in client.get(f"/questions/on/lesson/{lesson.slug}/").content.decode()


def test_an_htmx_ask_that_is_held_says_so(client, student, lesson, settings):
    settings.QUESTIONS_HOLD_FIRST_POSTS = 1
    response = signed_in(client, student).post(
        ask_url("lesson", lesson.slug), {"title": "New here", "body": "Hi"}, headers=HTMX
    )
    assert "Your question waits for review" in response.content.decode()


# Answering


def test_an_answer_is_posted_and_the_page_goes_to_it(client, student, other_student, lesson):
    question = ask(student, lesson)
    response = signed_in(client, other_student).post(f"/questions/{question.pk}/answer/", {"body": "Because *so*."})
    reply = Reply.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/questions/{question.pk}/#answer-{reply.pk}"
    assert (reply.author, reply.body_html, reply.as_instructor) == (other_student, "<p>Because <em>so</em>.</p>", False)
    question.refresh_from_db()
    assert question.reply_count == 1


def test_an_htmx_answer_returns_only_the_answers_with_the_new_one(client, student, other_student, lesson):
    question = ask(student, lesson)
    response = signed_in(client, other_student).post(
        f"/questions/{question.pk}/answer/", {"body": "In place."}, headers=HTMX
    )
    html = response.content.decode()
    reply = Reply.objects.get()
    assert response.status_code == 200 and html.lstrip().startswith('<section class="answers" id="answers"')
    assert f'id="answer-{reply.pk}"' in html and "Your answer is posted" in html and "<html" not in html


def test_answering_emails_the_asker_who_asked_for_it(
    client, student, other_student, lesson, mailoutbox, django_capture_on_commit_callbacks
):
    student.email = "student@example.org"
    student.save()
    Preferences.objects.create(user=student, email_answers=True)
    question = ask(student, lesson)
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(client, other_student).post(f"/questions/{question.pk}/answer/", {"body": "Here you go."})
    assert len(mailoutbox) == 1
    assert f"http://testserver/questions/{question.pk}/" in mailoutbox[0].body


def test_a_visitor_who_is_not_logged_in_cannot_answer(client, student, lesson):
    question = ask(student, lesson)
    response = client.post(f"/questions/{question.pk}/answer/", {"body": "Anonymous."})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert "Log in to answer" in client.get(f"/questions/{question.pk}/").content.decode()
    assert not Reply.objects.exists()


def test_a_closed_question_takes_no_answers(client, student, other_student, lesson):
    question = ask(student, lesson)
    Question.objects.filter(pk=question.pk).update(closed=True)
    signed_in(client, other_student)
    assert 'name="body"' not in client.get(f"/questions/{question.pk}/").content.decode()
    response = client.post(f"/questions/{question.pk}/answer/", {"body": "Too late."})
    assert response.status_code == 403 and "closed" in response.content.decode()
    assert not Reply.objects.exists()


def test_nobody_answers_a_question_they_cannot_see(client, member, stranger, course, lesson):
    question = ask(member, lesson, course=course)
    response = signed_in(client, stranger).post(f"/questions/{question.pk}/answer/", {"body": "Hello."})
    assert response.status_code == 404 and not Reply.objects.exists()


def test_an_instructor_of_the_course_answers_as_instructor_by_default(client, member, instructor, course, lesson):
    question = ask(member, lesson, course=course)
    signed_in(client, instructor)
    page = client.get(f"/questions/{question.pk}/").content.decode()
    assert 'name="as_instructor"' in page and "checked" in page.split('name="as_instructor"')[1][:40]
    client.post(f"/questions/{question.pk}/answer/", {"body": "From your teacher.", "as_instructor": "on"})
    client.post(f"/questions/{question.pk}/answer/", {"body": "As a reader."})
    assert list(Reply.objects.values_list("as_instructor", flat=True)) == [True, False]


def test_nobody_else_answers_as_instructor(client, member, other_student, course, lesson):
    course.join(other_student)
    question = ask(member, lesson, course=course)
    signed_in(client, other_student)
    assert 'name="as_instructor"' not in client.get(f"/questions/{question.pk}/").content.decode()
    client.post(f"/questions/{question.pk}/answer/", {"body": "I am no teacher.", "as_instructor": "on"})
    assert Reply.objects.get().as_instructor is False


# Marking the answer that helped


def test_the_asker_marks_the_answer_that_helped(client, student, other_student, lesson):
    question = ask(student, lesson)
    reply = question.answer(other_student, "This.")
    response = signed_in(client, student).post(f"/questions/{question.pk}/helpful/", {"reply": reply.pk})
    assert response.status_code == 302 and response["Location"].endswith(f"#answer-{reply.pk}")
    question.refresh_from_db()
    assert question.helpful == reply
    assert "The answer that helped" in client.get(f"/questions/{question.pk}/").content.decode()


def test_an_htmx_mark_returns_the_answers(client, student, other_student, lesson):
    question = ask(student, lesson)
    reply = question.answer(other_student, "This.")
    response = signed_in(client, student).post(f"/questions/{question.pk}/helpful/", {"reply": reply.pk}, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith('<section class="answers"')
    assert "The answer that helped" in html


def test_an_instructor_of_the_course_marks_the_answer_that_helped(client, member, other_student, instructor, course,
                                                                  lesson):  # fmt: skip
    course.join(other_student)
    question = ask(member, lesson, course=course)
    reply = question.answer(other_student, "This.")
    assert (
        signed_in(client, instructor).post(f"/questions/{question.pk}/helpful/", {"reply": reply.pk}).status_code == 302
    )
    question.refresh_from_db()
    assert question.helpful == reply


def test_nobody_else_marks_the_answer_that_helped(client, student, other_student, stranger, lesson):
    question = ask(student, lesson)
    reply = question.answer(other_student, "This.")
    page = signed_in(client, other_student).get(f"/questions/{question.pk}/").content.decode()
    assert "Mark as the answer that helped" not in page
    for user in (other_student, stranger):
        response = signed_in(client, user).post(f"/questions/{question.pk}/helpful/", {"reply": reply.pk})
        assert response.status_code == 403
    question.refresh_from_db()
    assert question.helpful is None


@pytest.mark.parametrize("reply_id", ["", "abc", "\x00", "²", "999999", "9" * 30])
def test_marking_something_that_is_not_an_answer_of_the_question_is_400(client, student, lesson, reply_id):
    question = ask(student, lesson)
    response = signed_in(client, student).post(f"/questions/{question.pk}/helpful/", {"reply": reply_id})
    assert response.status_code == 400


def test_marking_an_answer_of_another_question_is_400(client, student, other_student, lesson):
    question, other = ask(student, lesson), ask(student, lesson, title="Another")
    reply = other.answer(other_student, "Elsewhere.")
    response = signed_in(client, student).post(f"/questions/{question.pk}/helpful/", {"reply": reply.pk})
    assert response.status_code == 400


# Editing


def test_the_author_edits_a_question_within_the_window(client, student, lesson):
    question = ask(student, lesson)
    signed_in(client, student)
    assert client.get(f"/questions/{question.pk}/edit/").status_code == 200
    response = client.post(f"/questions/{question.pk}/edit/", {"title": "Better title", "body": "Now *clear*."})
    assert response.status_code == 302 and response["Location"] == f"/questions/{question.pk}/"
    question.refresh_from_db()
    assert (question.title, question.body_html) == ("Better title", "<p>Now <em>clear</em>.</p>")
    assert question.edited is not None
    assert "(edited" in client.get(f"/questions/{question.pk}/").content.decode()


def test_the_author_edits_an_answer_within_the_window(client, student, other_student, lesson):
    question = ask(student, lesson)
    reply = question.answer(other_student, "First go.")
    signed_in(client, other_student)
    assert client.get(f"/questions/answers/{reply.pk}/edit/").status_code == 200
    response = client.post(f"/questions/answers/{reply.pk}/edit/", {"body": "Second go."})
    assert response.status_code == 302 and response["Location"] == f"/questions/{question.pk}/#answer-{reply.pk}"
    reply.refresh_from_db()
    assert reply.body == "Second go." and reply.edited is not None


def test_editing_after_the_window_is_refused_with_a_clear_message(client, student, other_student, lesson, settings):
    settings.QUESTIONS_EDIT_MINUTES = 30
    question = ask(student, lesson)
    reply = question.answer(student, "Mine.")
    long_ago = timezone.now() - timedelta(minutes=31)
    Question.objects.filter(pk=question.pk).update(created=long_ago)
    Reply.objects.filter(pk=reply.pk).update(created=long_ago)
    signed_in(client, student)
    page = client.get(f"/questions/{question.pk}/").content.decode()
    assert f"/questions/{question.pk}/edit/" not in page and f"/questions/{question.pk}/delete/" in page
    for url in (f"/questions/{question.pk}/edit/", f"/questions/answers/{reply.pk}/edit/"):
        response = client.post(url, {"title": "Late", "body": "Late."})
        assert response.status_code == 403 and "edited for 30 minutes" in response.content.decode()
    question.refresh_from_db()
    assert question.title != "Late" and question.edited is None


def test_the_edit_window_follows_the_setting(client, student, lesson, settings):
    settings.QUESTIONS_EDIT_MINUTES = 60
    question = ask(student, lesson)
    Question.objects.filter(pk=question.pk).update(created=timezone.now() - timedelta(minutes=45))
    response = signed_in(client, student).post(f"/questions/{question.pk}/edit/", {"title": "Still", "body": "ok"})
    assert response.status_code == 302


def test_only_the_author_edits(client, student, other_student, lesson):
    question = ask(student, lesson)
    reply = question.answer(student, "Mine.")
    signed_in(client, other_student)
    for url in (f"/questions/{question.pk}/edit/", f"/questions/answers/{reply.pk}/edit/"):
        response = client.post(url, {"title": "Hijacked", "body": "Hijacked."})
        assert response.status_code == 403 and "Only its author" in response.content.decode()
    assert (
        not Question.objects.filter(title="Hijacked").exists() and not Reply.objects.filter(body="Hijacked.").exists()
    )


def test_a_hidden_post_cannot_be_edited(client, student, instructor, lesson):
    question = ask(student, lesson)
    question.hide(instructor, "Off topic")
    response = signed_in(client, student).post(f"/questions/{question.pk}/edit/", {"title": "Again", "body": "x"})
    assert response.status_code == 403 and "hid this post" in response.content.decode()


def test_an_edit_over_the_limit_is_refused_with_400(client, student, lesson):
    question = ask(student, lesson)
    response = signed_in(client, student).post(
        f"/questions/{question.pk}/edit/", {"title": "Fine", "body": "x" * (BODY_MAX_LENGTH + 1)}
    )
    assert response.status_code == 400 and "Keep the question to 5000 characters" in response.content.decode()


def test_anonymous_edit_and_delete_go_to_log_in(client, student, lesson):
    question = ask(student, lesson)
    for url in (f"/questions/{question.pk}/edit/", f"/questions/{question.pk}/delete/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


# Deleting


def test_the_author_deletes_a_question_after_confirming(client, student, other_student, lesson):
    question = ask(student, lesson)
    question.answer(other_student, "An answer.")
    signed_in(client, student)
    page = client.get(f"/questions/{question.pk}/delete/")
    assert page.status_code == 200 and "Delete your question" in page.content.decode()
    response = client.post(f"/questions/{question.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == f"/questions/on/lesson/{lesson.slug}/"
    assert not Question.objects.exists() and not Reply.objects.exists()


def test_the_author_deletes_an_answer_and_the_count_follows(client, student, other_student, lesson):
    question = ask(student, lesson)
    reply = question.answer(other_student, "An answer.")
    question.mark_helpful(reply)
    signed_in(client, other_student)
    assert client.get(f"/questions/answers/{reply.pk}/delete/").status_code == 200
    response = client.post(f"/questions/answers/{reply.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == f"/questions/{question.pk}/"
    question.refresh_from_db()
    assert (question.reply_count, question.helpful) == (0, None)


def test_the_author_deletes_after_the_edit_window(client, student, lesson):
    question = ask(student, lesson)
    Question.objects.filter(pk=question.pk).update(created=timezone.now() - timedelta(days=3))
    assert signed_in(client, student).post(f"/questions/{question.pk}/delete/").status_code == 302


def test_only_the_author_deletes(client, student, other_student, lesson):
    question = ask(student, lesson)
    reply = question.answer(student, "Mine.")
    signed_in(client, other_student)
    assert client.post(f"/questions/{question.pk}/delete/").status_code == 403
    assert client.post(f"/questions/answers/{reply.pk}/delete/").status_code == 403
    assert Question.objects.exists() and Reply.objects.exists()


def test_nobody_deletes_what_they_cannot_see(client, member, stranger, course, lesson):
    question = ask(member, lesson, course=course)
    reply = question.answer(member, "Mine.")
    signed_in(client, stranger)
    assert client.post(f"/questions/{question.pk}/delete/").status_code == 404
    assert client.post(f"/questions/answers/{reply.pk}/delete/").status_code == 404
    assert client.get(f"/questions/answers/{reply.pk}/edit/").status_code == 404
