"""Contesting a label (issue 17): a learner says the label they chose fits too, an instructor (for a
course) or an editor (on one's own) decides, and the learner reads the decision beside their answer.
Also how the others answered, shown under each sentence once enough learners have. With the mouse,
the keyboard alone and JavaScript off; axe-clean and no sideways scrolling on a phone."""

import re

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from browser_tests.actions import (
    EXERCISE_URL,
    answers_with_one_wrong,
    assert_no_sideways_scroll_on_a_phone,
    axe_violations,
    focus_is_visible,
    focused,
    label_every_sentence,
    log_in,
    submit_and_see_feedback,
    tab_until,
)

pytestmark = pytest.mark.browser

REASON = "The sentence states the problem the paper answers, so it gives the context too."
REPLY = "It does set the scene, but its job here is to name the gap: the best label stays."


@pytest.fixture
def course(make, instructor, student):
    """Writing 101, which assigns the exercise (a new course assigns the exemplars), with the student in it."""
    course = make.course(instructor, "Writing 101")
    course.join(student)
    return course


@pytest.fixture
def editor(make):
    user = make.user("editor")
    user.user_permissions.add(Permission.objects.get(codename="decide_objections"))
    return user


def peers_answered(make, exercise, count, wrong=0):
    """`count` other learners' first attempts on their own: all right but the last `wrong`, all wrong."""
    for index in range(count):
        make.attempt(make.learner(make.user(f"peer-{index}")), exercise, right=index < count - wrong)


def first_wrong_sentence(page):
    return page.locator('[data-verdict="wrong"]').first


def contest(sentence, reason=REASON):
    """Open "I think my label fits" under a wrong answer, write why and send it."""
    sentence.get_by_text("I think my label fits").click()
    sentence.get_by_label(re.compile(r"^Why .+ fits sentence \d+$")).fill(reason)
    sentence.get_by_role("button", name="Send my objection").click()


def queue_item(page, exercise, position=1):
    return page.locator("article.objection").filter(
        has=page.get_by_role("heading", name=f"{exercise.title}, sentence {position}")
    )


def attempt_url(page):
    """The latest attempt's own page, from the list of the learner's attempts."""
    return page.get_by_role("region", name="Your attempts").get_by_role("link").first.get_attribute("href")


def test_a_student_contests_a_label_and_the_instructors_acceptance_regrades_the_attempt(
    browser_as, make, instructor, student, course, exercise
):
    from courses.models import CourseAttempt

    learner = browser_as(student)
    learner.goto(course.get_absolute_url())
    learner.get_by_role("link", name=exercise.title).click()
    expect(learner).to_have_url(re.compile(rf"{EXERCISE_URL}\?for={course.slug}$"))
    expect(learner.locator(".scope-note")).to_contain_text("You are doing this exercise for Writing 101")
    label_every_sentence(learner, answers_with_one_wrong(make, exercise))
    total = exercise.sentences.count()
    expect(submit_and_see_feedback(learner, 1)).to_contain_text(f"{total - 1} of {total} right")
    assert CourseAttempt.objects.filter(course=course, attempt__learner__user=student).count() == 1

    sentence = first_wrong_sentence(learner)
    expect(sentence).to_have_id("sentence-1")
    contest(sentence)
    status = learner.locator("#sentence-1").get_by_role("status")
    expect(status).to_contain_text("Your objection is waiting for a decision.")
    expect(status).to_contain_text("The instructors of Writing 101 decide.")
    expect(status).to_contain_text(REASON)
    expect(learner.locator("#sentence-1").get_by_text("I think my label fits")).to_have_count(0)

    teacher = browser_as(None)
    log_in(teacher, instructor.username)
    teacher.goto(course.get_absolute_url())
    waiting = teacher.get_by_role("link", name="1 objection from students waiting for your decision")
    expect(waiting).to_be_visible()
    waiting.click()
    expect(teacher.get_by_role("heading", level=1)).to_have_text("Objections in Writing 101")
    item = queue_item(teacher, exercise)
    expect(item).to_contain_text(f"From {student.username}")
    expect(item.locator(".objection-reason")).to_have_text(REASON)
    item.get_by_label("Reply to the learner").fill(REPLY)
    item.get_by_role("button", name="Accept for this course").click()
    decided = queue_item(teacher, exercise).get_by_role("status")
    expect(decided).to_contain_text("Accepted for Writing 101: 1 answer regraded from wrong to accepted.")
    expect(decided).to_contain_text(f"Accepted by {instructor.username}")
    teacher.goto(course.get_absolute_url())
    expect(teacher.locator(".objections-waiting")).to_contain_text("none waiting for a decision")

    learner.goto(attempt_url(learner))
    expect(learner.locator("#feedback")).to_contain_text(f"{total} of {total} right (100%)")
    accepted = learner.locator("#sentence-1")
    expect(accepted).to_have_attribute("data-verdict", "accepted")
    expect(accepted.locator(".verdict")).to_contain_text("Accepted")
    expect(accepted).to_contain_text("Your objection was accepted.")
    expect(accepted).to_contain_text(f"Their reply: {REPLY}")


def test_a_self_study_learner_contests_and_an_editor_rejects_with_a_reply(browser_as, make, student, editor, exercise):
    learner = browser_as(student)
    learner.goto(EXERCISE_URL)
    label_every_sentence(learner, answers_with_one_wrong(make, exercise))
    total = exercise.sentences.count()
    submit_and_see_feedback(learner, 1)
    contest(first_wrong_sentence(learner))
    status = learner.locator("#sentence-1").get_by_role("status")
    expect(status).to_contain_text("Your objection is waiting for a decision.")
    expect(status).to_contain_text("The site's editors decide.")

    reviewer = browser_as(None)
    log_in(reviewer, editor.username)
    reviewer.goto("/objections/")
    expect(reviewer.get_by_role("heading", level=1)).to_have_text("Objections from self-study")
    item = queue_item(reviewer, exercise)
    expect(item).to_contain_text("From a self-study learner")
    expect(item).not_to_contain_text(student.username)
    # Rejecting without a reply is refused, with the reason beside the field.
    item.get_by_role("button", name="Reject with the reply").click()
    expect(queue_item(reviewer, exercise).locator(".field-error")).to_contain_text("Write a reply to reject")
    item = queue_item(reviewer, exercise)
    item.get_by_label("Reply to the learner").fill(REPLY)
    item.get_by_role("button", name="Reject with the reply").click()
    expect(queue_item(reviewer, exercise).get_by_role("status")).to_contain_text(
        "Rejected. The learner sees your reply with their answer."
    )

    learner.goto(attempt_url(learner))
    expect(learner.locator("#feedback")).to_contain_text(f"{total - 1} of {total} right")
    rejected = learner.locator("#sentence-1")
    expect(rejected).to_have_attribute("data-verdict", "wrong")
    expect(rejected).to_contain_text("Your objection was not accepted.")
    expect(rejected).to_contain_text(f"Their reply: {REPLY}")
    # Decided: no second objection on the same answer.
    expect(rejected.get_by_text("I think my label fits")).to_have_count(0)


def test_how_the_others_answered_shows_only_once_five_other_learners_have_answered(browser_as, make, student, exercise):
    peers_answered(make, exercise, 4)
    page = browser_as(student)
    page.goto(EXERCISE_URL)
    label_every_sentence(page, answers_with_one_wrong(make, exercise))
    submit_and_see_feedback(page, 1)
    # Five first attempts with the learner's own: four others, one short.
    note = page.locator(".class-answers-note")
    expect(note).to_contain_text("shows here once at least 5 other learners have answered this exercise")
    expect(page.locator("meter")).to_have_count(0)
    expect(page.locator(".class-answers")).to_have_count(0)

    make.attempt(make.learner(make.user("peer-4")), exercise, right=False)
    page.goto(attempt_url(page))
    expect(page.locator(".class-answers-note")).to_have_count(0)
    sentences, labels = exercise.sentences.count(), exercise.label_set.moves.count()
    expect(page.locator(".class-answers")).to_have_count(sentences)
    expect(page.locator(".class-answers meter")).to_have_count(sentences * labels)

    first = page.locator("#sentence-1 .class-answers")
    expect(first.locator(".class-answers-title")).to_have_text(
        "How all learners labelled sentence 1 (first attempts of 5 other learners)"
    )
    best = first.locator(".share-right")
    expect(best).to_have_count(1)
    right_label = exercise.sentences.get(position=1).label.name
    expect(best.locator(".share-label")).to_contain_text(f"{right_label} ✓ best label")
    expect(best.locator(".share-count")).to_have_text("4 (80%)")
    # The one peer who got it wrong chose the label the learner chose: their own answer is not counted.
    mine = first.locator(".share").filter(has_text="(your label)")
    expect(mine.locator(".share-count")).to_have_text("1 (20%)")
    expect(first.get_by_text("✓ best label")).to_have_count(1)


def test_the_contest_and_the_instructors_acceptance_work_with_the_keyboard_alone(
    browser_as, make, instructor, student, course, exercise
):
    attempt = make.attempt(make.learner(student), exercise, right=False, course=course)
    learner = browser_as(student)
    learner.goto(attempt.get_absolute_url())
    expect(learner.locator("#feedback")).to_be_focused()
    tab_until(learner, lambda now: now["tag"] == "SUMMARY" and now["text"] == "I think my label fits")
    learner.keyboard.press("Enter")
    expect(learner.locator("#sentence-1 details.contest")).to_have_attribute("open", "")
    assert tab_until(learner, lambda now: True, limit=1)["id"] == "reason-1"
    # Sent empty: refused, and focus is back in the field, which now describes the error.
    assert tab_until(learner, lambda now: True, limit=1)["text"] == "Send my objection"
    learner.keyboard.press("Enter")
    reason = learner.locator("#reason-1")
    expect(reason).to_have_accessible_description(re.compile("Write why your label fits"))
    expect(reason).to_be_focused()
    learner.keyboard.type(REASON)
    assert tab_until(learner, lambda now: True, limit=1)["text"] == "Send my objection"
    learner.keyboard.press("Enter")

    status = learner.locator("#sentence-1 .my-objection")
    expect(status).to_contain_text("Your objection is waiting for a decision.")
    # Focus follows the answer: on the objection just sent, not lost at the top of the page.
    expect(status).to_be_focused()
    assert focus_is_visible(learner)

    # Space opens the next sentence's box just as Enter did.
    tab_until(learner, lambda now: now["tag"] == "SUMMARY")
    learner.keyboard.press("Space")
    expect(learner.locator("#sentence-2 details.contest")).to_have_attribute("open", "")

    teacher = browser_as(instructor)
    teacher.goto(f"{course.get_absolute_url()}objections/")
    item = queue_item(teacher, exercise)
    tab_until(teacher, lambda now: now["tag"] == "TEXTAREA")
    # Rejecting without a reply is refused: focus goes back to the reply, which describes the error.
    assert tab_until(teacher, lambda now: now["tag"] == "BUTTON", limit=3)["text"] == "Accept for this course"
    assert tab_until(teacher, lambda now: True, limit=1)["text"] == "Reject with the reply"
    teacher.keyboard.press("Enter")
    reply = item.get_by_label("Reply to the learner")
    expect(reply).to_have_attribute("aria-invalid", "true")
    expect(reply, f"focus is on {focused(teacher)}").to_be_focused()
    expect(reply).to_have_accessible_description(re.compile("Write a reply to reject"))
    teacher.keyboard.type(REPLY)
    assert tab_until(teacher, lambda now: now["tag"] == "BUTTON", limit=3)["text"] == "Accept for this course"
    teacher.keyboard.press("Enter")

    decision = item.get_by_role("status")
    expect(decision).to_contain_text("Accepted for Writing 101")
    # Focus lands on the decision that replaced the pressed button, not on the page's body.
    expect(decision, f"focus is on {focused(teacher)}").to_be_focused()
    assert focus_is_visible(teacher)

    learner.reload()
    expect(learner.locator("#sentence-1")).to_have_attribute("data-verdict", "accepted")


def test_contesting_and_deciding_work_without_javascript(browser_as, make, instructor, student, course, exercise):
    learner = browser_as(student, java_script_enabled=False)
    learner.goto(course.get_absolute_url())
    learner.get_by_role("link", name=exercise.title).click()
    label_every_sentence(learner, answers_with_one_wrong(make, exercise))
    learner.get_by_role("button", name="Check my labels").click()
    expect(learner).to_have_url(re.compile(rf"/exercises/{exercise.slug}/attempts/\d+/#feedback$"))
    attempt = learner.url.split("#")[0]

    # An empty reason comes back on the page, the box open, with the error beside the field.
    sentence = learner.locator("#sentence-1")
    sentence.get_by_text("I think my label fits").click()
    sentence.get_by_role("button", name="Send my objection").click()
    expect(learner.locator("#sentence-1 details.contest")).to_have_attribute("open", "")
    expect(learner.locator("#reason-error-1")).to_contain_text("Write why your label fits")

    learner.locator("#reason-1").fill(REASON)
    learner.get_by_role("button", name="Send my objection").click()
    expect(learner).to_have_url(f"{attempt}#sentence-1")
    expect(learner.locator("#sentence-1 .my-objection")).to_contain_text("Your objection is waiting for a decision.")

    teacher = browser_as(instructor, java_script_enabled=False)
    teacher.goto(course.get_absolute_url())
    teacher.get_by_role("link", name="1 objection from students waiting for your decision").click()
    item = queue_item(teacher, exercise)
    item.get_by_label("Reply to the learner").fill(REPLY)
    item.get_by_role("button", name="Accept for this course").click()
    expect(teacher).to_have_url(re.compile(rf"/courses/{course.slug}/objections/(\?page=1)?$"))
    expect(teacher.locator(".messages")).to_contain_text("Accepted for Writing 101: 1 answer regraded")

    learner.goto(attempt)
    expect(learner.locator("#sentence-1")).to_have_attribute("data-verdict", "accepted")
    expect(learner.locator("#sentence-1")).to_contain_text(f"Their reply: {REPLY}")


def test_an_editor_accepts_for_everyone_without_javascript(browser_as, make, student, editor, exercise):
    attempt = make.attempt(make.learner(student), exercise, right=False)
    make.objection(attempt)
    reviewer = browser_as(editor, java_script_enabled=False)
    reviewer.goto("/objections/")
    queue_item(reviewer, exercise).get_by_role("button", name="Accept for everyone").click()
    expect(reviewer).to_have_url(re.compile(r"/objections/(\?page=1)?$"))
    expect(reviewer.locator(".messages")).to_contain_text("Accepted for everyone: 1 answer regraded")

    learner = browser_as(student, java_script_enabled=False)
    learner.goto(attempt.get_absolute_url())
    expect(learner.locator("#sentence-1")).to_have_attribute("data-verdict", "accepted")
    expect(learner.locator("#sentence-1")).to_contain_text("Your objection was accepted.")


def _attempt_with_the_contest_box_open(browser_as, make, world):
    peers_answered(make, world["exercise"], 5, wrong=2)
    attempt = make.attempt(make.learner(world["student"]), world["exercise"], right=False)
    page = browser_as(world["student"])
    page.goto(attempt.get_absolute_url())
    page.locator("#sentence-1").get_by_text("I think my label fits").click()
    expect(page.locator("#reason-1")).to_be_visible()
    expect(page.locator(".class-answers").first).to_be_visible()
    return page


def _course_queue(browser_as, make, world):
    course = world["course"]
    make.objection(make.attempt(make.learner(world["student"]), world["exercise"], right=False, course=course))
    page = browser_as(world["instructor"])
    page.goto(f"{course.get_absolute_url()}objections/")
    expect(page.locator("article.objection")).to_have_count(1)
    return page


def _editors_queue(browser_as, make, world):
    make.objection(make.attempt(make.learner(world["student"]), world["exercise"], right=False))
    page = browser_as(world["editor"])
    page.goto("/objections/")
    expect(page.locator("article.objection")).to_have_count(1)
    return page


PAGES = {
    "attempt with the contest box open and class answers": _attempt_with_the_contest_box_open,
    "instructor's queue": _course_queue,
    "editors' queue": _editors_queue,
}


@pytest.mark.parametrize("kind", PAGES)
def test_the_pages_pass_axe_and_fit_a_phone(browser_as, make, instructor, student, editor, course, exercise, kind):
    world = {"instructor": instructor, "student": student, "editor": editor, "course": course, "exercise": exercise}
    page = PAGES[kind](browser_as, make, world)
    assert axe_violations(page) == []
    assert_no_sideways_scroll_on_a_phone(page)
    assert axe_violations(page) == []
