"""Reading questions: the list of every question, a place's list (also as an htmx fragment) and a
question's page. Course questions never reach outsiders (not in lists, search, counts or pages),
the order is the reading order, and the number of queries does not grow with the posts."""

import pytest
from django.utils.html import escape

from questions.models import Question, Reply

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
SECRET = "Only for the class"


@pytest.fixture
def course_question(member, course, lesson):
    """A question asked to the course, with an answer, beside a question asked to everyone."""
    question = Question.ask(member, "lesson", lesson, SECRET, "The hidden word is zanzibar.", course=course)
    question.answer(member, "A class answer.")
    Question.ask(member, "lesson", lesson, "Open to all", "Anyone may read this.")
    return question


def ask(author, subject, place="lesson", title="A question", body="Its details.", course=None):
    return Question.ask(author, place, subject, title, body, course=course)


def signed_in(client, user):
    client.force_login(user)
    return client


def page_of(response):
    return response.content.decode()


# Who sees what


def test_course_questions_are_invisible_to_outsiders_in_every_list_and_count(client, stranger, course_question, lesson):
    for who in (client, signed_in(client, stranger)):
        for url in ("/questions/", f"/questions/on/lesson/{lesson.slug}/", "/questions/?q=zanzibar",
                    "/questions/?q=only+for"):  # fmt: skip
            html = page_of(who.get(url))
            assert SECRET not in html and f'href="/questions/{course_question.pk}/"' not in html
        assert "1 question<" in page_of(who.get("/questions/"))
        html = page_of(who.get("/questions/?q=zanzibar"))
        assert "0 questions with" in html and "No question has these words" in html
        assert "Questions on this lesson (1)" in page_of(who.get(f"/questions/on/lesson/{lesson.slug}/"))
        assert who.get(f"/questions/{course_question.pk}/").status_code == 404
        client.logout()


def test_course_questions_show_to_members_and_instructors(client, member, instructor, course_question, lesson):
    for user in (member, instructor):
        signed_in(client, user)
        assert SECRET in page_of(client.get("/questions/"))
        assert "2 questions<" in page_of(client.get("/questions/"))
        assert "Questions on this lesson (2)" in page_of(client.get(f"/questions/on/lesson/{lesson.slug}/"))
        assert SECRET in page_of(client.get("/questions/?q=ZANZIBAR"))
        page = page_of(client.get(f"/questions/{course_question.pk}/"))
        assert SECRET in page and "A class answer." in page and "asked to your course Writing 101" in page


def test_a_student_who_left_the_course_no_longer_sees_its_questions(client, other_student, course, lesson, member):
    course.join(other_student)
    question = ask(member, lesson, title=SECRET, course=course)
    course.remove_student(other_student)
    signed_in(client, other_student)
    assert SECRET not in page_of(client.get("/questions/"))
    assert client.get(f"/questions/{question.pk}/").status_code == 404


def test_the_course_filter_shows_one_of_the_readers_courses(client, member, course, course_question):
    html = page_of(signed_in(client, member).get(f"/questions/?course={course.slug}"))
    assert SECRET in html and "Open to all" not in html and "Questions in Writing 101" in html


def test_filtering_on_a_course_one_is_not_in_is_404(client, stranger, course, course_question):
    assert signed_in(client, stranger).get(f"/questions/?course={course.slug}").status_code == 404
    client.logout()
    assert client.get(f"/questions/?course={course.slug}").status_code == 404


# Search


@pytest.mark.parametrize("words", ["PASSIVE voice", "passive", "Voice", "hedging", "HEDGING"])
def test_search_finds_words_of_titles_and_bodies_whatever_their_case(client, student, lesson, words):
    ask(student, lesson, title="Why the passive voice here?", body="The authors use Hedging in the aim.")
    ask(student, lesson, title="Unrelated", body="Nothing to see.")
    html = page_of(client.get("/questions/", {"q": words}))
    assert "Why the passive voice here?" in html and "Unrelated" not in html


def test_a_search_keeps_its_words_across_pages(client, student, lesson):
    for n in range(25):
        ask(student, lesson, title=f"Hedging {n}")
    html = page_of(client.get("/questions/", {"q": "hedging"}))
    assert "25 questions with “hedging”" in html and 'href="?q=hedging&amp;page=2"' in html
    assert "Hedging 0" in page_of(client.get("/questions/", {"q": "hedging", "page": 2}))


@pytest.mark.parametrize(
    "query",
    [{"q": "a\x00b"}, {"q": "x" * 201}, {"course": "not a slug!"}, {"course": "\x00"}],
    ids=["NUL in search", "long search", "bad course", "NUL course"],
)
def test_bad_search_input_is_400_not_500(client, query):
    assert client.get("/questions/", query).status_code == 400


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99999", "\x00"])
def test_any_page_number_gives_a_page(client, student, lesson, page):
    ask(student, lesson)
    assert client.get("/questions/", {"page": page}).status_code == 200
    assert client.get(f"/questions/on/lesson/{lesson.slug}/", {"page": page}).status_code == 200


# Order and pages


def test_questions_show_pinned_then_unanswered_newest_first_then_answered(client, student, other_student, lesson):
    answered = ask(student, lesson, title="Answered long ago")
    answered.answer(other_student, "Done.")
    old = ask(student, lesson, title="Old unanswered")
    pinned = ask(student, lesson, title="Pinned answered")
    pinned.answer(other_student, "Done.")
    Question.objects.filter(pk=pinned.pk).update(pinned=True)
    answered_new = ask(student, lesson, title="Answered new")
    answered_new.answer(other_student, "Done.")
    ask(student, lesson, title="New unanswered")
    expected = ["Pinned answered", "New unanswered", "Old unanswered", "Answered new", "Answered long ago"]
    for url in ("/questions/", f"/questions/on/lesson/{lesson.slug}/"):
        html = page_of(client.get(url))
        assert sorted(expected, key=html.index) == expected
    assert old.pk


def test_lists_have_twenty_questions_a_page(client, student, lesson):
    for n in range(25):
        ask(student, lesson, title=f"Question number {n:02}")
    html = page_of(client.get(f"/questions/on/lesson/{lesson.slug}/"))
    assert html.count('class="question-row"') == 20 and "Questions 1–20 of 25" in html
    html = page_of(client.get(f"/questions/on/lesson/{lesson.slug}/", {"page": 2}, headers=HTMX))
    assert html.count('class="question-row"') == 5 and "Question number 00" in html


# A place's list


def test_a_place_page_shows_its_questions_only(client, student, lesson, excerpt):
    ask(student, lesson, title="About the lesson")
    ask(student, excerpt, place="excerpt", title="About the excerpt")
    html = page_of(client.get(f"/questions/on/excerpt/{excerpt.slug}/"))
    assert "About the excerpt" in html and "About the lesson" not in html


def test_an_htmx_request_gets_only_the_list(client, student, lesson):
    ask(student, lesson, title="In the fragment")
    response = client.get(f"/questions/on/lesson/{lesson.slug}/", headers=HTMX)
    html = page_of(response)
    assert html.lstrip().startswith(f'<section class="questions" id="questions-lesson-{lesson.slug}"')
    assert "<html" not in html and "In the fragment" in html
    assert "HX-Request" in response["Vary"]


def test_question_pages_and_lists_are_never_cached(client, student, lesson):
    question = ask(student, lesson)
    for url in ("/questions/", f"/questions/on/lesson/{lesson.slug}/", f"/questions/{question.pk}/"):
        assert "no-store" in client.get(url)["Cache-Control"]
    assert "no-store" in client.get(f"/questions/on/lesson/{lesson.slug}/", headers=HTMX)["Cache-Control"]


def test_a_visitor_who_is_not_logged_in_reads_and_is_asked_to_log_in(client, student, lesson):
    ask(student, lesson, title="Readable by all")
    html = page_of(client.get(f"/questions/on/lesson/{lesson.slug}/"))
    assert "Readable by all" in html and "Log in to ask" in html and 'name="title"' not in html


@pytest.mark.parametrize("path", ["paper/lee-2016", "lesson/no-such-lesson", "excerpt/no-such", "exercise/no-such"])
def test_an_unknown_place_or_slug_is_404(client, path):
    assert client.get(f"/questions/on/{path}/").status_code == 404


def test_each_row_says_where_to_whom_and_how_it_stands(client, member, course, lesson, excerpt, exercise):
    helped = ask(member, lesson, title="On the lesson")
    helped.mark_helpful(helped.answer(member, "Self-answered."))
    ask(member, excerpt, place="excerpt", title="On the excerpt", course=course)
    closed = ask(member, exercise, place="exercise", title="On the exercise")
    Question.objects.filter(pk=closed.pk).update(closed=True, pinned=True)
    html = page_of(signed_in(client, member).get("/questions/"))
    assert f'href="{lesson.get_absolute_url()}">the lesson “{lesson.title}”' in html
    assert f'href="/papers/{excerpt.paper.slug}/#excerpt-{excerpt.slug}"' in html
    assert f'href="{exercise.get_absolute_url()}">the exercise “{escape(exercise.title)}”' in html
    assert "asked to your course Writing 101" in html and "asked to everyone" in html
    assert "✓ Answered" in html and "Pinned" in html and "Closed" in html and "1 answer<" in html


def test_the_author_sees_their_hidden_question_with_the_reason_and_others_do_not(
    client, student, other_student, instructor, lesson
):
    question = ask(student, lesson, title="Rude words")
    question.hide(instructor, "Please keep it polite.")
    html = page_of(signed_in(client, student).get(f"/questions/{question.pk}/"))
    assert "A moderator hid your question" in html and "Please keep it polite." in html
    assert "Hidden by a moderator" in page_of(client.get("/questions/"))
    signed_in(client, other_student)
    assert client.get(f"/questions/{question.pk}/").status_code == 404
    assert "Rude words" not in page_of(client.get("/questions/"))


def test_hidden_and_held_answers_show_to_their_author_only(client, student, other_student, stranger, instructor,
                                                           lesson):  # fmt: skip
    question = ask(student, lesson)
    hidden = question.answer(other_student, "Hidden answer.")
    hidden.hide(instructor, "Spam.")
    held = question.answer(other_student, "Held answer.")
    Reply.objects.filter(pk=held.pk).update(state="held")
    html = page_of(signed_in(client, other_student).get(f"/questions/{question.pk}/"))
    assert "Hidden answer." in html and "Spam." in html and "Held answer." in html and "waits for review" in html
    html = page_of(signed_in(client, stranger).get(f"/questions/{question.pk}/"))
    assert "Hidden answer." not in html and "Held answer." not in html and "0 answers" in html


# A question's page


def test_reading_ones_question_marks_its_answers_seen(client, student, other_student, lesson):
    question = ask(student, lesson)
    question.answer(other_student, "New for you.")
    signed_in(client, other_student).get(f"/questions/{question.pk}/")
    assert Reply.objects.get().seen_by_asker is False
    signed_in(client, student).get(f"/questions/{question.pk}/")
    assert Reply.objects.get().seen_by_asker is True


def test_a_question_page_shows_the_question_and_its_answers_in_order(client, student, other_student, lesson):
    question = ask(student, lesson, title="What is a move?", body="I read the *lesson*.")
    question.answer(other_student, "First answer.")
    question.answer(student, "Second answer.")
    html = page_of(client.get(f"/questions/{question.pk}/"))
    assert "What is a move?" in html and "<em>lesson</em>" in html and "2 answers" in html
    assert html.index("First answer.") < html.index("Second answer.")


def test_a_question_page_takes_only_get(client, student, lesson):
    question = ask(student, lesson)
    assert client.post(f"/questions/{question.pk}/").status_code == 405
    assert client.post("/questions/").status_code == 405


def test_an_unknown_question_is_404(client):
    assert client.get("/questions/999999/").status_code == 404


# Queries: constant whatever the number of posts


def add_questions(author, course, lesson, excerpt, exercise, count):
    for n in range(count):
        subject, place = [(lesson, "lesson"), (excerpt, "excerpt"), (exercise, "exercise")][n % 3]
        question = ask(author, subject, place=place, title=f"Question {n}", course=course if n % 2 else None)
        if n % 4 == 0:
            question.mark_helpful(question.answer(author, "An answer."))


# Every signed-in page here: session, user, the user's two permission reads (is the user a moderator?,
# asked by `visible_to`), the courses the user teaches (for the moderation controls), and the
# navigation's count of unseen answers.
SIGNED_IN = 6


@pytest.mark.parametrize("count", [3, 40])
def test_the_list_of_questions_costs_the_same_queries_with_3_or_40(
    client, member, course, lesson, excerpt, exercise, django_assert_num_queries, count
):
    signed_in(client, member)
    add_questions(member, course, lesson, excerpt, exercise, count)
    for url in ("/questions/", "/questions/?q=question", f"/questions/?course={course.slug}"):
        with django_assert_num_queries(SIGNED_IN + 3):  # the user's courses, the count, a page with its places
            response = client.get(url)
        assert response.content.decode().count('class="question-row"') == min(count, 20) or "course" in url


@pytest.mark.parametrize("count", [3, 40])
def test_a_place_page_costs_the_same_queries_with_3_or_40(
    client, member, course, lesson, django_assert_num_queries, count
):
    for n in range(count):
        ask(member, lesson, title=f"Q {n}", course=course if n % 2 else None).answer(member, "Answer.")
    signed_in(client, member)
    with django_assert_num_queries(SIGNED_IN + 4):  # the lesson, the count, a page, the courses to ask
        client.get(f"/questions/on/lesson/{lesson.slug}/")
    with django_assert_num_queries(SIGNED_IN + 3):  # no navigation in the fragment: no unseen count
        response = client.get(f"/questions/on/lesson/{lesson.slug}/", headers=HTMX)
    assert response.content.decode().count('class="question-row"') == min(count, 20)
    client.logout()
    with django_assert_num_queries(3):  # the lesson, the count, a page
        client.get(f"/questions/on/lesson/{lesson.slug}/")


@pytest.mark.parametrize("count", [3, 40])
def test_an_exercise_place_page_costs_the_same_queries_with_3_or_40(
    client, student, exercise, make, django_assert_num_queries, count
):
    make.attempt(make.learner(student), exercise)
    for n in range(count):
        ask(student, exercise, place="exercise", title=f"Q {n}")
    signed_in(client, student)
    client.get(f"/questions/on/exercise/{exercise.slug}/")  # the learner's id is kept in the session from here
    with django_assert_num_queries(SIGNED_IN + 5):  # the exercise, the count, a page, an attempt?, the courses
        client.get(f"/questions/on/exercise/{exercise.slug}/")


@pytest.mark.parametrize("count", [3, 40])
def test_a_question_page_costs_the_same_queries_with_3_or_40_answers(
    client, member, other_student, instructor, course, lesson, django_assert_num_queries, count
):
    course.join(other_student)
    question = ask(member, lesson, course=course)
    for n in range(count):
        reply = question.answer(other_student if n % 2 else instructor, f"Answer {n}", as_instructor=not n % 2)
        if n % 5 == 4:
            reply.hide(instructor, "Hidden.")
    # the question, the answers with their authors; the asker also marks the answers seen
    for user, extra in ((member, 1), (instructor, 0), (other_student, 0)):
        signed_in(client, user)
        with django_assert_num_queries(SIGNED_IN + 2 + extra):
            response = client.get(f"/questions/{question.pk}/")
        assert response.content.decode().count('<li class="answer') >= count - (count + 1) // 5


@pytest.mark.parametrize(
    "path", ["/questions/99999999999999999999999/", "/questions/answers/99999999999999999999999/edit/"]
)
def test_a_question_number_out_of_range_is_404_not_500(client, student, path):
    assert signed_in(client, student).get(path).status_code == 404
