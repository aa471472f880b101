"""Instructors bring their own papers (issue 19): an instructor pastes a passage, corrects the tagger's
split and labels, writes explanations and feedback, previews it as a student, publishes and assigns
it; a student of the course does it and reads the feedback, a student of another course gets a 404.
With the mouse, the keyboard alone, JavaScript off and on a phone; axe-clean on every page of it.

The passage is Lee, Delbruck & Pfeiffer's abstract as the guide already quotes it, with its citation
(fixtures/exercises/lee-2016-abstract.toml) and its paper's address (fixtures/papers/lee-2016.toml).
"""

import datetime
import re
import time
import tomllib
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from browser_tests.actions import PHONE, assert_no_sideways_scroll_on_a_phone, axe_violations, focused, tab_until

pytestmark = pytest.mark.browser

FIXTURES = Path(settings.FIXTURES_DIR)
LEE = tomllib.loads((FIXTURES / "exercises" / "lee-2016-abstract.toml").read_text(encoding="utf-8"))
PAPER = tomllib.loads((FIXTURES / "papers" / "lee-2016.toml").read_text(encoding="utf-8"))
SENTENCES = [sentence["text"] for sentence in LEE["sentences"]]
PASSAGE = " ".join(SENTENCES)
# The paper's licence as fixtures/papers/lee-2016.toml states it, cut to the editor's 100 characters.
LICENCE = "CC BY 4.0 for the journal version; the preprint's licence is not verified"
assert PAPER["licence"].startswith(LICENCE)
# Not the guide's own exercise title ("Label the moves of Lee et al.'s abstract"): both are assignable.
TITLE = "The moves of Lee, Delbruck & Pfeiffer's abstract"
# The tagger suggests "about" for sentence 4 (61% sure); the instructor makes "importance" the right
# label and accepts "about" too: "enables" names a consequence.
CORRECTED = 4
CORRECTED_EXPLANATION = (
    "*This enables* names what the technique makes possible: a consequence, which shows why the "
    "contribution matters. It still describes the technique, so *what the paper is about* is also accepted."
)
# The one feedback note the journey writes: sentence 1, for a student who chooses "about".
NOTE = LEE["sentences"][0]["feedback"]["about"]
NOTE_TEXT = "It describes the field they work in."


@pytest.fixture
def moves(guide):
    """{slug: name} of the abstract's moves, in order."""
    from lessons.models import Move

    return dict(Move.objects.filter(move_set__slug="abstract").order_by("order").values_list("slug", "name"))


@pytest.fixture
def course(make, instructor, student):
    course = make.course(instructor, "Writing 101")
    course.join(student)
    return course


@pytest.fixture
def other_course(make, other_student):
    """Another instructor's course, with another student in it."""
    course = make.course(make.user("other-instructor"), "Writing 102")
    course.join(other_student)
    return course


def new_url(course):
    return f"/courses/{course.slug}/exercises/new/"


def own_url(course, course_exercise, page=""):
    return f"/courses/{course.slug}/own/{course_exercise.slug}/{page}"


def plan(moves):
    """What the instructor decides for each sentence: the fixture's labels, explanations and
    accepted labels, but sentence 4's (corrected, see CORRECTED)."""
    decided = []
    for position, given in enumerate(LEE["sentences"], start=1):
        if position == CORRECTED:
            decided.append({"label": "importance", "also": ["about"], "explanation": CORRECTED_EXPLANATION})
        else:
            decided.append(
                {"label": given["label"], "also": given["also_accepted"], "explanation": given["explanation"]}
            )
    return decided


def lee_draft(course, instructor, ready=False):
    """A draft of `course` from Lee et al.'s abstract, made as step one makes it (with the tagger's
    suggestions); `ready`: also filled in as the fixture is, every label confirmed, so it publishes."""
    from courses import authoring

    course_exercise = authoring.start(course, instructor, PASSAGE, "abstract")
    if ready:
        draft = course_exercise.draft
        draft.update(title=TITLE, source=LEE["source"])
        draft["paper"] = {"title": PAPER["title"], "licence": LICENCE, "url": PAPER["url"]}
        for sentence, given in zip(draft["sentences"], LEE["sentences"], strict=True):
            sentence.update(
                label=given["label"],
                confirmed=True,
                also_accepted=given["also_accepted"],
                explanation=given["explanation"],
                signals=given["signals"],
                feedback=given.get("feedback", {}),
            )
        course_exercise.save(update_fields=["draft"])
    return course_exercise


def published_lee(course, instructor):
    from courses import authoring

    course_exercise = lee_draft(course, instructor, ready=True)
    authoring.publish(course_exercise, instructor)
    return course_exercise


def sentence_editor(page, position):
    return page.locator(f"#sentence-{position}")


def choose_labels(page, names):
    """Tick one label per sentence on an exercise page (a preview, or a student's): move names, in order."""
    cards = page.locator("fieldset.sentence-card")
    expect(cards).to_have_count(len(names))
    for index, name in enumerate(names):
        cards.nth(index).get_by_label(name, exact=True).check()


def fill_the_source(page):
    page.get_by_label("Title", exact=True).fill(TITLE)
    page.get_by_label("Source: the full citation of the passage").fill(LEE["source"])
    page.get_by_label("Licence of the paper").fill(LICENCE)
    page.get_by_label("Link to the paper").fill(PAPER["url"])
    page.get_by_label("Title of the paper (optional)").fill(PAPER["title"])


def test_an_instructor_writes_previews_publishes_and_assigns_an_exercise_that_a_student_does(
    browser_as, instructor, student, other_student, course, other_course, moves
):
    from courses.models import Assignment, CourseAttempt, CourseExercise
    from exercises.models import Attempt

    decided = plan(moves)
    started = time.monotonic()

    # Step one: from the dashboard, paste the passage; the abstract's moves are chosen already.
    teacher = browser_as(instructor)
    teacher.goto(course.get_absolute_url())
    teacher.get_by_role("link", name="Write an exercise").click()
    expect(teacher).to_have_url(re.compile(rf"{new_url(course)}$"))
    expect(teacher.get_by_role("radio", name=re.compile(r"^Abstract moves"))).to_be_checked()
    teacher.get_by_label("The passage").fill(PASSAGE)
    teacher.get_by_role("button", name="Split into sentences").click()
    expect(teacher).to_have_url(re.compile(rf"/courses/{course.slug}/own/[\w-]+/edit/$"))
    course_exercise = CourseExercise.objects.get(course=course)
    expect(teacher.locator(".messages")).to_contain_text("Your passage is split into sentences")

    # The editor: the sentences split as the fixture has them, each with the tagger's suggestion to confirm.
    editors = teacher.locator("fieldset.sentence-editor")
    expect(editors).to_have_count(len(SENTENCES))
    for position, text in enumerate(SENTENCES, start=1):
        sentence = sentence_editor(teacher, position)
        expect(sentence.locator(".sentence-text")).to_have_text(text)
        expect(sentence.locator(".suggestion")).to_contain_text("Suggested by the tagger:")
        expect(sentence.locator(".suggestion")).to_contain_text("% sure")
        expect(sentence.get_by_role("checkbox", name=re.compile("^Confirmed"))).not_to_be_checked()
    fourth = sentence_editor(teacher, CORRECTED)
    expect(fourth.locator(".suggestion strong")).to_have_text(moves["about"])
    expect(fourth.get_by_role("radio", name=moves["about"], exact=True)).to_be_checked()
    expect(teacher.locator("#editor-problems")).to_contain_text("the label is the tagger's suggestion")

    # Join the last two sentences, then split them back where the last one begins.
    teacher.get_by_role("button", name="Join with sentence 6").click()
    expect(teacher.locator(".editor-notice")).to_have_text("Sentences 5 and 6 are one sentence now: label it again.")
    expect(editors).to_have_count(5)
    expect(sentence_editor(teacher, 5).locator(".sentence-text")).to_have_text(f"{SENTENCES[4]} {SENTENCES[5]}")
    teacher.get_by_label("Split sentence 5 where these words begin").fill("Our novel framework")
    teacher.get_by_role("button", name="Split sentence 5").click()
    expect(teacher.locator(".editor-notice")).to_have_text("Sentence 5 is two sentences now: label the second.")
    expect(editors).to_have_count(6)
    for position in (5, 6):
        expect(sentence_editor(teacher, position).locator(".sentence-text")).to_have_text(SENTENCES[position - 1])
        # Joined and split, they are the instructor's to label: no suggestion is left to confirm.
        expect(sentence_editor(teacher, position).locator(".suggestion")).to_have_count(0)

    # The passage's source, then each sentence: accept the suggestions of 1 to 3 as they are, correct
    # sentence 4's, label 5 and 6; explain each; tick signal words; one feedback note.
    fill_the_source(teacher)
    for position, decision in enumerate(decided, start=1):
        sentence = sentence_editor(teacher, position)
        if position < CORRECTED:
            sentence.get_by_role("checkbox", name=re.compile("^Confirmed")).check()
        else:
            sentence.get_by_role("radio", name=moves[decision["label"]], exact=True).check()
        for slug in decision["also"]:
            sentence.get_by_role("checkbox", name=moves[slug], exact=True).check()
        sentence.get_by_label(f"Explanation of sentence {position}").fill(decision["explanation"])
    for position, words in ((1, ["hold", "great", "potential"]), (2, ["However"])):
        for word in words:
            sentence_editor(teacher, position).get_by_role("checkbox", name=word, exact=True).check()
    sentence_editor(teacher, 1).get_by_label(f"If a student chooses {moves['about']}").fill(NOTE)
    teacher.get_by_role("button", name="Save the draft").click()
    expect(teacher.locator(".editor-notice")).to_have_text("Draft saved.")
    problems = teacher.locator("#editor-problems")
    expect(problems).to_have_text("No problems found: you can preview and publish this exercise.")
    expect(problems).to_be_focused()
    expect(sentence_editor(teacher, 1).locator(".signals-now")).to_have_text("Signals: “hold great potential”.")
    expect(sentence_editor(teacher, 2).locator(".signals-now")).to_have_text("Signals: “However”.")
    fourth = sentence_editor(teacher, CORRECTED)
    expect(fourth.get_by_role("radio", name=moves["importance"], exact=True)).to_be_checked()
    # Choosing another label than the tagger's confirms it.
    expect(fourth.get_by_role("checkbox", name=re.compile("^Confirmed"))).to_be_checked()
    course_exercise.refresh_from_db()
    saved = course_exercise.draft["sentences"]
    assert [sentence["label"] for sentence in saved] == [decision["label"] for decision in decided]
    assert saved[0]["signals"] == ["hold great potential"]
    assert saved[0]["feedback"] == {"about": NOTE}

    # Preview: the exercise as a student sees it; a wrong label shows the note; nothing is recorded.
    attempts_before = Attempt.objects.count()
    teacher.get_by_role("link", name="Preview as a student").click()
    expect(teacher).to_have_url(re.compile(rf"{own_url(course, course_exercise, 'preview/')}$"))
    expect(teacher.locator(".preview-note")).to_contain_text("nothing you submit here is recorded")
    expect(teacher.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(teacher.locator(".citation")).to_contain_text(LEE["source"])
    student_choices = [moves["about"], *(moves[decision["label"]] for decision in decided[1:])]
    choose_labels(teacher, student_choices)
    teacher.get_by_role("button", name="Check my labels").click()
    expect(teacher.locator("#feedback")).to_have_text("Feedback on your preview: 5 of 6 right (83%)")
    first = teacher.locator("#sentence-1")
    expect(first).to_have_attribute("data-verdict", "wrong")
    expect(first.locator(".wrong-feedback")).to_contain_text(f"Why not {moves['about']}:")
    expect(first.locator(".wrong-feedback")).to_contain_text(NOTE_TEXT)
    expect(teacher.locator(f"#sentence-{CORRECTED} .explanation")).to_contain_text("This enables names what")
    assert Attempt.objects.count() == attempts_before

    # Publish, from the editor; the course's list shows it published.
    teacher.get_by_role("link", name="Back to the editor").click()
    teacher.get_by_role("button", name="Publish for your students").click()
    expect(teacher).to_have_url(re.compile(rf"/courses/{course.slug}/own/$"))
    expect(teacher.locator(".messages")).to_contain_text(f"Published revision 1 of “{TITLE}”")
    expect(teacher.locator(f'tr[data-exercise="{course_exercise.slug}"]')).to_have_attribute("data-state", "published")

    # Assign it with a due date.
    teacher.get_by_role("link", name="assign it with a due date").click()
    teacher.get_by_role("checkbox", name=re.compile(f"^{re.escape(TITLE)}")).check()
    due = datetime.date.today() + datetime.timedelta(days=14)
    teacher.get_by_label(f"Due date for {TITLE}").fill(due.isoformat())
    teacher.get_by_role("button", name="Save assignments").first.click()
    expect(teacher.locator(".messages")).to_contain_text("Assignments saved.")
    course_exercise.refresh_from_db()
    assignment = Assignment.objects.get(course=course, exercise=course_exercise.current)
    assert assignment.due.astimezone(course.zone).date() == due

    # A student of the course opens it from the course page, labels it and reads the feedback.
    learner = browser_as(student)
    learner.goto(course.get_absolute_url())
    row = learner.locator(f'tr[data-exercise="{course_exercise.slug}"]')
    expect(row).to_contain_text("Not started")
    expect(row).not_to_contain_text("no due date")
    row.get_by_role("link", name=TITLE).click()
    expect(learner).to_have_url(re.compile(rf"{own_url(course, course_exercise)}$"))
    expect(learner.locator(".scope-note")).to_contain_text("You are doing this exercise for Writing 101")
    expect(learner.locator(".preview-note")).to_have_count(0)
    choose_labels(learner, student_choices)
    learner.get_by_role("button", name="Check my labels").click()
    expect(learner.locator("#feedback")).to_have_text("Feedback on attempt 1: 5 of 6 right (83%)")
    verdicts = ["wrong", *["right"] * 5]
    for position, verdict in enumerate(verdicts, start=1):
        feedback = learner.locator(f"#sentence-{position}")
        expect(feedback).to_have_attribute("data-verdict", verdict)
        expect(feedback.locator(".explanation")).not_to_be_empty()
    expect(learner.locator("#sentence-1 .wrong-feedback")).to_contain_text(NOTE_TEXT)
    expect(learner.locator("#sentence-1 mark.signal")).to_have_text("hold great potential")
    assert CourseAttempt.objects.filter(course=course, attempt__learner__user=student).count() == 1

    # A student of another course: no such page, from either course's address.
    stranger = browser_as(other_student)
    assert stranger.goto(own_url(course, course_exercise)).status == 404
    assert stranger.goto(own_url(other_course, course_exercise)).status == 404

    seconds = time.monotonic() - started
    print(f"authoring journey: {seconds:.1f} s")


def tab_to(page, element_id, limit=300):
    return tab_until(page, lambda now: now["id"] == element_id, limit=limit)


def test_writing_confirming_correcting_saving_and_publishing_work_with_the_keyboard_alone(
    browser_as, instructor, course, moves
):
    from courses.models import CourseExercise

    decided = plan(moves)
    page = browser_as(instructor)
    page.goto(new_url(course))
    tab_to(page, "id_passage")
    page.keyboard.insert_text(PASSAGE)
    tab_until(page, lambda now: now["id"].startswith("id_label_set_"), limit=3)
    expect(page.get_by_role("radio", name=re.compile(r"^Abstract moves"))).to_be_focused()
    page.keyboard.press("Space")
    tab_until(page, lambda now: now["text"] == "Split into sentences", limit=3)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/edit/$"))
    course_exercise = CourseExercise.objects.get(course=course)

    # One pass down the editor, field by field: the source, then each sentence's label and explanation.
    for element_id, text in (
        ("id_title", TITLE),
        ("id_source", LEE["source"]),
        ("id_paper_licence", LICENCE),
        ("id_paper_url", PAPER["url"]),
    ):
        tab_to(page, element_id)
        page.keyboard.insert_text(text)
    for position, decision in enumerate(decided, start=1):
        # A radio group is one stop: the checked radio, the tagger's suggestion.
        tab_until(page, lambda now, n=position: now["id"].startswith(f"id_s{n}-label_"))
        if position == CORRECTED:
            page.keyboard.press("ArrowDown")  # from "about" to the next move, "importance"
            right = sentence_editor(page, position).get_by_role("radio", name=moves["importance"], exact=True)
            expect(right).to_be_checked()
            expect(right).to_be_focused()
        else:
            tab_to(page, f"id_s{position}-confirmed", limit=2)
            page.keyboard.press("Space")
            expect(page.locator(f"#id_s{position}-confirmed")).to_be_checked()
        tab_to(page, f"id_s{position}-explanation", limit=10)
        page.keyboard.insert_text(decision["explanation"])
    tab_until(page, lambda now: now["text"] == "Save the draft", limit=200)
    page.keyboard.press("Enter")
    problems = page.locator("#editor-problems")
    expect(problems).to_have_text("No problems found: you can preview and publish this exercise.")
    expect(problems, f"focus is on {focused(page)}").to_be_focused()
    course_exercise.refresh_from_db()
    assert [sentence["label"] for sentence in course_exercise.draft["sentences"]] == [
        "lead-in",
        "problem",
        "about",
        "importance",
        "importance",
        "importance",
    ]

    # From the summary at the top, down the whole editor to the publish button.
    tab_until(page, lambda now: now["text"] == "Publish for your students", limit=400)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/courses/{course.slug}/own/$"))
    expect(page.locator(".messages")).to_contain_text(f"Published revision 1 of “{TITLE}”")


def test_step_one_saving_joining_and_publishing_work_without_javascript(browser_as, instructor, course, moves):
    page = browser_as(instructor, java_script_enabled=False)
    page.goto(new_url(course))
    page.get_by_label("The passage").fill(PASSAGE)
    page.get_by_role("button", name="Split into sentences").click()
    expect(page).to_have_url(re.compile(r"/edit/$"))
    expect(page.locator(".messages")).to_contain_text("Your passage is split into sentences")
    editors = page.locator("fieldset.sentence-editor")
    expect(editors).to_have_count(6)

    page.get_by_role("button", name="Join with sentence 2").click()
    expect(page).to_have_url(re.compile(r"/edit/#sentence-1$"))
    expect(page.locator(".messages")).to_contain_text("Sentences 1 and 2 are one sentence now")
    expect(editors).to_have_count(5)
    expect(sentence_editor(page, 1).locator(".sentence-text")).to_have_text(f"{SENTENCES[0]} {SENTENCES[1]}")

    # A split refused (no words given) comes back on the page, saying why; nothing changed.
    page.get_by_role("button", name="Split sentence 2").click()
    expect(page.locator("#refusal")).to_contain_text("Type the words the second sentence begins with.")
    expect(editors).to_have_count(5)

    fill_the_source(page)
    joined = sentence_editor(page, 1)
    expect(joined.get_by_role("radio", name=moves["lead-in"], exact=True)).to_be_checked()
    joined.get_by_label("Explanation of sentence 1").fill(
        "The first part sets the scene; *However* then turns to the difficulty. The scene comes first, "
        "so the sentence as one is a lead-in."
    )
    for position, given in enumerate(LEE["sentences"][2:], start=2):
        sentence = sentence_editor(page, position)
        sentence.get_by_role("checkbox", name=re.compile("^Confirmed")).check()
        sentence.get_by_label(f"Explanation of sentence {position}").fill(given["explanation"])
    page.get_by_role("button", name="Save the draft").click()
    expect(page).to_have_url(re.compile(r"/edit/#editor-problems$"))
    expect(page.locator(".messages")).to_contain_text("Draft saved.")
    expect(page.locator("#editor-problems")).to_have_text(
        "No problems found: you can preview and publish this exercise."
    )

    page.get_by_role("button", name="Publish for your students").click()
    expect(page).to_have_url(re.compile(rf"/courses/{course.slug}/own/$"))
    expect(page.locator(".messages")).to_contain_text(f"Published revision 1 of “{TITLE}”")


CONTROLS_OFF_SCREEN = """() => [...document.querySelector("#editor").querySelectorAll("input, button, textarea, a")]
  .filter(control => control.type !== "hidden" && control.getClientRects().length)
  .filter(control => {
    const box = control.getBoundingClientRect();
    return box.left < 0 || box.right > window.innerWidth;
  })
  .map(control => control.outerHTML.slice(0, 120))"""


def test_the_editor_fits_a_phone_and_its_controls_work_there(browser_as, instructor, course, moves):
    course_exercise = lee_draft(course, instructor)
    page = browser_as(instructor)
    page.set_viewport_size({"width": PHONE, "height": 844})
    page.goto(own_url(course, course_exercise, "edit/"))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    assert page.evaluate(CONTROLS_OFF_SCREEN) == []

    first = sentence_editor(page, 1)
    first.get_by_role("checkbox", name=re.compile("^Confirmed")).click()
    first.get_by_role("checkbox", name="potential", exact=True).click()
    first.get_by_label("Explanation of sentence 1").fill(LEE["sentences"][0]["explanation"])
    sentence_editor(page, CORRECTED).get_by_role("radio", name=moves["importance"], exact=True).click()
    page.get_by_role("button", name="Save the draft").click()
    expect(page.locator(".editor-notice")).to_have_text("Draft saved.")
    first = sentence_editor(page, 1)
    expect(first.get_by_role("checkbox", name=re.compile("^Confirmed"))).to_be_checked()
    expect(first.locator(".signals-now")).to_have_text("Signals: “potential”.")
    expect(sentence_editor(page, CORRECTED).get_by_role("radio", name=moves["importance"], exact=True)).to_be_checked()

    page.get_by_role("button", name="Join with sentence 2").click()
    expect(page.locator(".editor-notice")).to_contain_text("Sentences 1 and 2 are one sentence now")
    # With the problems listed and the notice shown, still nothing wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    assert page.evaluate(CONTROLS_OFF_SCREEN) == []


# The pages of the feature, each in a state worth checking; axe, one h1, and no sideways scroll on a phone.


def _step_one(browser_as, world):
    page = browser_as(world["instructor"])
    page.goto(new_url(world["course"]))
    return page


def _step_one_refused(browser_as, world):
    page = _step_one(browser_as, world)
    page.get_by_role("button", name="Split into sentences").click()
    expect(page.locator("#form-errors")).to_contain_text("Paste the passage first")
    return page


def _editor_with_suggestions_and_problems(browser_as, world):
    course_exercise = lee_draft(world["course"], world["instructor"])
    page = browser_as(world["instructor"])
    page.goto(own_url(world["course"], course_exercise, "edit/"))
    expect(page.locator("#editor-problems li").first).to_be_visible()
    return page


def _editor_with_a_refused_split(browser_as, world):
    page = _editor_with_suggestions_and_problems(browser_as, world)
    page.get_by_role("button", name="Split sentence 3").click()
    expect(page.locator("#refusal")).to_contain_text("Type the words the second sentence begins with.")
    return page


def _editor_with_a_refused_save(browser_as, world):
    page = _editor_with_suggestions_and_problems(browser_as, world)
    title = page.get_by_label("Title", exact=True)
    # The input's maxlength stops a person typing more; a request can still send it (an old browser, a script).
    title.evaluate("input => input.removeAttribute('maxlength')")
    title.fill("x" * 201)
    page.get_by_role("button", name="Save the draft").click()
    expect(page.locator("#id_title_error")).to_contain_text("at most 200 characters")
    return page


def _editor_without_problems(browser_as, world):
    course_exercise = lee_draft(world["course"], world["instructor"], ready=True)
    page = browser_as(world["instructor"])
    page.goto(own_url(world["course"], course_exercise, "edit/"))
    expect(page.locator("#editor-problems")).to_contain_text("No problems found")
    return page


def _preview_with_feedback(browser_as, world):
    course_exercise = lee_draft(world["course"], world["instructor"], ready=True)
    page = browser_as(world["instructor"])
    page.goto(own_url(world["course"], course_exercise, "preview/"))
    moves = world["moves"]
    choose_labels(page, [moves["about"], *(moves[given["label"]] for given in LEE["sentences"][1:])])
    page.get_by_role("button", name="Check my labels").click()
    expect(page.locator("#feedback")).to_contain_text("Feedback on your preview")
    return page


def _own_list_of_the_instructor(browser_as, world):
    published_lee(world["course"], world["instructor"])
    lee_draft(world["course"], world["instructor"])
    page = browser_as(world["instructor"])
    page.goto(f"/courses/{world['course'].slug}/own/")
    expect(page.locator('tr[data-state="draft"]')).to_have_count(1)
    return page


def _own_list_of_a_student(browser_as, world):
    published_lee(world["course"], world["instructor"])
    page = browser_as(world["student"])
    page.goto(f"/courses/{world['course'].slug}/own/")
    expect(page.locator("tbody tr")).to_have_count(1)
    return page


def _students_exercise(browser_as, world):
    course_exercise = published_lee(world["course"], world["instructor"])
    page = browser_as(world["student"])
    page.goto(own_url(world["course"], course_exercise))
    expect(page.locator("fieldset.sentence-card")).to_have_count(len(SENTENCES))
    return page


def _students_exercise_with_feedback(browser_as, world):
    page = _students_exercise(browser_as, world)
    moves = world["moves"]
    choose_labels(page, [moves["about"], *(moves[given["label"]] for given in LEE["sentences"][1:])])
    page.get_by_role("button", name="Check my labels").click()
    expect(page.locator("#feedback")).to_contain_text("Feedback on attempt 1")
    return page


PAGES = {
    "step one": _step_one,
    "step one refused": _step_one_refused,
    "editor with the tagger's suggestions and problems": _editor_with_suggestions_and_problems,
    "editor with a refused split": _editor_with_a_refused_split,
    "editor with a refused save": _editor_with_a_refused_save,
    "editor without problems": _editor_without_problems,
    "preview with feedback": _preview_with_feedback,
    "own-exercise list of the instructor": _own_list_of_the_instructor,
    "own-exercise list of a student": _own_list_of_a_student,
    "student's exercise": _students_exercise,
    "student's exercise with feedback": _students_exercise_with_feedback,
}


@pytest.mark.parametrize("kind", PAGES)
def test_the_pages_pass_axe_and_fit_a_phone(browser_as, instructor, student, course, moves, kind):
    world = {"instructor": instructor, "student": student, "course": course, "moves": moves}
    page = PAGES[kind](browser_as, world)
    assert axe_violations(page) == []
    assert page.locator("h1").count() == 1
    assert_no_sideways_scroll_on_a_phone(page)
    assert axe_violations(page) == []
