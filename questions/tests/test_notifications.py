"""Answers to one's questions without email noise: a count in the navigation and a list on the progress
page, read only for signed-in users; an email for each answer only when the asker turned it on."""

import pytest
from django.contrib.auth import SESSION_KEY as AUTH_SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse

from exercises.account_views import EMAIL_OFF
from questions import notifications
from questions.context_processors import LATEST_ANSWERS, UnseenAnswers, unseen_answers
from questions.models import PostState, Preferences, Question

pytestmark = pytest.mark.django_db


@pytest.fixture
def question(student, lesson):
    return Question.ask(student, "lesson", lesson, "Why is the gap stated before the aim?", "I do not see why.")


@pytest.fixture
def wants_email(student):
    student.email = "student@example.org"
    student.save()
    Preferences.objects.create(user=student, email_answers=True)
    return student


def signed_in(client, user):
    client.force_login(user)
    return client


def page_of(client, url=None):
    return client.get(url or reverse("lessons")).content.decode()


def answer_url(question):
    return reverse("question_answer", args=[question.pk])


# The count in the navigation


def test_the_asker_sees_the_count_after_someone_answers_and_not_after_reading_the_question(
    client, student, other_student, question
):
    question.answer(other_student, "Because the gap makes the aim needed.")
    html = page_of(signed_in(client, student))
    assert '1 new answer<span class="visually-hidden"> to your questions</span>' in html
    assert 'href="/progress/#answers-to-your-questions"' in html
    client.get(reverse("question", args=[question.pk]))
    assert "new answer" not in page_of(client)


def test_the_count_says_how_many_in_words(client, student, other_student, instructor, question):
    question.answer(other_student, "One.")
    question.answer(instructor, "Two.")
    html = page_of(signed_in(client, student))
    assert '2 new answers<span class="visually-hidden"> to your questions</span>' in html


def test_nobody_else_sees_the_askers_count(client, other_student, question):
    question.answer(other_student, "Mine.")
    assert "new answer" not in page_of(signed_in(client, other_student))


def test_the_askers_own_answer_is_not_new_to_them(client, student, question):
    question.answer(student, "Found it myself.")
    assert "new answer" not in page_of(signed_in(client, student))


def test_a_held_or_hidden_answer_is_not_counted(client, student, other_student, instructor, question, settings):
    settings.QUESTIONS_HOLD_FIRST_POSTS = 1
    held = question.answer(other_student, "Waits for review.")
    assert held.state == PostState.HELD
    settings.QUESTIONS_HOLD_FIRST_POSTS = 0
    question.answer(instructor, "Rude.").hide(by=instructor, reason="Rude.")
    assert "new answer" not in page_of(signed_in(client, student))


def test_course_only_questions_never_count_for_outsiders(client, student, other_student, stranger, course, lesson):
    course.join(student)
    course.join(other_student)
    asked = Question.ask(student, "lesson", lesson, "For the class", "Anyone?", course=course)
    asked.answer(other_student, "Here.")
    assert "new answer" not in page_of(signed_in(client, stranger))
    assert "1 new answer" in page_of(signed_in(client, student))
    # A student removed from the course no longer sees the question, so its answers are not counted either.
    course.remove_student(student)
    assert "new answer" not in page_of(client)


def request_for(user):
    """A request as the middleware leaves it: the user, and the session holding a signed-in one's id."""
    request = RequestFactory().get("/")
    request.user = user
    request.session = {AUTH_SESSION_KEY: str(user.pk)} if user.is_authenticated else {}
    return request


def test_anonymous_pages_make_no_query_for_the_count(django_assert_num_queries):
    request = request_for(AnonymousUser())
    with django_assert_num_queries(0):
        answers = unseen_answers(request)["unseen_answers"]
        assert (answers.count, answers.latest) == (0, [])


def test_a_page_that_does_not_show_the_count_reads_nothing(student, django_assert_num_queries):
    request = request_for(student)
    with django_assert_num_queries(0):
        unseen_answers(request)


def test_the_count_is_read_once_per_page_and_the_latest_only_when_there_are_some(
    student, other_student, question, django_assert_num_queries
):
    request = request_for(student)
    answers = UnseenAnswers(request)
    with django_assert_num_queries(1):
        assert (answers.count, answers.count, answers.latest) == (0, 0, [])
    question.answer(other_student, "Here.")
    answers = UnseenAnswers(request)
    with django_assert_num_queries(2):  # the count, then the latest with their questions and authors
        assert answers.latest[0].question.title == question.title and answers.latest[0].author == other_student


# The progress page


def test_the_progress_page_lists_the_new_answers_with_links(client, student, other_student, question):
    question.answer(other_student, "Because.")
    html = page_of(signed_in(client, student), reverse("progress"))
    assert '<h2 id="answers-to-your-questions">Answers to your questions</h2>' in html
    assert f'<a href="/questions/{question.pk}/">{question.title}</a>: answered by other-student' in html
    assert 'href="/questions/preferences/"' in html


def test_the_progress_page_shows_the_latest_few_and_how_many_in_all(client, student, other_student, question):
    for n in range(LATEST_ANSWERS + 2):
        question.answer(other_student, f"Answer {n}.")
    html = page_of(signed_in(client, student), reverse("progress"))
    assert f"{LATEST_ANSWERS + 2} new answers you have not read yet; the {LATEST_ANSWERS} latest:" in html
    assert html.count("data-answer=") == LATEST_ANSWERS


def test_the_progress_page_has_no_answers_section_without_new_answers(client, student, question):
    assert "Answers to your questions" not in page_of(signed_in(client, student), reverse("progress"))
    client.logout()
    assert "Answers to your questions" not in page_of(client, reverse("progress"))


# Email


def test_no_email_by_default(client, student, other_student, question, mailoutbox, django_capture_on_commit_callbacks):
    student.email = "student@example.org"
    student.save()
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(client, other_student).post(answer_url(question), {"body": "Here you go."})
    assert mailoutbox == []


def test_one_email_once_the_answer_is_saved_when_turned_on(
    client, wants_email, other_student, question, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        signed_in(client, other_student).post(answer_url(question), {"body": "Because the *gap* comes first."})
    assert mailoutbox == [] and len(callbacks) == 1  # nothing is sent before the answer commits
    callbacks[0]()
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["student@example.org"]
    assert message.subject == f"New answer to your question: {question.title}"
    # The answer as written (plain text, not its HTML) and the link to the question.
    assert "Because the *gap* comes first." in message.body and "<em>" not in message.body
    assert f"http://testserver/questions/{question.pk}/" in message.body


def test_a_title_with_markup_reaches_the_email_as_written(
    client, wants_email, other_student, lesson, mailoutbox, django_capture_on_commit_callbacks
):
    asked = Question.ask(wants_email, "lesson", lesson, "Is <b> & “quotes” fine?", "Well?")
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(client, other_student).post(answer_url(asked), {"body": "Yes & no."})
    assert mailoutbox[0].subject == "New answer to your question: Is <b> & “quotes” fine?"
    assert "Yes & no." in mailoutbox[0].body


def test_no_email_for_the_askers_own_answer(
    client, wants_email, question, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(client, wants_email).post(answer_url(question), {"body": "Found it."})
    assert mailoutbox == []


def test_no_email_for_a_held_answer(
    client, wants_email, other_student, question, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.QUESTIONS_HOLD_FIRST_POSTS = 1
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(client, other_student).post(answer_url(question), {"body": "Waits for review."})
    assert question.replies.get().state == PostState.HELD
    assert mailoutbox == []


def test_no_email_for_a_hidden_answer(
    wants_email, instructor, question, mailoutbox, django_capture_on_commit_callbacks
):
    reply = question.answer(instructor, "Rude.")
    reply.hide(by=instructor, reason="Rude.")
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify_asker(reply, "http://testserver/questions/1/")
    assert mailoutbox == []


@pytest.mark.parametrize("missing", ["email settings", "email address"])
def test_no_email_without_a_way_to_send_it(
    client, wants_email, other_student, question, settings, mailoutbox, django_capture_on_commit_callbacks, missing
):
    if missing == "email settings":
        settings.EMAIL_BACKEND = EMAIL_OFF
    else:
        wants_email.email = ""
        wants_email.save()
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(client, other_student).post(answer_url(question), {"body": "Here."})
    assert mailoutbox == []


# The preferences page


def test_the_preferences_page_needs_an_account(client):
    response = client.get(reverse("question_preferences"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.post(reverse("question_preferences"), {"email_answers": "on"}).status_code == 302
    assert not Preferences.objects.exists()


def test_the_preferences_page_takes_get_and_post_only(client, student):
    assert signed_in(client, student).put(reverse("question_preferences")).status_code == 405


def test_email_is_off_until_the_learner_turns_it_on_without_javascript(client, student):
    student.email = "student@example.org"
    student.save()
    html = page_of(signed_in(client, student), reverse("question_preferences"))
    assert '<input type="checkbox" name="email_answers" id="id_email_answers">' in html
    assert "Email me when someone answers my question" in html and "hx-" not in html.split("<main")[1]
    response = client.post(reverse("question_preferences"), {"email_answers": "on"}, follow=True)
    assert response.redirect_chain == [("/questions/preferences/", 302)]
    assert "will be emailed to student@example.org" in response.content.decode()
    assert Preferences.objects.get(user=student).email_answers
    assert 'id="id_email_answers" checked>' in response.content.decode()
    client.post(reverse("question_preferences"), {})  # the box unticked: a browser sends nothing for it
    assert not Preferences.objects.get(user=student).email_answers


def test_reading_the_preferences_page_writes_nothing(client, student):
    assert signed_in(client, student).get(reverse("question_preferences")).status_code == 200
    assert not Preferences.objects.exists()


def test_without_email_settings_the_box_is_disabled_with_the_reason(client, student, settings):
    settings.EMAIL_BACKEND = EMAIL_OFF
    student.email = "student@example.org"
    student.save()
    html = page_of(signed_in(client, student), reverse("question_preferences"))
    assert "This site is not set up to send email" in html
    assert 'id="id_email_answers" disabled aria-describedby="why-no-email">' in html
    response = client.post(reverse("question_preferences"), {"email_answers": "on"})
    assert response.status_code == 400 and "nothing was changed" in response.content.decode()
    assert not Preferences.objects.exists()


def test_without_an_email_address_the_page_links_to_the_account_page(client, student):
    html = page_of(signed_in(client, student), reverse("question_preferences"))
    assert "Your account has no email address" in html and f'<a href="{reverse("account")}">Add one' in html
    assert 'id="id_email_answers" disabled aria-describedby="why-no-email">' in html
    assert client.post(reverse("question_preferences"), {"email_answers": "on"}).status_code == 400


def test_a_choice_left_on_can_still_be_turned_off_after_the_address_is_removed(client, wants_email):
    wants_email.email = ""
    wants_email.save()
    html = page_of(signed_in(client, wants_email), reverse("question_preferences"))
    assert 'id="id_email_answers" checked aria-describedby="why-no-email">' in html
    assert client.post(reverse("question_preferences"), {}).status_code == 302
    assert not Preferences.objects.get(user=wants_email).email_answers


def test_the_account_page_links_the_preferences(client, student):
    assert 'href="/questions/preferences/"' in page_of(signed_in(client, student), reverse("account"))
