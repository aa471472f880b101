import csv
import io

import pytest
from django.urls import reverse

from courses.exports import safe_cell
from exercises.models import Exercise

pytestmark = pytest.mark.django_db


@pytest.fixture
def lee():
    return Exercise.objects.get(slug="lee-2016-abstract")


def class_of(course, make, size, lee):
    students = []
    for index in range(size):
        user = make.user(f"s{index:03d}")
        course.join(user)
        learner = make.learner(user)
        make.attempt(learner, lee, right=index % 2 == 0)
        make.attempt(learner, lee)
        students.append(user)
    return students


def read_csv(response):
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))


def test_dashboard_shows_code_link_roster_and_progress_cells_as_text(client, course, instructor, student, make, lee):
    course.join(student)
    learner = make.learner(student)
    make.attempt(learner, lee, right=False)
    make.attempt(learner, lee)
    client.force_login(instructor)
    response = client.get(course.get_absolute_url())
    html = response.content.decode()
    assert course.join_code in html
    assert f"http://testserver/courses/join/{course.join_code}/" in html
    assert "no-store" in response["Cache-Control"]
    row = html[html.index('<tr data-student="student">') :]
    assert '100% <span class="muted">(2 attempts)</span>' in row[: row.index("</tr>")]
    assert "Class average" in html


def test_exercise_analytics_show_share_right_spread_and_confusion(client, course, instructor, student, make, lee):
    course.join(student)
    client.force_login(student)
    client.post(reverse("exercise_submit", args=[lee.slug]), make.answers(lee, label_slug="lead-in"))
    client.force_login(instructor)
    html = client.get(reverse("course_exercise", args=[course.slug, lee.slug])).content.decode()
    assert "Got it right: <strong>100%</strong> (1 of 1 answers)" in html  # the lead-in sentence
    assert "Got it right: <strong>0%</strong> (0 of 1 answers)" in html
    assert "Lead-in: 1 (100%)" in html
    problems = lee.sentences.filter(label__slug="problem").count()
    confusion = html[html.index('<table class="confusion">') :]
    problem_row = confusion[confusion.index('<th scope="row">The problem</th>') :]
    assert problem_row.split("</tr>")[0].count(f"<td>{problems}</td>") == 1


def test_the_class_average_is_over_each_students_best(client, course, instructor, make, lee):
    strong, weak = make.user("strong"), make.user("weak")
    for user in (strong, weak):
        course.join(user)
    make.attempt(make.learner(strong), lee, right=False)
    make.attempt(make.learner(strong), lee)
    make.attempt(make.learner(weak), lee, right=False)
    client.force_login(instructor)
    html = client.get(course.get_absolute_url()).content.decode()
    assert '50% <span class="muted">(2 tried)</span>' in html


def test_the_dashboard_pages_a_large_class_and_averages_over_all_of_it(client, course, instructor, make, lee):
    class_of(course, make, 55, lee)
    client.force_login(instructor)
    first = client.get(course.get_absolute_url()).content.decode()
    assert first.count('<tr data-student="') == 50
    assert "Students 1–50 of 55" in first
    assert '100% <span class="muted">(55 tried)</span>' in first
    second = client.get(course.get_absolute_url() + "?page=2").content.decode()
    assert second.count('<tr data-student="') == 5
    assert '<tr data-student="s054">' in second


def test_per_student_page_shows_every_attempt_with_answers(client, course, instructor, student, make, lee):
    course.join(student)
    make.attempt(make.learner(student), lee, right=False)
    client.force_login(instructor)
    html = client.get(reverse("course_student", args=[course.slug, student.pk])).content.decode()
    assert html.count('data-verdict="wrong"') == lee.sentences.count()


def test_a_student_sees_their_own_attempts_page_but_not_anothers(client, course, student, other_student, make):
    course.join(student)
    course.join(other_student)
    client.force_login(student)
    assert client.get(reverse("course_student", args=[course.slug, student.pk])).status_code == 200
    assert client.get(reverse("course_student", args=[course.slug, other_student.pk])).status_code == 404


@pytest.mark.parametrize("who", ["student", "stranger", "anonymous"])
def test_instructor_pages_are_404_to_students_and_strangers(client, course, student, stranger, lee, who):
    course.join(student)
    if who != "anonymous":
        client.force_login(student if who == "student" else stranger)
    urls = [
        reverse("course_exercise", args=[course.slug, lee.slug]),
        reverse("course_export_progress", args=[course.slug]),
        reverse("course_export_answers", args=[course.slug]),
        reverse("course_assignments", args=[course.slug]),
    ]
    if who != "student":
        urls.append(course.get_absolute_url())
    for url in urls:
        response = client.get(url)
        assert response.status_code == (302 if who == "anonymous" else 404), url


def test_progress_csv_has_one_row_per_student_and_exercise(client, course, instructor, make, lee):
    class_of(course, make, 3, lee)
    client.force_login(instructor)
    rows = read_csv(client.get(reverse("course_export_progress", args=[course.slug])))
    assert rows[0][:3] == ["student", "exercise", "exercise_title"]
    assert len(rows) == 1 + 3 * course.assignments.count()
    lee_rows = [row for row in rows if row[1] == "lee-2016-abstract"]
    assert [row[4:6] for row in lee_rows] == [["2", "100"]] * 3


def test_answers_csv_has_one_row_per_answer(client, course, instructor, make, lee):
    class_of(course, make, 2, lee)
    client.force_login(instructor)
    rows = read_csv(client.get(reverse("course_export_answers", args=[course.slug])))
    assert rows[0] == [
        "student", "exercise", "revision", "attempt", "submitted_at", "sentence", "sentence_text", "chosen_label",
        "right_label", "verdict", "late",
    ]  # fmt: skip
    assert len(rows) == 1 + 2 * 2 * lee.sentences.count()
    assert {row[9] for row in rows[1:]} <= {"right", "accepted", "wrong"}
    assert {row[2] for row in rows[1:]} == {""}  # the revision: for a course's own exercises only


def test_csv_cells_never_run_as_formulas(client, course, instructor, make, lee):
    user = make.user("-2+3")
    course.join(user)
    make.attempt(make.learner(user), lee)
    client.force_login(instructor)
    rows = read_csv(client.get(reverse("course_export_progress", args=[course.slug])))
    assert rows[1][0] == "'-2+3"
    for value in ["=SUM(A1)", "+1", "-1", "@cmd"]:
        assert safe_cell(value) == "'" + value
    assert safe_cell("plain") == "plain"


@pytest.mark.parametrize(
    "url_name, expected, again",
    [
        # session, user, membership+course, student count, a page of students, assignments, the
        # results' stamp, progress rows, class averages, open objections, instructors, pending
        # invitations, the count of new answers to one's questions (the navigation shows it, issue
        # 18), the questions panel's counts (one aggregate, courses/panels.py); again, with nothing
        # written since: the progress rows and class averages are kept under the stamp
        ("course", 14, 12),
        # session, user, membership+course, exercise, labels, sentences, the results' stamp (students,
        # assignments), answer counts, attempt count, the count of new answers to one's questions
        # (the navigation shows it, issue 18); again: the answer counts and attempt count are kept
        ("course_exercise", 11, 9),
        # session, user, membership+course, progress rows, assignments, students
        ("course_export_progress", 6, 6),
    ],
)
def test_instructor_pages_do_not_grow_queries_with_the_class(
    client, course, instructor, make, lee, django_assert_num_queries, url_name, expected, again
):
    args = [course.slug, lee.slug] if url_name == "course_exercise" else [course.slug]
    client.force_login(instructor)
    class_of(course, make, 2, lee)
    for count in (expected, again):
        with django_assert_num_queries(count):
            response = client.get(reverse(url_name, args=args))
            b"".join(response.streaming_content) if response.streaming else response.content
    class_of_more = [make.user(f"t{i:03d}") for i in range(38)]
    for user in class_of_more:
        course.join(user)
        make.attempt(make.learner(user), lee)
    for count in (expected, again):
        with django_assert_num_queries(count):
            response = client.get(reverse(url_name, args=args))
            b"".join(response.streaming_content) if response.streaming else response.content
