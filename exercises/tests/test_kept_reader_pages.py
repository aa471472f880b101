"""A signed-in reader's exercise list, exercise page and progress page, kept per process (`lessons.pages`):
never another reader's, and never older than what the reader did, or what was decided or written for them."""

import difflib
import gzip
import re

import pytest
from django.test import Client
from django.urls import reverse

from exercises.models import Answer, Objection, ObjectionStatus
from lessons.models import Lesson
from questions.models import Question

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PAGES = ["exercises", "exercise", "progress"]


def url_of(page, exercise):
    return reverse("exercise", args=[exercise.slug]) if page == "exercise" else reverse(page)


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def read(client, url):
    return client.get(url).content.decode()


@pytest.mark.parametrize("page", PAGES)
def test_a_page_kept_for_one_reader_is_never_shown_to_another(make, student, other_student, exercise, page):
    make.attempt(make.learner(student), exercise)
    url = url_of(page, exercise)
    mine = read(signed_in(student), url)
    read(signed_in(student), url)  # now kept
    theirs = read(signed_in(other_student), url)
    assert 'Signed in as <a href="/accounts/">student</a>' in mine
    assert 'Signed in as <a href="/accounts/">other-student</a>' in theirs and ">student<" not in theirs
    assert "Attempt 1" not in theirs and "No attempts yet" in read(signed_in(other_student), reverse("progress"))


@pytest.mark.parametrize("page", PAGES)
def test_a_submit_shows_on_the_readers_kept_pages_at_once(make, student, exercise, page):
    client = signed_in(student)
    url = url_of(page, exercise)
    read(client, url), read(client, url)  # kept
    response = client.post(reverse("exercise_submit", args=[exercise.slug]), make.answers(exercise))
    assert response.status_code == 302
    html = read(client, url)
    shown = {
        "exercises": "Your best: <strong>100%</strong> over 1 attempt.",
        "exercise": "Attempt 1</a>: ",
        "progress": '<tr data-exercise="lee-2016-abstract">',
    }
    assert shown[page] in html


def test_a_decision_on_an_objection_shows_on_the_kept_progress_page(make, student, exercise):
    objection = make.objection(make.attempt(make.learner(student), exercise, right=False))
    client = signed_in(student)
    read(client, reverse("progress"))
    assert "my-objection-open" in read(client, reverse("progress"))
    objection.status, objection.reply = ObjectionStatus.REJECTED, "It does not: the aim comes later."
    objection.save(update_fields=["status", "reply"])
    html = read(client, reverse("progress"))
    assert "my-objection-rejected" in html and "It does not: the aim comes later." in html


def test_an_accepted_objection_shows_the_attempts_new_score_on_every_page(make, student, instructor, exercise):
    # The attempt's item, the progress row and the card are each kept under the numbers they show.
    attempt = make.attempt(make.learner(student), exercise, right=False)
    objection = make.objection(attempt)
    client = signed_in(student)
    before = {page: read(client, url_of(page, exercise)) for page in PAGES}
    total = attempt.total
    assert f"Attempt 1</a>: 0 of {total} (0%)" in before["exercise"]
    Objection.objects.filter(pk=objection.pk).decide(
        accept=True, by=instructor, regrade=Answer.objects.filter(pk=objection.answer_id)
    )
    score = round(100 / total)
    assert f"Attempt 1</a>: 1 of {total} ({score}%)" in read(client, url_of("exercise", exercise))
    assert f"<td>{score}%</td>" in read(client, url_of("progress", exercise))
    assert f"Your best: <strong>{score}%</strong> over 1 attempt." in read(client, url_of("exercises", exercise))


def test_an_answer_to_the_readers_question_shows_at_once_and_goes_once_read(student, other_student, exercise):
    lesson = Lesson.objects.get(slug="main-body")
    question = Question.ask(student, "lesson", lesson, "Why is the gap stated before the aim?", "I do not see why.")
    client = signed_in(student)
    url = reverse("exercises")
    read(client, url), read(client, url)  # kept
    question.answer(other_student, "Because the gap makes the aim needed.")
    assert '1 new answer<span class="visually-hidden"> to your questions</span>' in read(client, url)
    assert "Why is the gap stated before the aim?" in read(client, reverse("progress"))
    client.get(reverse("question", args=[question.pk]))
    assert "new answer" not in read(client, url)


def test_a_renamed_account_shows_its_new_name_at_once(student, exercise):
    client = signed_in(student)
    read(client, reverse("exercises")), read(client, reverse("exercises"))
    student.username = "renamed"
    student.save()
    assert 'Signed in as <a href="/accounts/">renamed</a>' in read(client, reverse("exercises"))


def test_a_password_changed_elsewhere_ends_the_session_even_for_a_kept_page(student, exercise):
    client = signed_in(student)
    read(client, reverse("exercises")), read(client, reverse("exercises"))
    student.set_password("a new password, changed on another device")
    student.save()
    html = read(client, reverse("exercises"))
    assert "Signed in as" not in html and "Log in" in html


def test_each_response_of_a_kept_page_has_its_own_token_and_reads_the_same_compressed(make, student, exercise):
    client = signed_in(student)
    url = reverse("exercise", args=[exercise.slug])
    plain = read(client, url)
    responses = [client.get(url, headers={"accept-encoding": "gzip"}) for _ in range(4)]
    pages = [gzip.decompress(response.content).decode() for response in responses]
    tokens = [TOKEN.findall(page) for page in pages]
    assert len({token for found in tokens for token in found}) == 4 and all(len(set(found)) == 1 for found in tokens)
    assert {TOKEN.sub("", page) for page in pages} == {TOKEN.sub("", plain)}
    # Each token is compressed on its own: the responses differ only in those few bytes (two forms, a
    # 64-character token each) and the trailer's checksum; the rest was compressed once.
    first, *others = [response.content for response in responses]
    for other in others:
        same = difflib.SequenceMatcher(None, first, other, autojunk=False).get_matching_blocks()
        assert len(first) - sum(block.size for block in same) <= 2 * 64 + 8


def test_a_reader_with_a_message_waiting_gets_it(client, student, make, course):
    client.force_login(student)
    read(client, reverse("exercises")), read(client, reverse("exercises"))
    assert client.post(reverse("join"), {"code": course.join_code}).status_code == 302
    assert "You are in Writing 101." in read(client, reverse("exercises"))
