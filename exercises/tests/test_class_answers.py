"""How the others answered (issue 17), and the course an attempt is made for.

After submitting, each sentence shows how other learners labelled it on their first attempts: the
course's students within a course, every learner on one's own; only once 5 others have answered,
never with names, the best label marked in words. An exercise opened from a course's page (`?for=`)
records its attempt for that course."""

import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.models import CourseAttempt, CourseFirstAttempt, CourseScope
from exercises.models import Attempt, Exercise

pytestmark = pytest.mark.django_db

SHARE = re.compile(
    r'<li class="share share-(?P<verdict>\w+)"><span class="share-label">(?P<label>[^<]+?)(?: <.*?)?</span>\s*'
    r'<meter min="0" max="100" value="(?P<meter>\d+)" aria-hidden="true"></meter>\s*'
    r'<span class="share-count">(?P<count>\d+) \((?P<percent>\d+)%\)</span>',
    re.DOTALL,
)
FEWER_THAN_FIVE = "shows here once at least 5 other learners have answered this exercise"


def submit_url(exercise):
    return reverse("exercise_submit", args=[exercise.slug])


def peers(make, exercise, count, course=None, **answers):
    """`count` other learners, each with a first attempt at `exercise` (all right unless `answers` say)."""
    for _ in range(count):
        make.attempt(make.learner(), exercise, course=course, **answers)


def submit(client, make, exercise, course=None, **answers):
    data = make.answers(exercise, **answers)
    if course is not None:
        data["for"] = course.slug
    client.post(submit_url(exercise), data)
    return Attempt.objects.order_by("-pk").first()


def sentence_item(html, position):
    start = html.index(f'<li id="sentence-{position}"')
    end = html.find('<li id="sentence-', start + 1)
    return html[start : end if end != -1 else None]


def shares(html, position):
    """{label name: (count, percent, verdict, whether the best label is marked)} for one sentence."""
    item = sentence_item(html, position)
    found = {}
    for match in SHARE.finditer(item):
        row = match.group(0)
        assert match["meter"] == match["percent"]
        found[match["label"]] = (int(match["count"]), int(match["percent"]), match["verdict"], "✓ best label" in row)
    return found


def test_the_others_answers_are_hidden_with_four_other_learners_and_shown_with_five(client, make, exercise):
    peers(make, exercise, 4)
    attempt = submit(client, make, exercise)
    html = client.get(attempt.get_absolute_url()).content.decode()
    assert html.count(FEWER_THAN_FIVE) == 1  # once per feedback, not per sentence
    assert 'class="class-answers"' not in html and "<meter" not in html
    peers(make, exercise, 1)
    html = client.get(attempt.get_absolute_url()).content.decode()
    assert FEWER_THAN_FIVE not in html
    assert html.count('<div class="class-answers"') == exercise.sentences.count()
    assert 'How all learners labelled sentence 1 <span class="muted">(first attempts of 5 other learners)' in html


def test_the_learners_own_first_attempt_is_not_counted(client, make, exercise):
    peers(make, exercise, 4)
    attempt = submit(client, make, exercise, label_slug="about")
    # Only four others: their own first attempt does not make up the five.
    assert FEWER_THAN_FIVE in client.get(attempt.get_absolute_url()).content.decode()
    peers(make, exercise, 1)
    later = submit(client, make, exercise)  # a second attempt, all right: still the first is theirs
    for page in (attempt, later):
        html = client.get(page.get_absolute_url()).content.decode()
        assert shares(html, 1)["What the paper is about"][:2] == (0, 0)
        assert shares(html, 1)["Lead-in"][:2] == (5, 100)


def test_learners_one_after_the_other_each_see_the_others_without_their_own_first_attempt(make, exercise):
    # The query of one's own first answers is compiled once per exercise and run with each learner's id.
    peers(make, exercise, 5)
    pages = {}
    for label in ("about", "problem"):
        client = Client()
        client.post(submit_url(exercise), make.answers(exercise, label_slug=label))
        pages[label] = client.get(Attempt.objects.order_by("-pk").first().get_absolute_url()).content.decode()
    assert shares(pages["about"], 1)["What the paper is about"][:2] == (0, 0)
    assert shares(pages["problem"], 1)["What the paper is about"][:2] == (1, 17)  # the first learner's
    assert shares(pages["problem"], 1)["The problem"][:2] == (0, 0)


def test_the_right_label_is_marked_in_words_and_the_percentages_add_up(client, make, exercise):
    peers(make, exercise, 3)
    peers(make, exercise, 2, label_slug="problem")
    peers(make, exercise, 1, label_slug="importance")
    attempt = submit(client, make, exercise, right=False)
    html = client.get(attempt.get_absolute_url()).content.decode()
    first = shares(html, 1)  # lead-in is right
    assert first == {
        "Lead-in": (3, 50, "right", True),
        "The problem": (2, 33, "wrong", False),
        "What the paper is about": (0, 0, "wrong", False),
        "Why it is important": (1, 17, "wrong", False),
    }
    # Sentence 4 is "about", with "importance" also accepted: marked as such, in words.
    fourth = shares(html, 4)
    assert fourth["What the paper is about"] == (3, 50, "right", True)
    assert fourth["Why it is important"][2] == "accepted"
    assert "≈ also accepted" in sentence_item(html, 4)
    assert sentence_item(html, 1).count("✓ best label") == 1
    # Never with names.
    assert "anonymous learner" not in html


def test_the_htmx_feedback_shows_the_others_answers_too(client, make, exercise):
    peers(make, exercise, 5)
    response = client.post(submit_url(exercise), make.answers(exercise), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="work"')
    assert shares(html, 2)["The problem"] == (5, 100, "right", True)


def test_within_a_course_only_its_students_first_attempts_count(client, make, student, course, exercise):
    course.join(student)
    peers(make, exercise, 5, course=course)
    peers(make, exercise, 6, label_slug="problem")  # on their own: not the course's
    # A course student's second attempt for the course is not counted either.
    first = Attempt.objects.filter(course_link__course=course).first()
    make.attempt(first.learner, exercise, course=course, label_slug="problem")
    client.force_login(student)
    attempt = submit(client, make, exercise, course=course)
    assert attempt.course_link.course == course
    html = client.get(attempt.get_absolute_url()).content.decode()
    assert 'How Writing 101 labelled sentence 1 <span class="muted">(first attempts of 5 other learners)' in html
    assert shares(html, 1)["Lead-in"][:2] == (5, 100)
    assert shares(html, 1)["The problem"][:2] == (0, 0)
    # The same learner on their own sees everyone's first attempts: 5 + 6 others.
    own = submit(client, make, exercise)
    html = client.get(own.get_absolute_url()).content.decode()
    assert shares(html, 1)["Lead-in"][:2] == (5, 45) and shares(html, 1)["The problem"][:2] == (6, 55)


def test_a_students_first_attempt_for_a_course_stays_the_one_counted(make, student, course, exercise):
    course.join(student)
    learner = make.learner(student)
    make.attempt(learner, exercise, label_slug="problem")  # on their own, before: not the course's
    first = make.attempt(learner, exercise, course=course, label_slug="about")
    make.attempt(learner, exercise, course=course)
    assert list(CourseFirstAttempt.objects.filter(course=course).values_list("attempt", flat=True)) == [first.pk]
    assert list(CourseScope(course).first_attempts(exercise)) == [first]


def test_a_course_with_fewer_than_five_other_students_says_so(client, make, student, course, exercise):
    course.join(student)
    peers(make, exercise, 4, course=course)
    peers(make, exercise, 10)
    client.force_login(student)
    attempt = submit(client, make, exercise, course=course)
    html = client.get(attempt.get_absolute_url()).content.decode()
    assert "How Writing 101 labelled each sentence shows here once at least 5 other learners" in html
    assert "<meter" not in html


def feedback_queries(client, make, student, exercise):
    """The statements of an htmx submit and of the attempt page, each with the tallies not yet cached."""
    caches["tallies"].clear()
    with CaptureQueriesContext(connection) as submitted:
        response = client.post(submit_url(exercise), make.answers(exercise), headers={"HX-Request": "true"})
    assert "<meter" in response.content.decode()
    url = Attempt.objects.filter(learner__user=student).order_by("-pk").first().get_absolute_url()
    caches["tallies"].clear()
    with CaptureQueriesContext(connection) as shown:
        html = client.get(url).content.decode()
    assert "<meter" in html
    return len(submitted.captured_queries), len(shown.captured_queries), html


def test_the_feedback_costs_the_same_queries_with_five_others_or_forty(client, make, student, exercise):
    client.force_login(student)
    peers(make, exercise, 4)
    client.post(submit_url(exercise), make.answers(exercise))  # the learner's first attempt; the session learns them
    url = Attempt.objects.get(learner__user=student).get_absolute_url()
    client.get(url)  # what a process reads once (the exercise's content) is read
    with CaptureQueriesContext(connection) as hidden:
        client.get(url)
    peers(make, exercise, 1)
    submitted_five, shown_five, _ = feedback_queries(client, make, student, exercise)
    peers(make, exercise, 35, right=False)
    submitted_forty, shown_forty, html = feedback_queries(client, make, student, exercise)
    assert "(first attempts of 40 other learners)" in html
    assert (submitted_forty, shown_forty) == (submitted_five, shown_five)
    # Below the minimum the others' answers cost one query (the count); shown, one more (the tally).
    assert shown_five == len(hidden.captured_queries) + 1


def test_a_cached_tally_costs_no_more_than_a_fresh_one(client, make, student, exercise, django_assert_max_num_queries):
    client.force_login(student)
    peers(make, exercise, 5)
    client.post(submit_url(exercise), make.answers(exercise, right=False))
    _, shown, _ = feedback_queries(client, make, student, exercise)
    url = Attempt.objects.filter(learner__user=student).order_by("-pk").first().get_absolute_url()
    with django_assert_max_num_queries(shown):  # the tally read from the cache, the learner's own first read
        client.get(url)


class TestTheCourseAnAttemptIsFor:
    """`?for=<course slug>` from the course's page: shown on the exercise page, kept in the answer form,
    recorded with the attempt; anything else is self-study."""

    def test_the_students_course_page_links_its_exercises_for_the_course(self, client, student, course, exercise):
        course.join(student)
        client.force_login(student)
        html = client.get(course.get_absolute_url()).content.decode()
        assert f'href="{exercise.get_absolute_url()}?for={course.slug}"' in html

    def test_a_student_opening_an_assigned_exercise_for_the_course_sees_it_and_the_form_carries_it(
        self, client, student, course, exercise
    ):
        course.join(student)
        client.force_login(student)
        html = client.get(f"{exercise.get_absolute_url()}?for={course.slug}").content.decode()
        assert "You are doing this exercise for <strong>Writing 101</strong>: your instructors see" in html
        start = html.index('<form method="post" action="/exercises/')
        form = html[start : html.index("</form>", start)]
        assert f'<input type="hidden" name="for" value="{course.slug}">' in form

    @pytest.mark.parametrize("htmx", [False, True])
    def test_a_submit_for_the_course_records_it(self, client, make, student, course, exercise, htmx):
        course.join(student)
        client.force_login(student)
        data = {**make.answers(exercise), "for": course.slug}
        response = client.post(submit_url(exercise), data, headers={"HX-Request": "true"} if htmx else {})
        attempt = Attempt.objects.get()
        assert attempt.course_link.course == course
        html = response.content.decode() if htmx else client.get(attempt.get_absolute_url()).content.decode()
        assert f'href="{exercise.get_absolute_url()}?for={course.slug}">Try again' in html
        if not htmx:
            assert "This attempt was made for <strong>Writing 101</strong>" in html

    def test_a_refused_answer_form_keeps_the_course(self, client, make, student, course, exercise):
        course.join(student)
        client.force_login(student)
        data = {"version": exercise.version, "for": course.slug}
        response = client.post(submit_url(exercise), data, headers={"HX-Request": "true"})
        assert response.status_code == 400
        assert f'<input type="hidden" name="for" value="{course.slug}">' in response.content.decode()

    @pytest.mark.parametrize("who", ["stranger", "anonymous", "instructor", "not assigned"])
    def test_a_course_the_user_does_not_take_falls_back_to_self_study(
        self, client, make, stranger, instructor, student, course, exercise, who
    ):
        if who == "stranger":
            client.force_login(stranger)
        elif who == "instructor":
            client.force_login(instructor)
        elif who == "not assigned":
            course.join(student)
            client.force_login(student)
            exercise = Exercise.objects.filter(exemplar=False).first()
        html = client.get(f"{exercise.get_absolute_url()}?for={course.slug}").content.decode()
        assert 'name="for"' not in html and "You are doing this exercise for" not in html
        client.post(submit_url(exercise), {**make.answers(exercise), "for": course.slug})
        attempt = Attempt.objects.get()
        assert not CourseAttempt.objects.filter(attempt=attempt).exists()
        assert "This attempt was made for" not in client.get(attempt.get_absolute_url()).content.decode()

    def test_the_cached_parts_of_the_page_never_carry_one_course_into_another_visit(
        self, client, make, student, other_student, course, exercise
    ):
        course.join(student)
        client.force_login(student)
        for_course = client.get(f"{exercise.get_absolute_url()}?for={course.slug}").content.decode()
        assert f'value="{course.slug}"' in for_course
        html = client.get(exercise.get_absolute_url()).content.decode()
        assert 'name="for"' not in html and "Writing 101" not in html
        client.force_login(other_student)
        html = client.get(f"{exercise.get_absolute_url()}?for={course.slug}").content.decode()
        assert 'name="for"' not in html and "Writing 101" not in html
