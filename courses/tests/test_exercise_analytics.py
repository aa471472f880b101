"""The per-exercise analytics (review M5): right and accepted labels marked, sentences numbered,
"No answers yet" for no data, and a choice of first, best or all attempts, in fixed queries."""

import pytest
from django.urls import reverse

from courses.analytics import chosen_attempts, exercise_analytics
from exercises.models import Exercise

pytestmark = pytest.mark.django_db


@pytest.fixture
def lee():
    return Exercise.objects.get(slug="lee-2016-abstract")


def analytics_url(course, exercise, which=None):
    url = reverse("course_exercise", args=[course.slug, exercise.slug])
    return f"{url}?attempts={which}" if which else url


def three_tries(make, user, exercise):
    """Wrong, right, wrong: first is 0%, best is 100%, all is 1 in 3."""
    learner = make.learner(user)
    return [make.attempt(learner, exercise, right=right) for right in (False, True, False)]


def test_first_best_and_all_pick_the_attempts_a_teacher_means(course, student, make, lee):
    course.join(student)
    first, best, last = three_tries(make, student, lee)
    assert list(chosen_attempts(course, lee, "first")) == [first]
    assert list(chosen_attempts(course, lee, "best")) == [best]
    assert set(chosen_attempts(course, lee, "all")) == {first, best, last}


def test_best_takes_the_latest_of_equal_scores(course, student, make, lee):
    course.join(student)
    learner = make.learner(student)
    make.attempt(learner, lee)
    later = make.attempt(learner, lee)
    assert list(chosen_attempts(course, lee, "best")) == [later]


def test_the_page_defaults_to_first_attempts_and_offers_the_others(client, course, instructor, student, make, lee):
    course.join(student)
    three_tries(make, student, lee)
    client.force_login(instructor)
    html = client.get(analytics_url(course, lee)).content.decode()
    assert 'value="first" checked' in html
    assert "Counting 1 attempt by 1 student" in html
    assert "Got it right: <strong>0%</strong>" in html and "Got it right: <strong>100%</strong>" not in html
    best = client.get(analytics_url(course, lee, "best")).content.decode()
    assert 'value="best" checked' in best and "Got it right: <strong>0%</strong>" not in best
    every = client.get(analytics_url(course, lee, "all")).content.decode()
    assert "Counting 3 attempts by 1 student" in every and "Got it right: <strong>33%</strong>" in every


def test_an_unknown_choice_is_a_clear_400(client, course, instructor, lee):
    client.force_login(instructor)
    response = client.get(analytics_url(course, lee, "most"))
    assert response.status_code == 400
    assert "Choose first, best or all attempts" in response.content.decode()


def test_no_answers_reads_no_answers_yet_not_zero_percent(client, course, instructor, lee):
    client.force_login(instructor)
    html = client.get(analytics_url(course, lee)).content.decode()
    assert "No answers yet" in html
    assert "0%" not in html and "(0 of 0" not in html


def test_sentences_are_numbered_as_on_the_student_pages(client, course, instructor, lee):
    client.force_login(instructor)
    html = client.get(analytics_url(course, lee)).content.decode()
    for position in range(1, lee.sentences.count() + 1):
        assert f'<h3 class="sentence-number">Sentence {position}</h3>' in html


def test_the_right_and_accepted_labels_are_marked_in_words_not_colour_alone(client, course, instructor, student, make):
    sentence = next(
        s for e in Exercise.objects.all() for s in e.sentences.select_related("label", "exercise") if s.also_accepted
    )
    exercise = sentence.exercise
    course.join(student)
    client.force_login(student)
    answers = make.answers(exercise)
    answers[sentence.field_name] = sentence.also_accepted[0]
    client.post(reverse("exercise_submit", args=[exercise.slug]), answers)
    stats = exercise_analytics(course, exercise)["sentences"][sentence.position - 1]
    verdicts = {bar.move.slug: bar.verdict for bar in stats.spread}
    assert verdicts[sentence.label.slug] == "right" and verdicts[sentence.also_accepted[0]] == "accepted"
    client.force_login(instructor)
    html = client.get(analytics_url(course, exercise)).content.decode()
    item = html.split(f'data-sentence="{sentence.position}"')[1].split("</li>")[0]
    assert "(right label)</em>: 0 (0%)" in item
    assert "(also accepted)</em>: 1 (100%)" in item
    assert 'data-kind="accepted"' in item and 'data-kind="right"' in item


@pytest.mark.parametrize("which", ["first", "best", "all"])
def test_the_analytics_take_the_same_queries_for_any_class(
    client, course, instructor, make, lee, django_assert_num_queries, which
):
    client.force_login(instructor)
    url = analytics_url(course, lee, which)
    for size, prefix in ((2, "a"), (30, "b")):
        for index in range(size):
            user = make.user(f"{prefix}{index:03d}")
            course.join(user)
            three_tries(make, user, lee)
        # session, user, membership+course, exercise, labels, sentences, the results' stamp (students,
        # assignments), answer counts, attempt count, the count of new answers to one's questions
        # (the navigation shows it, issue 18); again with nothing written since: the counts are kept
        for count in (11, 9):
            with django_assert_num_queries(count):
                assert client.get(url).status_code == 200
