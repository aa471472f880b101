"""The instructors' side: a course's questions in one place (/courses/<slug>/questions/) and their
count on the course's dashboard. Neither ever counts or shows another course's questions."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from questions import moderation_views
from questions.models import Place, PostState, Question

pytestmark = pytest.mark.django_db


def ask(author, lesson, course=None, title="Why state the gap first?"):
    return Question.ask(author, Place.LESSON, lesson, title, "The abstract opens with the gap.", course=course)


@pytest.fixture
def classroom(course, other_course, student, other_student, lesson, make):
    """Questions to the course, to another course and to everyone."""
    course.join(student)
    other_course.join(other_student)
    return {
        "ours": ask(student, lesson, course=course, title="Ours: where does the method go?"),
        "theirs": ask(other_student, lesson, course=other_course, title="Theirs: a secret of Writing 202"),
        "public": ask(make.user("someone"), lesson, title="Public: what is a hedge?"),
    }


def page_of(client, course):
    return client.get(reverse("course_questions", args=[course.slug]))


def test_instructors_see_their_courses_questions_and_no_others(client, instructor, course, classroom):
    client.force_login(instructor)
    response = page_of(client, course)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ours: where does the method go?" in html
    assert "Theirs" not in html and "Public" not in html
    assert f'href="{reverse("question", args=[classroom["ours"].pk])}"' in html


@pytest.mark.parametrize("who", ["student", "other_instructor", "stranger"])
def test_anyone_but_the_courses_instructors_gets_404(client, course, classroom, request, who, other_course):
    client.force_login(request.getfixturevalue(who))
    assert page_of(client, course).status_code == 404


def test_a_moderator_who_does_not_teach_the_course_gets_404(client, course, make):
    moderator = make.user("moderator")
    moderator.user_permissions.add(Permission.objects.get(codename="moderate_posts"))
    client.force_login(moderator)
    assert page_of(client, course).status_code == 404


def test_the_page_needs_an_account_and_a_get(client, course, instructor):
    response = page_of(client, course)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.force_login(instructor)
    assert client.post(reverse("course_questions", args=[course.slug])).status_code == 405


def test_questions_come_in_reading_order_pinned_then_unanswered(client, instructor, course, student, lesson):
    course.join(student)
    answered = ask(student, lesson, course=course, title="Answered one")
    answered.answer(instructor, "Here is how.", as_instructor=True)
    unanswered = ask(student, lesson, course=course, title="Unanswered one")
    pinned = ask(student, lesson, course=course, title="Pinned one")
    pinned.answer(instructor, "Read this first.")
    pinned.set_pinned(True)
    client.force_login(instructor)
    html = page_of(client, course).content.decode()
    assert html.index("Pinned one") < html.index(unanswered.title) < html.index(answered.title)
    assert "No answer yet" in html


def test_held_and_reported_posts_of_the_course_are_flagged_with_their_reasons(
    client, instructor, course, student, other_student, lesson, settings
):
    course.join(student)
    course.join(other_student)
    reported = ask(student, lesson, course=course, title="A reported question")
    reported.report(other_student, "It gives away the exercise's answers.")
    settings.QUESTIONS_HOLD_FIRST_POSTS = 5
    held_answer = reported.answer(other_student, "A held answer.")
    assert held_answer.state == PostState.HELD
    client.force_login(instructor)
    html = page_of(client, course).content.decode()
    assert "1 open report" in html and "It gives away the exercise&#x27;s answers." in html
    assert "1 answer to review" in html and "A held answer." in html
    assert f'id="controls-reply-{held_answer.pk}"' in html and "Approve" in html
    assert "Keep it (close the reports)" in html and "Close to answers" in html and "Pin" in html
    assert other_student.get_username() not in html.split("A reported question")[1].split("Why it was reported")[0]


def test_an_instructor_approves_a_held_answer_from_the_page(client, instructor, course, student, lesson, settings):
    course.join(student)
    question = ask(student, lesson, course=course)
    settings.QUESTIONS_HOLD_FIRST_POSTS = 5
    held = question.answer(student, "Held until approved.")
    client.force_login(instructor)
    back = reverse("course_questions", args=[course.slug])
    response = client.post(reverse("reply_show", args=[held.pk]), {"next": back})
    assert response["Location"] == back
    held.refresh_from_db()
    question.refresh_from_db()
    assert held.state == PostState.VISIBLE and question.reply_count == 1


@pytest.mark.parametrize("size", [3, 30])
def test_the_page_does_not_grow_queries_with_the_courses_questions(
    client, instructor, course, student, other_student, lesson, settings, django_assert_num_queries, size
):
    course.join(student)
    course.join(other_student)
    for index in range(size):
        question = ask(student, lesson, course=course, title=f"Question {index}")
        question.report(other_student, f"Reason {index}")
        question.answer(other_student, "An answer.").report(student, "Rude.")
    client.force_login(instructor)
    # session, user, the course, the count, the page of questions with their places, their answers held
    # or reported, the open reports of both, the navigation's count of new answers
    with django_assert_num_queries(8):
        response = page_of(client, course)
    html = response.content.decode()
    assert html.count('class="course-question"') == min(size, moderation_views.PER_PAGE)
    assert html.count('class="waiting-answer"') == min(size, moderation_views.PER_PAGE)


# The dashboard's panel


def test_the_dashboard_counts_the_classes_questions_and_links_to_them(
    client, instructor, course, classroom, student, other_student, lesson
):
    answered = ask(student, lesson, course=course, title="Answered")
    answered.answer(instructor, "Yes.")
    hidden = ask(student, lesson, course=course, title="Hidden")
    hidden.hide(instructor, "Off topic.")
    course.join(other_student)
    classroom["ours"].report(other_student, "Spam.")
    # Another course's reported question, and a public one, count for nothing here.
    classroom["theirs"].report(classroom["theirs"].course.instructors().first(), "Spam.")
    client.force_login(instructor)
    html = client.get(course.get_absolute_url()).content.decode()
    assert "2 questions</strong> from your class</a> (1 unanswered, 1 reported)" in html
    assert f'href="{reverse("course_questions", args=[course.slug])}"' in html


def test_the_dashboard_panel_says_what_waits_for_review(client, instructor, course, student, lesson, settings):
    course.join(student)
    settings.QUESTIONS_HOLD_FIRST_POSTS = 1
    ask(student, lesson, course=course)
    client.force_login(instructor)
    html = client.get(course.get_absolute_url()).content.decode()
    assert "1 question</strong> from your class</a> (1 unanswered, 0 reported, 1 waiting for review)" in html


def test_the_panel_counts_nothing_for_someone_who_does_not_teach_the_course(course, classroom, student):
    template, context = moderation_views.course_panel(course, student)
    assert template == "questions/panel.html"
    assert (context["total"], context["unanswered"], context["reported"], context["held"]) == (0, 0, 0, 0)


def test_the_panel_costs_one_query(course, classroom, instructor, django_assert_num_queries):
    with django_assert_num_queries(1):
        _, context = moderation_views.course_panel(course, instructor)
    assert context["total"] == 1
