"""Questions where the reader reads: the lesson, paper and exercise pages link to their questions and
load the list in place with htmx, without a query more and without the list in their cached bodies."""

import pytest
from django.core.cache import caches
from django.urls import reverse

from lessons.models import Excerpt, Lesson, Paper
from questions.models import Question

pytestmark = pytest.mark.django_db


@pytest.fixture
def lesson(db):
    # The largest lesson (its excerpts too): the one whose page must not grow.
    return Lesson.objects.get(slug="main-body")


HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def _cold_fragments():
    caches["fragments"].clear()


@pytest.fixture
def paper(db):
    return Paper.objects.get(slug="lee-2016")


def ask(author, place, subject, title="Why is the gap stated before the aim?"):
    return Question.ask(author, place, subject, title, "I do not see why.")


def questions_url(place, slug):
    return reverse("questions_on", args=[place, slug])


# The lesson page


def test_a_lesson_page_links_to_its_questions_and_loads_them_when_scrolled_to(client, lesson):
    html = client.get(reverse("lesson", args=[lesson.slug])).content.decode()
    url = questions_url("lesson", lesson.slug)
    assert f'<a href="{url}">Questions on this lesson</a>' in html
    # The section is replaced by the list, whose ids it shares, so the contents' link finds either.
    assert f'<section id="questions-lesson-{lesson.slug}"' in html
    assert f'hx-get="{url}" hx-trigger="revealed" hx-swap="outerHTML"' in html
    assert f'<a href="#questions-lesson-{lesson.slug}">Questions</a>' in html


def test_the_lists_id_is_the_one_the_lesson_page_gives_its_section(client, lesson):
    html = client.get(questions_url("lesson", lesson.slug), headers=HTMX).content.decode()
    assert f'<section class="questions" id="questions-lesson-{lesson.slug}"' in html
    assert f'id="questions-lesson-{lesson.slug}-title"' in html


def test_a_lesson_page_never_holds_its_questions_so_a_new_one_shows_at_once(client, student, lesson):
    page = client.get(reverse("lesson", args=[lesson.slug])).content.decode()
    ask(student, "lesson", lesson, title="Asked after the page was cached")
    assert client.get(reverse("lesson", args=[lesson.slug])).content.decode() == page
    embedded = client.get(questions_url("lesson", lesson.slug), headers=HTMX)
    assert "Asked after the page was cached" in embedded.content.decode()
    assert "<html" not in embedded.content.decode()


def test_the_lesson_page_costs_the_queries_it_did_before_questions(client, student, lesson, django_assert_num_queries):
    for excerpt in lesson.excerpts_in_order()[:2]:
        ask(student, "excerpt", excerpt)
    ask(student, "lesson", lesson)
    # the guide's version, lesson, its excerpts, the legend, the parts, the exercises of its part,
    # previous, next
    with django_assert_num_queries(8):
        first = client.get(reverse("lesson", args=[lesson.slug])).content
    with django_assert_num_queries(1):  # the page kept for visitors: only the guide's version
        assert client.get(reverse("lesson", args=[lesson.slug])).content == first


def test_a_signed_in_reader_pays_one_query_for_the_count_of_new_answers(
    client, student, lesson, django_assert_num_queries
):
    client.force_login(student)
    client.get(reverse("lesson", args=[lesson.slug]))
    with django_assert_num_queries(4):  # session, user, lesson, the count of new answers for the navigation
        client.get(reverse("lesson", args=[lesson.slug]))


# The paper page


def test_a_paper_page_links_each_excerpt_to_its_questions(client, paper):
    html = client.get(reverse("paper", args=[paper.slug])).content.decode()
    excerpts = list(Excerpt.objects.filter(paper=paper))
    assert excerpts
    for excerpt in excerpts:
        url = questions_url("excerpt", excerpt.slug)
        # A link a click loads in place (with htmx) or follows (without): no request until then.
        link = f'<a href="{url}" hx-get="{url}?under=excerpt" hx-target="next div">Questions on this excerpt</a>'
        assert link in html
    assert html.count("Questions on this excerpt") == len(excerpts)
    assert 'hx-trigger="revealed"' not in html


def test_a_lesson_page_links_its_excerpts_to_their_questions_too(client, lesson):
    html = client.get(reverse("lesson", args=[lesson.slug])).content.decode()
    for excerpt in lesson.excerpts_in_order():
        assert f'href="{questions_url("excerpt", excerpt.slug)}"' in html


def test_the_paper_page_costs_the_queries_it_did_before_questions(client, student, paper, django_assert_num_queries):
    for excerpt in Excerpt.objects.filter(paper=paper)[:3]:
        ask(student, "excerpt", excerpt)
    # the guide's version, paper, excerpts, legend, sections
    with django_assert_num_queries(5):
        first = client.get(reverse("paper", args=[paper.slug])).content
    with django_assert_num_queries(1):  # the page kept for visitors: only the guide's version
        assert client.get(reverse("paper", args=[paper.slug])).content == first


def test_an_excerpts_list_arrives_alone_with_htmx(client, student, paper):
    excerpt = Excerpt.objects.filter(paper=paper).first()
    ask(student, "excerpt", excerpt, title="Which move is this sentence?")
    response = client.get(questions_url("excerpt", excerpt.slug), headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "Which move is this sentence?" in html and "<html" not in html


# The exercise page


def test_the_exercise_page_shows_questions_only_after_an_attempt(client, exercise, make):
    url = questions_url("exercise", exercise.slug)
    assert url not in client.get(exercise.get_absolute_url()).content.decode()
    response = client.post(reverse("exercise_submit", args=[exercise.slug]), make.answers(exercise), follow=True)
    feedback = response.content.decode()
    assert f'<a href="{url}">Questions on this exercise</a>' in feedback
    assert f'hx-get="{url}" hx-trigger="revealed" hx-swap="outerHTML"' in feedback
    assert f'<a href="{url}">Questions on this exercise</a>' in client.get(exercise.get_absolute_url()).content.decode()


def test_an_htmx_attempt_brings_the_questions_with_its_feedback(client, exercise, make):
    response = client.post(reverse("exercise_submit", args=[exercise.slug]), make.answers(exercise), headers=HTMX)
    html = response.content.decode()
    assert "<html" not in html and f'<section id="questions-exercise-{exercise.slug}"' in html


def test_the_exercises_list_arrives_alone_with_htmx(client, student, exercise, make):
    make.attempt(make.learner(student), exercise)
    ask(student, "exercise", exercise, title="Is sentence 2 a gap?")
    client.force_login(student)
    html = client.get(questions_url("exercise", exercise.slug), headers=HTMX).content.decode()
    assert f'<section class="questions" id="questions-exercise-{exercise.slug}"' in html
    assert "Is sentence 2 a gap?" in html and "<html" not in html


def test_an_excerpts_questions_loaded_under_it_take_headings_below_the_excerpts_title(client, excerpt, student):
    Question.ask(student, "excerpt", excerpt, "Why this order?", "A question.")
    nested = client.get(f"/questions/on/excerpt/{excerpt.slug}/?under=excerpt", headers=HTMX).content.decode()
    page = client.get(f"/questions/on/excerpt/{excerpt.slug}/").content.decode()
    assert '<h4 id="questions-excerpt-' in nested and "<h5><a href" in nested and "<h2" not in nested
    assert '<h2 id="questions-excerpt-' in page and "<h3><a href" in page
