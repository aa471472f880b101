"""Screenshots of the key pages at both widths for the README, taken from a populated demo class.

A picture generator, not a test: it runs only under `make screenshots`, which sets SCREENSHOTS_DIR
(docs/screenshots/) and writes the pictures there.
"""

import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from browser_tests.actions import EXERCISE_URL, answers_with_one_wrong, label_every_sentence, submit_and_see_feedback

SCREENSHOTS_DIR = os.environ.get("SCREENSHOTS_DIR")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not SCREENSHOTS_DIR, reason="a picture generator for the README: run `make screenshots`"),
]
SIZES = {1280: 800, 390: 844}


@pytest.fixture
def demo_class():
    from courses.demo import DEMO_STUDENTS, load_demo

    course = load_demo()
    users = get_user_model().objects
    return course, users.get(username=course.instructors()[0].get_username()), users.get(username=DEMO_STUDENTS[-1])


def _shoot(page, name):
    folder = Path(SCREENSHOTS_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    page.screenshot(path=folder / f"{name}-{width}.png", animations="disabled", caret="hide")


@pytest.mark.parametrize("width", SIZES)
def test_screenshots_of_the_key_pages(browser_as, demo_class, make, exercise, width):
    course, instructor, student = demo_class

    def browser_at_width(user):
        page = browser_as(user)
        page.set_viewport_size({"width": width, "height": SIZES[width]})
        return page

    visitor = browser_at_width(None)
    visitor.goto("/")
    visitor.get_by_role("heading", name="The layout of a paper").scroll_into_view_if_needed()
    _shoot(visitor, "home")
    visitor.goto("/papers/lee-2016/#excerpt-lee-2016-abstract")
    _shoot(visitor, "paper")
    visitor.goto("/papers/lee-2016/#excerpt-lee-2016-equations")
    _shoot(visitor, "paper-formulas")
    visitor.goto("/lessons/meta-information/#excerpts-title")
    _shoot(visitor, "lesson")
    visitor.goto("/papers/compare/")
    _shoot(visitor, "compare")
    visitor.goto(EXERCISE_URL)
    _shoot(visitor, "exercise")

    learner = browser_at_width(student)
    learner.goto(EXERCISE_URL)
    label_every_sentence(learner, answers_with_one_wrong(make, exercise))
    submit_and_see_feedback(learner, learner.locator(".attempts li").count() + 1)
    _shoot(learner, "exercise-feedback")
    learner.goto("/progress/")
    _shoot(learner, "progress")

    teacher = browser_at_width(instructor)
    teacher.goto(course.get_absolute_url())
    teacher.locator("#progress-title").scroll_into_view_if_needed()
    _shoot(teacher, "dashboard")
    teacher.goto(f"{course.get_absolute_url()}exercises/{exercise.slug}/")
    expect(teacher.locator("[data-sentence]").first).to_be_visible()
    _shoot(teacher, "analytics")


@pytest.mark.parametrize("width", SIZES)
def test_screenshot_of_your_abstract(browser_as, width):
    from browser_tests.writing import WRITE_URL, check_an_abstract

    page = browser_as(None)
    page.set_viewport_size({"width": width, "height": SIZES[width]})
    page.goto(WRITE_URL)
    page.get_by_label("Working title (optional)").fill("Training spiking networks")
    check_an_abstract(page)
    page.evaluate("document.getElementById('move-map-title').scrollIntoView({block: 'start'})")
    _shoot(page, "write")


@pytest.mark.parametrize("width", SIZES)
def test_screenshots_of_contesting_a_label_and_the_queues(browser_as, demo_class, make, exercise, width):
    from django.contrib.auth.models import Permission

    from courses.demo import DEMO_STUDENTS

    course, instructor, student = demo_class
    # Open objections to decide: one on an attempt for the demo class, one on an attempt on one's own.
    first, second = (get_user_model().objects.get(username=name) for name in DEMO_STUDENTS[:2])
    for_the_class = make.attempt(make.learner(first), exercise, right=False, course=course)
    make.objection(for_the_class, "The sentence says what is hard about training SNNs: that is the problem.")
    make.objection(make.attempt(make.learner(second), exercise, right=False), "It names the gap, so it fits.")
    # The demo class has few first attempts at this exercise: enough learners on their own (some
    # wrong) for "how the others answered" to show under each sentence.
    for index in range(6):
        make.attempt(make.learner(), exercise, right=index % 3 != 0)
    editor = make.user("editor")
    editor.user_permissions.add(Permission.objects.get(codename="decide_objections"))

    def browser_at_width(user):
        page = browser_as(user)
        page.set_viewport_size({"width": width, "height": SIZES[width]})
        return page

    learner = browser_at_width(student)
    learner.goto(EXERCISE_URL)
    label_every_sentence(learner, answers_with_one_wrong(make, exercise))
    submit_and_see_feedback(learner, learner.locator(".attempts li").count() + 1)
    wrong = learner.locator('[data-verdict="wrong"]').first
    expect(wrong.locator(".class-answers")).to_be_visible()
    wrong.get_by_text("I think my label fits").click()
    wrong.locator("textarea").fill("It says what is at stake, and that is the problem the paper takes on.")
    wrong.evaluate("sentence => sentence.scrollIntoView({block: 'start'})")
    _shoot(learner, "objection-contest")

    teacher = browser_at_width(instructor)
    teacher.goto(f"{course.get_absolute_url()}objections/")
    expect(teacher.locator("article.objection")).to_have_count(1)
    _shoot(teacher, "objections-course")

    reviewer = browser_at_width(editor)
    reviewer.goto("/objections/")
    expect(reviewer.locator("article.objection")).to_have_count(1)
    _shoot(reviewer, "objections-editors")


@pytest.mark.parametrize("width", SIZES)
def test_screenshots_of_questions_and_answers(browser_as, demo_class, make, width):
    from django.contrib.auth.models import Permission

    from courses.demo import DEMO_STUDENTS
    from lessons.models import Excerpt
    from questions.models import Place, Question

    course, instructor, student = demo_class
    first, second = (get_user_model().objects.get(username=name) for name in DEMO_STUDENTS[:2])
    excerpt = Excerpt.objects.get(slug="lee-2016-abstract")
    # Asked to the demo class: a classmate's answer that helped, and the instructor's.
    question = Question.ask(
        student,
        Place.EXCERPT,
        excerpt,
        "Why does the abstract name the gap before the method?",
        "The second sentence says what is *missing*; I expected the method to come first.",
        course=course,
    )
    helpful = question.answer(
        first, "The gap is the reason the method matters: name the problem, then what solves it. See the "
        "[guide's lesson](https://example.org/lessons/meta-information/)."
    )  # fmt: skip
    question.answer(
        instructor,
        "Yes: the **problem** move comes before the **method** move in most abstracts. Try the exercise "
        "on this abstract to see it sentence by sentence.",
        as_instructor=True,
    )
    question.mark_helpful(helpful)
    # Asked to everyone, with an answer someone reported.
    public = Question.ask(
        second, Place.EXCERPT, excerpt, "Is “we propose” too informal for an abstract?", "Or is it the usual way?"
    )
    public.answer(first, "Buy cheap essays at example.com!").report(student, "Advertising, not an answer.")
    moderator = make.user("moderator")
    moderator.user_permissions.add(Permission.objects.get(codename="moderate_posts"))

    def browser_at_width(user):
        page = browser_as(user)
        page.set_viewport_size({"width": width, "height": SIZES[width]})
        return page

    learner = browser_at_width(student)
    learner.goto(f"/questions/{question.pk}/")
    expect(learner.locator(".helpful-mark")).to_be_visible()
    learner.locator("#answers-title").scroll_into_view_if_needed()
    _shoot(learner, "question")
    learner.goto(f"/questions/on/excerpt/{excerpt.slug}/")
    learner.get_by_label("Your question in one line").fill("Should the abstract say how large the dataset is?")
    learner.get_by_label("Details").fill("Lee et al. give no numbers until the results.")
    learner.get_by_role("heading", name="Ask a question").scroll_into_view_if_needed()
    _shoot(learner, "questions-place")

    reviewer = browser_at_width(moderator)
    reviewer.goto("/questions/review/")
    expect(reviewer.locator(".review-item")).to_have_count(1)
    reviewer.get_by_text("Hide…").click()
    reviewer.get_by_label("Why hide it?").fill("Advertising: this is not an answer to the question.")
    _shoot(reviewer, "questions-review")


@pytest.mark.parametrize("width", SIZES)
def test_screenshots_of_the_exercise_editor_and_its_preview(browser_as, make, instructor, width):
    from browser_tests.test_authoring_journey import LEE, choose_labels, fill_the_source, lee_draft
    from lessons.models import Move

    course = make.course(instructor, "Writing 101")
    names = dict(Move.objects.filter(move_set__slug="abstract").values_list("slug", "name"))
    page = browser_as(instructor)
    page.set_viewport_size({"width": width, "height": SIZES[width]})

    # The editor as step one leaves it, the source filled in: the tagger's suggestions to confirm.
    draft = lee_draft(course, instructor)
    page.goto(f"/courses/{course.slug}/own/{draft.slug}/edit/")
    fill_the_source(page)
    page.get_by_role("button", name="Save the draft").click()
    expect(page.locator(".editor-notice")).to_have_text("Draft saved.")
    page.locator("#sentence-2").get_by_role("checkbox", name="However", exact=True).check()
    page.evaluate("document.getElementById('sentence-2').scrollIntoView({block: 'start'})")
    _shoot(page, "authoring-editor")

    # The preview of a finished draft, a wrong label chosen: the feedback as students will read it.
    ready = lee_draft(course, instructor, ready=True)
    page.goto(f"/courses/{course.slug}/own/{ready.slug}/preview/")
    choose_labels(page, [names["about"], *(names[given["label"]] for given in LEE["sentences"][1:])])
    page.get_by_role("button", name="Check my labels").click()
    expect(page.locator("#feedback")).to_contain_text("Feedback on your preview")
    page.evaluate("document.getElementById('feedback').scrollIntoView({block: 'start'})")
    _shoot(page, "authoring-preview")
