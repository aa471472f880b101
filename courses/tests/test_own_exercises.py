"""A course's own exercises as its members see them (issue 19): the list, the exercise's pages for the
course's members only, attempts that keep the revision they answered, and the course's pages
(assignments, dashboard, analytics, exports) that show them like the guide's exercises."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from courses import exports
from courses.authoring import start
from courses.models import CourseAttempt, CourseExercise
from courses.tests.authoring_support import publish_revision, published_exercise, written_draft
from exercises.models import Attempt, Exercise, Objection
from testing.factory import Factory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def own(course, instructor):
    """A published exercise of the course (revision 1)."""
    return published_exercise(course, instructor)


@pytest.fixture
def other_instructor(make):
    return make.user("other-instructor")


@pytest.fixture
def other_course(make, other_instructor, other_student):
    other = make.course(other_instructor, "Writing 202")
    other.join(other_student)
    return other


@pytest.fixture
def editor(make):
    user = make.user("editor")
    user.user_permissions.add(Permission.objects.get(codename="decide_objections"))
    return user


def page(ce, name="course_own_exercise", *extra):
    return reverse(name, args=[ce.course.slug, ce.slug, *extra])


def submit(client, ce, exercise=None, **kwargs):
    """Answer the current revision (or `exercise`): every sentence right, or as `make.answers` is told."""
    return client.post(page(ce, "course_own_submit"), answers(exercise or ce.current, **kwargs))


def answers(exercise, **kwargs):
    return Factory().answers(exercise, **kwargs)


def latest_attempt(user):
    return Attempt.objects.filter(learner__user=user).order_by("-pk").first()


def read_csv(response):
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


# The exercise's pages


def test_a_student_does_a_published_exercise_and_gets_feedback_recorded_for_the_course(client, course, student, own):
    course.join(student)
    client.force_login(student)

    html = client.get(page(own)).content.decode()
    assert own.title in html
    assert f'action="{page(own, "course_own_submit")}"' in html
    assert f"You are doing this exercise for <strong>{course.title}</strong>" in html

    response = submit(client, own)
    attempt = latest_attempt(student)
    assert response.status_code == 302
    assert response["Location"] == f"{page(own, 'course_own_attempt', attempt.pk)}#feedback"
    assert attempt.exercise == own.current and attempt.correct == attempt.total
    assert CourseAttempt.objects.get(attempt=attempt).course == course

    feedback = client.get(response["Location"]).content.decode()
    assert f"Feedback on attempt 1: {attempt.total} of {attempt.total} right (100%)" in feedback
    assert f"This attempt was made for <strong>{course.title}</strong>" in feedback


def test_an_htmx_submit_returns_only_the_feedback(client, course, student, own):
    course.join(student)
    client.force_login(student)
    response = client.post(page(own, "course_own_submit"), answers(own.current), headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="work"') and "<html" not in html
    assert "Feedback on attempt 1" in html


def test_instructors_of_the_course_may_do_it_too(client, course, instructor, own):
    client.force_login(instructor)
    assert client.get(page(own)).status_code == 200
    assert submit(client, own).status_code == 302
    assert CourseAttempt.objects.get(attempt=latest_attempt(instructor)).course == course


def test_a_draft_is_404_on_every_exercise_page_even_to_instructors(client, course, student, instructor):
    draft = written_draft(course, instructor)
    course.join(student)
    for user in (student, instructor):
        client.force_login(user)
        assert client.get(page(draft)).status_code == 404
        assert client.post(page(draft, "course_own_submit"), {}).status_code == 404
        assert client.get(page(draft, "course_own_attempt", 1)).status_code == 404
        assert client.post(page(draft, "course_own_contest", 1), {}).status_code == 404
    client.force_login(instructor)
    assert client.get(page(draft, "course_own_results")).status_code == 404


def own_urls(ce, attempt_id):
    return [
        ("GET", reverse("course_own_exercises", args=[ce.course.slug])),
        ("GET", page(ce)),
        ("POST", page(ce, "course_own_submit")),
        ("GET", page(ce, "course_own_attempt", attempt_id)),
        ("POST", page(ce, "course_own_contest", attempt_id)),
        ("GET", page(ce, "course_own_results")),
    ]


@pytest.mark.parametrize("who", ["other_student", "other_instructor", "stranger", "editor"])
def test_people_outside_the_course_get_404_on_every_page(
    client, request, make, course, student, own, other_course, who
):
    course.join(student)
    attempt = make.attempt(make.learner(student), own.current, course=course)
    client.force_login(request.getfixturevalue(who))
    before = Attempt.objects.count(), Objection.objects.count()
    for method, url in own_urls(own, attempt.pk):
        data = {**answers(own.current), "sentence": attempt.answers.first().sentence_id, "reason": "It fits."}
        response = client.get(url) if method == "GET" else client.post(url, data)
        assert response.status_code == 404, (method, url)
    assert (Attempt.objects.count(), Objection.objects.count()) == before


def test_another_courses_slug_with_this_exercise_is_404_even_to_its_own_members(
    client, make, course, own, other_course, other_student
):
    """The exercise belongs to its course: its slug under another course's address names nothing."""
    client.force_login(other_student)
    url = reverse("course_own_exercise", args=[other_course.slug, own.slug])
    assert client.get(url).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in_on_every_page(client, make, course, student, own):
    course.join(student)
    attempt = make.attempt(make.learner(student), own.current, course=course)
    for method, url in own_urls(own, attempt.pk):
        response = client.get(url) if method == "GET" else client.post(url, {})
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_logging_in_after_a_refused_post_leads_back_to_a_page_not_to_the_post_only_url(client, make, own):
    response = client.post(page(own, "course_own_submit"), {})
    assert response["Location"] == f"{reverse('login')}?next={page(own)}"
    response = client.post(page(own, "course_own_contest", 7), {})
    assert response["Location"] == f"{reverse('login')}?next={page(own, 'course_own_attempt', 7)}"


def test_the_wrong_method_is_405(client, course, student, own):
    course.join(student)
    client.force_login(student)
    assert client.post(page(own)).status_code == 405
    assert client.get(page(own, "course_own_submit")).status_code == 405
    assert client.post(reverse("course_own_exercises", args=[course.slug])).status_code == 405


def test_an_attempt_at_revision_1_still_shows_revision_1_after_revision_2_is_published(
    client, course, student, instructor, own
):
    course.join(student)
    client.force_login(student)
    first_text = own.current.sentences.get(position=1).text
    submit(client, own, right=False)
    attempt = latest_attempt(student)

    revision = publish_revision(own, instructor, text="Deep networks now label images better than people.")
    assert revision.number == 2 and own.current == revision.exercise

    html = client.get(page(own, "course_own_attempt", attempt.pk)).content.decode()
    assert first_text in html and "label images better than people" not in html
    assert html.count('data-verdict="wrong"') == attempt.total
    assert "label images better than people" in client.get(page(own)).content.decode()
    attempt.refresh_from_db()
    assert attempt.exercise_id != own.current_id and attempt.correct == 0


def test_a_learner_contests_a_label_on_an_earlier_revision_and_the_course_decides(
    client, course, student, instructor, own
):
    course.join(student)
    client.force_login(student)
    submit(client, own, right=False)
    attempt = latest_attempt(student)
    publish_revision(own, instructor)
    answer = attempt.answers.first()

    response = client.post(
        page(own, "course_own_contest", attempt.pk), {"sentence": answer.sentence_id, "reason": "It fits too."}
    )

    assert response.status_code == 302
    assert response["Location"].startswith(page(own, "course_own_attempt", attempt.pk))
    assert list(course.objections().values_list("answer", flat=True)) == [answer.pk]


def test_a_student_cannot_see_or_contest_another_students_attempt(client, make, course, student, other_student, own):
    course.join(student)
    course.join(other_student)
    attempt = make.attempt(make.learner(other_student), own.current, course=course, right=False)
    client.force_login(student)
    assert client.get(page(own, "course_own_attempt", attempt.pk)).status_code == 404
    sentence = attempt.answers.first().sentence_id
    response = client.post(page(own, "course_own_contest", attempt.pk), {"sentence": sentence, "reason": "Mine."})
    assert response.status_code == 404
    assert not Objection.objects.exists()


def test_an_attempt_at_another_exercise_is_404_under_this_ones_address(client, make, course, student, instructor, own):
    other = published_exercise(course, instructor, passage="We study frogs. Frogs sing at night. We count them.")
    course.join(student)
    client.force_login(student)
    submit(client, other)
    attempt = latest_attempt(student)
    assert client.get(page(other, "course_own_attempt", attempt.pk)).status_code == 200
    assert client.get(page(own, "course_own_attempt", attempt.pk)).status_code == 404


# The list of the course's own exercises


def test_students_see_the_published_exercises_with_their_best_score_in_the_course(
    client, make, course, student, instructor, own
):
    draft = written_draft(course, instructor, passage="We study frogs. Frogs sing at night. We count them.")
    draft.draft["title"] = "A draft nobody sees"
    draft.save()
    course.join(student)
    client.force_login(student)
    url = reverse("course_own_exercises", args=[course.slug])
    assert "Not started" in client.get(url).content.decode()

    learner = make.learner(student)
    make.attempt(learner, own.current, course=course, right=False)
    make.attempt(learner, own.current, course=course)
    html = client.get(url).content.decode()

    assert f'<a href="{page(own)}">{own.title}</a>' in html
    assert f"<td>{own.current.label_set.name}</td>" in html
    assert '100% <span class="muted">(2 attempts)</span>' in html
    assert "A draft nobody sees" not in html and draft.slug not in html
    assert reverse("course_exercise_new", args=[course.slug]) not in html


def test_instructors_see_drafts_and_revisions_with_their_links_and_the_limit(client, settings, course, instructor, own):
    settings.COURSE_EXERCISES_MAX = 5
    draft = start(course, instructor, "We study frogs. Frogs sing at night.", "abstract")
    publish_revision(own, instructor)
    client.force_login(instructor)

    html = client.get(reverse("course_own_exercises", args=[course.slug])).content.decode()

    published = html.split(f'<tr data-exercise="{own.slug}" data-state="published">')[1].split("</tr>")[0]
    assert "Published: revision 2, <time" in published
    for name in ("course_exercise_edit", "course_exercise_preview", "course_own_results", "course_exercise_export"):
        assert reverse(name, args=[course.slug, own.slug]) in published
    drafted = html.split(f'<tr data-exercise="{draft.slug}" data-state="draft">')[1].split("</tr>")[0]
    assert "Untitled draft" in drafted and "Draft, not published" in drafted
    assert reverse("course_exercise_edit", args=[course.slug, draft.slug]) in drafted
    assert reverse("course_own_results", args=[course.slug, draft.slug]) not in drafted
    assert "2 of the 5 exercises a course can have" in html
    assert f'href="{reverse("course_exercise_new", args=[course.slug])}">Write an exercise</a>' in html
    assert f'href="{reverse("course_exercise_import", args=[course.slug])}">Import an exercise file</a>' in html


def test_at_the_limit_instructors_are_told_instead_of_offered_a_new_one(client, settings, course, instructor, own):
    settings.COURSE_EXERCISES_MAX = 1
    client.force_login(instructor)
    html = client.get(reverse("course_own_exercises", args=[course.slug])).content.decode()
    assert "1 of the 1 exercises" in html and "as many exercises as it can have" in html
    assert reverse("course_exercise_new", args=[course.slug]) not in html


PASSAGES = [f"We study topic {n}. Topic {n} matters a lot. We measure it well." for n in range(6)]


@pytest.mark.parametrize(
    "role, expected",
    [
        # session, user, membership+course, the exercises with the student's best and attempts,
        # the count of new answers to one's questions (the navigation shows it, issue 18)
        ("student", 5),
        # session, user, membership+course, the exercises with their revision, the label sets' names,
        # the count of new answers to one's questions
        ("instructor", 6),
    ],
)
def test_the_list_takes_the_same_queries_however_many_exercises(
    client, make, course, student, instructor, django_assert_num_queries, role, expected
):
    course.join(student)
    learner = make.learner(student)
    client.force_login(student if role == "student" else instructor)
    url = reverse("course_own_exercises", args=[course.slug])
    for size, passages in ((1, PASSAGES[:1]), (5, PASSAGES[1:5])):
        for passage in passages:
            ce = published_exercise(course, instructor, passage=passage)
            make.attempt(learner, ce.current, course=course)
            start(course, instructor, passage, "abstract")  # a draft beside it
        with django_assert_num_queries(expected):
            html = client.get(url).content.decode()
        assert html.count('<tr data-exercise="') == size * (1 if role == "student" else 2)


# The course's pages


def test_the_course_pages_link_to_the_list_and_the_dashboard_offers_to_write_one(client, course, student, instructor):
    course.join(student)
    url = reverse("course_own_exercises", args=[course.slug])
    client.force_login(student)
    student_page = client.get(course.get_absolute_url()).content.decode()
    assert f'href="{url}"' in student_page
    assert reverse("course_exercise_new", args=[course.slug]) not in student_page
    client.force_login(instructor)
    dashboard = client.get(course.get_absolute_url()).content.decode()
    assert f'href="{url}"' in dashboard
    assert f'href="{reverse("course_exercise_new", args=[course.slug])}">Write an exercise</a>' in dashboard


def assignments_url(course):
    return reverse("course_assignments", args=[course.slug])


def test_the_assignments_page_lists_the_courses_published_exercises_in_their_own_group(
    client, course, instructor, own, other_course, other_instructor
):
    draft = written_draft(course, instructor, passage="We study frogs. Frogs sing at night.")
    theirs = published_exercise(other_course, other_instructor)
    client.force_login(instructor)
    html = client.get(assignments_url(course)).content.decode()
    group = html.split('data-group="own"')[1].split("</section>")[0]
    assert "This course&#x27;s exercises" in group
    assert f'name="assign-{own.current_id}"' in group
    assert f'name="assign-{theirs.current_id}"' not in html
    assert draft.slug not in html
    assert html.count('type="checkbox"') == Exercise.objects.count() + 1


def test_an_own_exercise_is_assigned_with_a_due_date_like_any_other(client, course, instructor, own):
    chosen = [*course.assignments.values_list("exercise", flat=True), own.current_id]
    data = {f"assign-{pk}": "on" for pk in chosen}
    data[f"due-{own.current_id}"] = "2031-05-06"
    client.force_login(instructor)
    assert client.post(assignments_url(course), data).status_code == 302
    assignment = course.assignments.get(exercise=own.current)
    assert assignment.due.astimezone(course.zone).isoformat().startswith("2031-05-06T23:59")


def test_another_courses_exercise_cannot_be_assigned(client, course, instructor, other_course, other_instructor):
    theirs = published_exercise(other_course, other_instructor)
    before = list(course.assignments.values_list("exercise", "due"))
    data = {f"assign-{pk}": "on" for pk, _ in before}
    data[f"assign-{theirs.current_id}"] = "on"
    client.force_login(instructor)
    response = client.post(assignments_url(course), data)
    assert response.status_code == 400
    assert "This is not the assignments form of this course" in response.content.decode()
    assert list(course.assignments.values_list("exercise", "due")) == before


def assign(course, ce, due=None):
    course.assignments.create(exercise=ce.current, due=due)


def test_the_dashboard_shows_an_assigned_own_exercise_and_links_its_results(client, make, course, instructor, own):
    assign(course, own)
    student = make.user("amy")
    course.join(student)
    make.attempt(make.learner(student), own.current, course=course)
    client.force_login(instructor)
    html = client.get(course.get_absolute_url()).content.decode()
    head = html.split("<thead>")[1].split("</thead>")[0]
    assert f'<th scope="col" data-exercise="{own.slug}"><a href="{page(own, "course_own_results")}"' in head
    assert "an abstract on spiking networks</a>" in head
    row = html.split('<tr data-student="amy">')[1].split("</tr>")[0]
    assert '100% <span class="muted">(1 attempt)</span>' in row


def test_attempts_at_an_earlier_revision_still_count_under_the_assignment(client, make, course, instructor, own):
    assign(course, own, due=timezone.now() + timedelta(days=3))
    amy, bea = make.user("amy"), make.user("bea")
    for user in (amy, bea):
        course.join(user)
    make.attempt(make.learner(amy), own.current, course=course, right=False)
    make.attempt(make.learner(bea), own.current, course=course, right=False)
    publish_revision(own, instructor)
    make.attempt(make.learner(amy), own.current, course=course)
    assert course.assignments.get(exercise=own.current).due is not None

    client.force_login(instructor)
    html = client.get(course.get_absolute_url()).content.decode()

    amy_row = html.split('<tr data-student="amy">')[1].split("</tr>")[0]
    bea_row = html.split('<tr data-student="bea">')[1].split("</tr>")[0]
    assert '100% <span class="muted">(2 attempts)</span>' in amy_row
    assert '0% <span class="muted">(1 attempt)</span>' in bea_row
    assert '50% <span class="muted">(2 tried)</span>' in html  # the class average: amy's best and bea's
    client.force_login(amy)
    own_row = client.get(course.get_absolute_url()).content.decode().split(f'data-exercise="{own.slug}"')[1]
    own_row = own_row.split("</tr>")[0]
    assert f'<a href="{page(own)}">{own.title}</a>' in own_row  # no ?for=: it is always done for the course
    assert "<td>100%</td>" in own_row and "Done, full marks" in own_row


def test_a_students_attempts_page_lists_the_attempts_at_every_revision(client, make, course, instructor, own):
    assign(course, own, due=timezone.now() - timedelta(days=1))
    amy = make.user("amy")
    course.join(amy)
    make.attempt(make.learner(amy), own.current, course=course, right=False)
    publish_revision(own, instructor)
    make.attempt(make.learner(amy), own.current, course=course)
    client.force_login(instructor)
    html = client.get(reverse("course_student", args=[course.slug, amy.pk])).content.decode()
    assert html.count(f"{own.title}, attempt 1:") == 2
    assert html.count("late</span> after the due time") == 2


def test_the_dashboard_takes_the_same_queries_with_revised_own_exercises(
    client, make, course, instructor, django_assert_num_queries
):
    exercises = [published_exercise(course, instructor, passage=passage) for passage in PASSAGES[:2]]
    for ce in exercises:
        assign(course, ce)
    client.force_login(instructor)
    for size, prefix in ((2, "a"), (12, "b")):
        for index in range(size):
            user = make.user(f"{prefix}{index:03d}")
            course.join(user)
            for ce in exercises:
                make.attempt(make.learner(user), ce.current, course=course)
        for ce in exercises:
            publish_revision(ce, instructor, text=f"Round {prefix} of edits changed this sentence.")
        # as test_dashboard.py: session, user, membership+course, student count, a page of students,
        # assignments, the results' stamp, progress rows, class averages, open objections, instructors,
        # pending invitations, the count of new answers to one's questions, the questions panel's counts
        with django_assert_num_queries(14):
            html = client.get(course.get_absolute_url()).content.decode()
        assert html.count('<span class="muted">(1 attempt)</span>') == 2 * len(course.students())


def results_url(ce, revision=None):
    url = page(ce, "course_own_results")
    return f"{url}?revision={revision}" if revision is not None else url


def test_the_results_show_the_current_revision_and_offer_the_earlier_ones(client, make, course, instructor, own):
    amy = make.user("amy")
    course.join(amy)
    make.attempt(make.learner(amy), own.current, course=course, right=False)
    publish_revision(own, instructor, text="Deep networks now label images better than people.")
    client.force_login(instructor)

    current = client.get(results_url(own)).content.decode()
    assert "Revision 2 of this course's exercise" in current and "the one students do now" in current
    assert "label images better than people" in current
    assert "No answers yet" in current  # amy answered revision 1
    assert '<option value="1">Revision 1' in current and '<option value="2" selected>Revision 2' in current

    earlier = client.get(results_url(own, 1)).content.decode()
    assert "Revision 1 of this course's exercise" in earlier and "students now do revision 2" in earlier
    assert "Counting 1 attempt by 1 student" in earlier
    assert "Got it right: <strong>0%</strong> (0 of 1 answers)" in earlier


def test_the_results_count_an_exercise_students_did_without_its_being_assigned(client, make, course, instructor, own):
    amy = make.user("amy")
    course.join(amy)
    make.attempt(make.learner(amy), own.current, course=course)
    client.force_login(instructor)
    html = client.get(results_url(own, 1) + "&attempts=all").content.decode()
    assert "Counting 1 attempt by 1 student" in html


@pytest.mark.parametrize("asked", ["9", "two", "0", "-1"])
def test_an_unknown_revision_is_a_clear_400(client, course, instructor, own, asked):
    client.force_login(instructor)
    response = client.get(results_url(own, asked))
    assert response.status_code == 400
    html = response.content.decode()
    assert f"This exercise has no revision {asked}; showing the current one." in html
    assert "Revision 1 of this course's exercise" in html


def test_the_results_are_the_instructors_only(client, course, student, own):
    course.join(student)
    client.force_login(student)
    assert client.get(results_url(own)).status_code == 404


def test_the_results_take_the_same_queries_for_any_class(
    client, make, course, instructor, own, django_assert_num_queries
):
    client.force_login(instructor)
    url = results_url(own)
    for size, prefix in ((2, "a"), (20, "b")):
        for index in range(size):
            user = make.user(f"{prefix}{index:03d}")
            course.join(user)
            make.attempt(make.learner(user), own.current, course=course)
        # session, user, membership+course, the course's exercise, its revisions, labels, sentences, the
        # results' stamp (students, assignments), answer counts, attempt count, the count of new answers
        # to one's questions
        with django_assert_num_queries(12):
            assert client.get(url).status_code == 200


def test_the_answers_csv_says_which_revision_each_answer_was_to(client, make, course, instructor, own, exercise):
    assign(course, own)
    amy = make.user("amy")
    course.join(amy)
    learner = make.learner(amy)
    make.attempt(learner, own.current, course=course, right=False)
    publish_revision(own, instructor)
    make.attempt(learner, own.current, course=course)
    make.attempt(learner, exercise)  # the guide's lee-2016-abstract, assigned to every new course
    client.force_login(instructor)

    rows = read_csv(client.get(reverse("course_export_answers", args=[course.slug])))

    assert rows[0] == exports.ANSWERS_HEADER and rows[0][1:4] == ["exercise", "revision", "attempt"]
    by_exercise = {}
    for row in rows[1:]:
        by_exercise.setdefault(row[1], []).append((row[2], row[3], row[9]))
    sentences = own.current.sentences.count()
    assert by_exercise[own.slug] == [("1", "1", "wrong")] * sentences + [("2", "1", "right")] * sentences
    assert {revision for revision, _, _ in by_exercise[exercise.slug]} == {""}


def test_the_progress_csv_counts_every_revisions_attempts_under_the_assignment(client, make, course, instructor, own):
    assign(course, own)
    amy = make.user("amy")
    course.join(amy)
    make.attempt(make.learner(amy), own.current, course=course)
    publish_revision(own, instructor)
    make.attempt(make.learner(amy), own.current, course=course, right=False)
    client.force_login(instructor)
    rows = read_csv(client.get(reverse("course_export_progress", args=[course.slug])))
    assert [row[4:6] for row in rows if row[1] == own.slug] == [["2", "100"]]


def test_an_own_exercises_slug_never_reaches_the_guides_pages(client, course, student, own):
    course.join(student)
    client.force_login(student)
    assert client.get(reverse("exercise", args=[own.slug])).status_code == 404
    assert CourseExercise.objects.get(pk=own.pk).current.listed is False
