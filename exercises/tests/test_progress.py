import pytest
from django.urls import reverse

from exercises.models import Exercise

pytestmark = pytest.mark.django_db


def test_progress_without_attempts_invites_to_practise(client):
    html = client.get(reverse("progress")).content.decode()
    assert "No attempts yet" in html


def test_progress_shows_attempts_best_and_last_per_exercise(client, make, student, exercise):
    learner = make.learner(student)
    make.attempt(learner, exercise)
    make.attempt(learner, exercise, right=False)
    client.force_login(student)
    html = client.get(reverse("progress")).content.decode()
    row = html[html.index('<tr data-exercise="lee-2016-abstract">') :]
    row = row[: row.index("</tr>")]
    assert "<td>2</td>" in row and "<td>100%</td>" in row and "<td>0%</td>" in row
    assert exercise.get_absolute_url() in row


def test_each_reader_sees_their_own_numbers_whoever_saw_their_progress_before(
    client, make, student, other_student, exercise
):
    # Rows and label items are kept per what they show (exercises.fragments), shared by equal numbers.
    def row(html):
        at = html[html.index('<tr data-exercise="lee-2016-abstract">') :]
        return at[: at.index("</tr>")]

    for person, attempts in ((student, [True, False]), (other_student, [False])):
        for right in attempts:
            make.attempt(make.learner(person), exercise, right=right)
    client.force_login(student)
    mine = client.get(reverse("progress")).content.decode()
    assert "<td>2</td><td>100%</td><td>0%</td>" in row(mine).replace("\n", "").replace(" ", "")
    client.force_login(other_student)
    theirs = client.get(reverse("progress")).content.decode()
    assert "<td>1</td><td>0%</td><td>0%</td>" in row(theirs).replace("\n", "").replace(" ", "")
    problems = exercise.sentences.filter(label__slug="problem").count()
    assert f"right {problems} of {2 * problems}" in mine and f"right 0 of {problems}" in theirs


def test_progress_names_the_most_frequent_confusion(client, make, student, exercise):
    learner = make.learner(student)
    data = make.answers(exercise, label_slug="lead-in")
    client.force_login(student)
    client.post(reverse("exercise_submit", args=[exercise.slug]), data)
    html = client.get(reverse("progress")).content.decode()
    problems = exercise.sentences.filter(label__slug="problem").count()
    assert f"Most often mistaken for <em>lead-in</em>: {problems} of {problems} sentence" in html
    assert learner.attempts.count() == 1


def test_progress_query_count_does_not_grow_with_attempts(client, make, student, django_assert_num_queries):
    learner = make.learner(student)
    exercises = list(Exercise.objects.all()[:5])
    for exercise in exercises:
        make.attempt(learner, exercise)
    client.force_login(student)
    client.get(reverse("progress"))  # the session learns the learner's id
    # session, user, the guide's version with the reader's state (learner, an unread answer: one SELECT,
    # lessons.pages); stats per exercise, label stats, whether there is an objection (the exercises and the labels are
    # content, read once per guide version), and the count of new answers to the learner's questions
    # (issue 18: the navigation shows it)
    with django_assert_num_queries(7):
        client.get(reverse("progress"))
    for _ in range(9):
        for exercise in exercises:
            make.attempt(learner, exercise, right=False)
    with django_assert_num_queries(7):  # as above: the new attempts moved the learner's version
        response = client.get(reverse("progress"))
    assert response.content.decode().count("<td>10</td>") == 5
    with django_assert_num_queries(3):  # nothing changed since: the page as kept (session, user, state)
        again = client.get(reverse("progress"))
    assert again.content.decode().count("<td>10</td>") == 5


def test_a_visitor_is_told_how_long_their_work_is_kept(client, settings):
    settings.ANONYMOUS_RETENTION_DAYS = 30
    html = client.get(reverse("progress")).content.decode()
    assert "kept in this browser for 30 days" in html


def test_pages_with_a_learners_own_attempts_are_never_stored_by_a_shared_cache(client, make, exercise):
    attempt_url = client.post(reverse("exercise_submit", args=[exercise.slug]), make.answers(exercise))["Location"]
    for url in (reverse("progress"), reverse("exercises"), exercise.get_absolute_url(), attempt_url):
        cache_control = client.get(url)["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control, url
