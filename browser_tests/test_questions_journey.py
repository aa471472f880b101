"""Questions and answers (issue 18): asked on an excerpt, a lesson or an exercise, answered, the answer
that helped marked, a course's questions kept inside the course, a reported post hidden by a moderator.
With the mouse, the keyboard alone and JavaScript off; axe-clean and no sideways scrolling on a phone;
and what users write shown as inert text in Chromium, whatever they typed."""

import re
from urllib.parse import quote, urlsplit

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from browser_tests.actions import (
    assert_no_sideways_scroll_on_a_phone,
    axe_violations,
    focus_is_visible,
    focused,
    log_in,
    tab_until,
)
from lessons.models import Excerpt, Lesson
from lessons.sanitizer import ALLOWED_ATTRIBUTES, USER_TAGS
from questions.models import Question, Reply
from writing_guide.tests.xss_corpus import load_vectors

pytestmark = pytest.mark.browser

PAPER_URL = "/papers/lee-2016/"
EXCERPT = "lee-2016-abstract"
EXCERPT_QUESTIONS = f"/questions/on/excerpt/{EXCERPT}/"
LESSON = "meta-information"
LESSON_QUESTIONS = f"/questions/on/lesson/{LESSON}/"
TITLE = "Why does the abstract name the gap before the method?"
DETAILS = "The second sentence says what is missing; I expected the method first."
ANSWER = "Naming the gap first tells the reader why the method matters: it is the *problem* move."
REPORT = "This answer copies a paywalled paper word for word."
HIDE_REASON = "It quotes a whole copyrighted page; link to the paper instead."


@pytest.fixture
def course(make, instructor, student):
    """Writing 101, with the student in it."""
    course = make.course(instructor, "Writing 101")
    course.join(student)
    return course


@pytest.fixture
def editor(make):
    """A site moderator, as `manage.py grant_editor` makes one (here: the one permission that counts)."""
    user = make.user("editor")
    user.user_permissions.add(Permission.objects.get(codename="moderate_posts"))
    return user


def asked(author, title=TITLE, body=DETAILS, course=None, place="excerpt", slug=EXCERPT):
    subject = (Excerpt if place == "excerpt" else Lesson).objects.get(slug=slug)
    return Question.ask(author, place, subject, title, body, course=course)


def ask(scope, title=TITLE, details=DETAILS, audience=None):
    """Fill the ask form inside `scope` (a place's list of questions) and send it."""
    scope.get_by_label("Your question in one line").fill(title)
    scope.get_by_label("Details").fill(details)
    if audience:
        scope.get_by_label(audience).check()
    scope.get_by_role("button", name="Ask", exact=True).click()


def answer(page, body=ANSWER):
    page.get_by_label("Your answer").fill(body)
    page.get_by_role("button", name="Post my answer").click()


def question_url(question):
    return f"/questions/{question.pk}/"


def excerpt_questions(page):
    """The excerpt's list of questions, on the paper page (loaded there) or on its own page."""
    return page.locator(f"#questions-excerpt-{EXCERPT}")


def new_answers(page, count):
    return page.get_by_role("link", name=f"{count} new answer{'s' if count > 1 else ''} to your questions")


def test_a_learner_asks_on_an_excerpt_another_answers_and_the_asker_marks_the_answer_that_helped(
    browser_as, student, other_student
):
    asker = browser_as(student)
    asker.goto(PAPER_URL)
    asker.locator(f"#excerpt-{EXCERPT}").get_by_role("link", name="Questions on this excerpt").click()
    questions = excerpt_questions(asker)
    expect(questions.get_by_role("heading", name="Questions on this excerpt")).to_be_visible()
    expect(questions).to_contain_text("No questions on this excerpt yet.")
    ask(questions)
    posted = questions.get_by_role("status")
    expect(posted).to_contain_text("Your question is posted.")
    # In place, with htmx: still on the paper page, focus on what changed.
    expect(asker).to_have_url(re.compile(rf"{PAPER_URL}$"))
    expect(posted).to_be_focused()
    expect(questions.get_by_role("heading", name="Questions on this excerpt (1)")).to_be_visible()
    row = questions.locator(".question-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("0 answers")
    expect(row).to_contain_text("asked to everyone")
    question = Question.objects.get(title=TITLE)
    assert (question.author, question.excerpt.slug, question.course) == (student, EXCERPT, None)
    expect(row.get_by_role("link", name=TITLE)).to_have_attribute("href", question_url(question))

    answerer = browser_as(other_student)
    answerer.goto(question_url(question))
    expect(answerer.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(answerer.locator("article.question .prose")).to_have_text(DETAILS)
    answer(answerer)
    expect(answerer.locator("#answers").get_by_role("status")).to_contain_text("Your answer is posted.")
    expect(answerer.get_by_role("heading", name="1 answer")).to_be_visible()
    # The answerer has no new answers of their own.
    expect(answerer.locator(".nav-answers")).to_have_count(0)

    asker.reload()
    expect(new_answers(asker, 1)).to_be_visible()
    new_answers(asker, 1).click()
    expect(asker).to_have_url(re.compile(r"/progress/#answers-to-your-questions$"))
    waiting = asker.get_by_role("region", name="Answers to your questions")
    expect(waiting).to_contain_text(f"{TITLE}: answered by {other_student.username}")
    waiting.get_by_role("link", name=TITLE).click()
    expect(asker).to_have_url(re.compile(rf"{question_url(question)}$"))
    # Read: the count is gone from the navigation of this page already.
    expect(asker.locator(".nav-answers")).to_have_count(0)

    reply = question.replies.get()
    answer_item = asker.locator(f"#answer-{reply.pk}")
    expect(answer_item.locator(".prose")).to_contain_text("it is the problem move.")
    answer_item.get_by_role("button", name="Mark as the answer that helped").click()
    expect(asker.locator(f"#answer-{reply.pk}")).to_contain_text("✓ The answer that helped")
    expect(asker.get_by_role("button", name="Mark as the answer that helped")).to_have_count(0)
    question.refresh_from_db()
    assert question.helpful == reply
    asker.goto(EXCERPT_QUESTIONS)
    expect(excerpt_questions(asker).locator(".question-row")).to_contain_text("✓ Answered")
    expect(asker.locator(".nav-answers")).to_have_count(0)

    # Only the asker marks the answer that helped.
    answerer.reload()
    expect(answerer.locator(f"#answer-{reply.pk}")).to_contain_text("✓ The answer that helped")
    expect(answerer.get_by_role("button", name="Mark as the answer that helped")).to_have_count(0)


def test_a_question_asked_to_a_course_is_seen_by_its_members_only(
    browser_as, make, student, other_student, stranger, course
):
    course.join(other_student)
    title = "Should our literature review cite the lecture notes?"
    asker = browser_as(student)
    asker.goto(LESSON_QUESTIONS)
    questions = asker.locator(f"#questions-lesson-{LESSON}")
    expect(questions.get_by_role("group", name="Ask")).to_be_visible()
    expect(questions.get_by_label("Everyone: every reader of the guide sees it")).to_be_checked()
    ask(questions, title=title, audience="Your course Writing 101: only its members and instructors see it")
    expect(questions.get_by_role("status")).to_contain_text("Your question is posted.")
    expect(questions.locator(".question-row")).to_contain_text("asked to your course Writing 101")
    question = Question.objects.get(title=title)
    assert question.course == course
    url = question_url(question)

    outsider = browser_as(stranger)
    outsider.goto(LESSON_QUESTIONS)
    expect(outsider.get_by_role("heading", name="Questions on this lesson", exact=True)).to_be_visible()
    expect(outsider.locator(f"#questions-lesson-{LESSON}")).to_contain_text("No questions on this lesson yet.")
    expect(outsider.get_by_text(title)).to_have_count(0)
    outsider.goto(f"/questions/?q={quote(title)}")
    expect(outsider.locator("#results")).to_have_text(f"0 questions with “{title}”")
    expect(outsider.locator("main")).to_contain_text("No question has these words in its title or text.")
    outsider.goto("/questions/")
    expect(outsider.get_by_text(title)).to_have_count(0)
    assert outsider.goto(url).status == 404
    expect(outsider.get_by_text(title)).to_have_count(0)
    assert browser_as(None).goto(url).status == 404

    classmate = browser_as(other_student)
    classmate.goto(LESSON_QUESTIONS)
    expect(classmate.locator(".question-row").get_by_role("link", name=title)).to_be_visible()
    classmate.goto(f"/questions/?q={quote(title)}")
    expect(classmate.locator("#results")).to_have_text(f"1 question with “{title}”")
    classmate.get_by_role("link", name=title).click()
    expect(classmate.get_by_role("heading", level=1)).to_have_text(title)
    expect(classmate.locator(".question-facts")).to_contain_text(
        "asked to your course Writing 101: only its members and instructors see it"
    )
    answer(classmate)
    expect(classmate.get_by_role("heading", name="1 answer")).to_be_visible()


def test_a_reported_answer_hidden_by_a_moderator_is_shown_to_its_author_only_with_the_reason(
    browser_as, student, other_student, stranger, editor
):
    question = asked(student)
    reply = question.answer(other_student, ANSWER)
    url = question_url(question)

    reader = browser_as(stranger)
    reader.goto(url)
    item = reader.locator(f"#answer-{reply.pk}")
    item.get_by_text("Report", exact=True).click()
    item.get_by_label("What is wrong with this answer?").fill(REPORT)
    item.get_by_role("button", name="Send the report").click()
    expect(item.get_by_role("status")).to_have_text("Thanks: moderators will look at it.")
    expect(item.get_by_text("Report", exact=True)).to_have_count(0)
    # Reporting does not hide: the answer stays until a moderator decides.
    expect(item.locator(".prose")).to_contain_text("it is the problem move.")

    moderator = browser_as(None)
    log_in(moderator, editor.username)
    moderator.get_by_role("link", name="Questions", exact=True).click()
    moderator.goto("/questions/review/")
    expect(moderator.get_by_role("heading", name="Waiting for a moderator: 1")).to_be_visible()
    waiting = moderator.locator(f"#review-reply-{reply.pk}")
    expect(waiting.get_by_role("heading")).to_have_text(f"An answer to “{TITLE}”")
    expect(waiting).to_contain_text(f"By {other_student.username}")
    expect(waiting).to_contain_text("1 open report")
    expect(waiting.locator(".report-reasons")).to_have_text(REPORT)
    expect(waiting).not_to_contain_text(stranger.username)  # who reported stays private
    waiting.get_by_text("Hide…").click()
    waiting.get_by_label("Why hide it?").fill(HIDE_REASON)
    waiting.get_by_role("button", name="Hide the answer").click()
    expect(waiting.get_by_role("status")).to_have_text(
        "Hidden. Its author sees it with your reason; nobody else sees it."
    )
    expect(waiting.get_by_role("button", name="Show again")).to_be_visible()
    moderator.reload()
    expect(moderator.locator("main")).to_contain_text("Nothing waits for review.")

    author = browser_as(other_student)
    author.goto(url)
    hidden = author.locator(f"#answer-{reply.pk}")
    expect(hidden.locator(".post-state")).to_have_text(
        f"A moderator hid your answer: only you and the moderators see it. Their reason: {HIDE_REASON}"
    )
    expect(hidden.locator(".prose")).to_contain_text("it is the problem move.")

    for viewer in (reader, browser_as(student), browser_as(None)):
        viewer.goto(url)
        expect(viewer.get_by_role("heading", name="0 answers")).to_be_visible()
        expect(viewer.locator(f"#answer-{reply.pk}")).to_have_count(0)
        expect(viewer.get_by_text("it is the problem move.")).to_have_count(0)
    # And the asker is not told of an answer they cannot read.
    expect(browser_as(student).locator(".nav-answers")).to_have_count(0)


def test_asking_answering_and_reporting_work_with_the_keyboard_alone(browser_as, student, other_student):
    asker = browser_as(student)
    asker.goto(PAPER_URL)
    # Where the excerpt's questions are: the table of contents leads to the excerpt, and on from there.
    tab_until(asker, lambda now: now["text"] == "The abstract", limit=20)
    asker.keyboard.press("Enter")
    expect(asker).to_have_url(re.compile(rf"#excerpt-{EXCERPT}$"))
    link = tab_until(asker, lambda now: now["text"] == "Questions on this excerpt", limit=200)
    asker.keyboard.press("Enter")
    questions = excerpt_questions(asker)
    expect(questions.get_by_role("heading", name="Questions on this excerpt")).to_be_visible()
    # Loaded under the link, which keeps the focus; the next stop is the form's first field.
    assert focused(asker) == link
    assert tab_until(asker, lambda now: True, limit=1)["id"] == f"ask-excerpt-{EXCERPT}-title"
    asker.keyboard.type(TITLE)
    assert tab_until(asker, lambda now: True, limit=1)["id"] == f"ask-excerpt-{EXCERPT}-body"
    asker.keyboard.type(DETAILS)
    assert tab_until(asker, lambda now: True, limit=1)["text"] == "Ask"
    asker.keyboard.press("Enter")
    posted = questions.get_by_role("status")
    expect(posted).to_contain_text("Your question is posted.")
    expect(posted, f"focus is on {focused(asker)}").to_be_focused()
    assert focus_is_visible(asker)
    assert tab_until(asker, lambda now: True, limit=1)["text"] == "Read it"
    asker.keyboard.press("Enter")
    expect(asker.get_by_role("heading", level=1)).to_have_text(TITLE)
    question = Question.objects.get(title=TITLE)

    answerer = browser_as(other_student)
    answerer.goto(question_url(question))
    tab_until(answerer, lambda now: now["tag"] == "TEXTAREA" and now["id"] == "id_body")
    answerer.keyboard.type(ANSWER)
    assert tab_until(answerer, lambda now: True, limit=1)["text"] == "Post my answer"
    answerer.keyboard.press("Enter")
    posted = answerer.locator("#answers").get_by_role("status")
    expect(posted).to_contain_text("Your answer is posted.")
    expect(posted, f"focus is on {focused(answerer)}").to_be_focused()
    reply = Reply.objects.get(question=question)

    # The answer's report box opens from the keyboard (the asker has none on their own question):
    # Enter opens and closes it, as Space does.
    asker.reload()
    tab_until(asker, lambda now: now["tag"] == "SUMMARY" and now["text"] == "Report")
    report_box = asker.locator(f"#answer-{reply.pk} details.report-post")
    asker.keyboard.press("Enter")
    expect(report_box).to_have_attribute("open", "")
    asker.keyboard.press("Enter")
    expect(report_box).not_to_have_attribute("open", "")
    asker.keyboard.press("Space")
    expect(report_box).to_have_attribute("open", "")
    assert tab_until(asker, lambda now: True, limit=1)["id"] == f"report-reply-{reply.pk}"
    asker.keyboard.type(REPORT)
    assert tab_until(asker, lambda now: True, limit=1)["text"] == "Send the report"
    asker.keyboard.press("Enter")
    thanks = asker.locator(f"#controls-reply-{reply.pk}").get_by_role("status")
    expect(thanks).to_have_text("Thanks: moderators will look at it.")
    # Focus follows the report to its thanks, not back to the top of the page.
    expect(thanks, f"focus is on {focused(asker)}").to_be_focused()
    assert reply.reports.get().reason == REPORT

    # The asker marks the answer that helped from the keyboard too.
    asker.reload()
    tab_until(asker, lambda now: now["text"] == "Mark as the answer that helped")
    asker.keyboard.press("Enter")
    marked = asker.locator(f"#answer-{reply.pk} .helpful-mark")
    expect(marked).to_have_text("✓ The answer that helped")
    # The pressed button is gone with the swap: focus goes to the mark that took its place.
    expect(marked, f"focus is on {focused(asker)}").to_be_focused()


def test_asking_answering_marking_reporting_and_hiding_work_without_javascript(
    browser_as, student, other_student, stranger, editor
):
    asker = browser_as(student, java_script_enabled=False)
    asker.goto(PAPER_URL)
    # Without JavaScript the excerpt's link leads to its questions' own page.
    asker.locator(f"#excerpt-{EXCERPT}").get_by_role("link", name="Questions on this excerpt").click()
    expect(asker).to_have_url(re.compile(rf"{EXCERPT_QUESTIONS}$"))
    # An empty question comes back with the errors, nothing posted.
    asker.get_by_role("button", name="Ask", exact=True).click()
    expect(asker.get_by_role("alert")).to_contain_text("Your question was not posted:")
    expect(asker.locator(".field-error").first).to_contain_text("Give your question a title")
    ask(excerpt_questions(asker))
    question = Question.objects.get(title=TITLE)
    expect(asker).to_have_url(re.compile(rf"{question_url(question)}$"))
    expect(asker.get_by_role("heading", level=1)).to_have_text(TITLE)

    answerer = browser_as(other_student, java_script_enabled=False)
    answerer.goto(question_url(question))
    answer(answerer)
    reply = Reply.objects.get(question=question)
    expect(answerer).to_have_url(re.compile(rf"{question_url(question)}#answer-{reply.pk}$"))
    expect(answerer.locator(f"#answer-{reply.pk} .prose")).to_contain_text("it is the problem move.")

    asker.goto(PAPER_URL)
    expect(new_answers(asker, 1)).to_be_visible()
    asker.goto(question_url(question))
    asker.get_by_role("button", name="Mark as the answer that helped").click()
    expect(asker).to_have_url(re.compile(rf"{question_url(question)}#answer-{reply.pk}$"))
    expect(asker.locator(f"#answer-{reply.pk} .helpful-mark")).to_have_text("✓ The answer that helped")
    expect(asker.locator(".nav-answers")).to_have_count(0)

    reader = browser_as(stranger, java_script_enabled=False)
    reader.goto(question_url(question))
    item = reader.locator(f"#answer-{reply.pk}")
    item.get_by_text("Report", exact=True).click()
    # Sent empty: the reason is asked for, on a page of its own, with the post quoted.
    item.get_by_role("button", name="Send the report").click()
    expect(reader.get_by_role("heading", level=1)).to_have_text("Report a post")
    expect(reader.locator(".field-error")).to_have_text("Say what is wrong with this post: moderators read it.")
    reader.get_by_label("What is wrong with this answer?").fill(REPORT)
    reader.get_by_role("button", name="Send the report").click()
    expect(reader).to_have_url(re.compile(rf"{question_url(question)}$"))
    expect(reader.locator(".messages")).to_have_text("Thanks: moderators will look at it.")

    moderator = browser_as(editor, java_script_enabled=False)
    moderator.goto("/questions/review/")
    waiting = moderator.locator(f"#review-reply-{reply.pk}")
    expect(waiting.locator(".report-reasons")).to_have_text(REPORT)
    waiting.get_by_text("Hide…").click()
    waiting.get_by_label("Why hide it?").fill(HIDE_REASON)
    waiting.get_by_role("button", name="Hide the answer").click()
    expect(moderator).to_have_url(re.compile(r"/questions/review/$"))
    expect(moderator.locator(".messages")).to_have_text(
        "Hidden. Its author sees it with your reason; nobody else sees it."
    )
    expect(moderator.locator("main")).to_contain_text("Nothing waits for review.")

    answerer.goto(question_url(question))
    expect(answerer.locator(f"#answer-{reply.pk} .post-state")).to_contain_text(f"Their reason: {HIDE_REASON}")
    reader.goto(question_url(question))
    expect(reader.locator(f"#answer-{reply.pk}")).to_have_count(0)
    expect(reader.get_by_role("heading", name="0 answers")).to_be_visible()


# The pages to check on a phone and with axe: each opens its page in a state worth checking.


def _place_page_with_a_question(browser_as, world):
    asked(world["other_student"])
    page = browser_as(world["student"])
    page.goto(EXCERPT_QUESTIONS)
    expect(page.locator(".question-row")).to_have_count(1)
    expect(page.get_by_role("group", name="Ask")).to_be_visible()
    return page


def _place_page_with_the_form_refused(browser_as, world):
    page = browser_as(world["student"])
    page.goto(LESSON_QUESTIONS)
    page.get_by_role("button", name="Ask", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Your question was not posted:")
    return page


def _question_page_with_the_report_box_open(browser_as, world):
    question = asked(world["student"], course=world["course"])
    question.answer(world["instructor"], ANSWER, as_instructor=True)
    helpful = question.answer(world["other_student"], "See the [paper](https://example.org/paper) and $x^2$.")
    question.mark_helpful(helpful)
    page = browser_as(world["other_student"])
    page.goto(question_url(question))
    page.locator(f"#answer-{question.replies.first().pk}").get_by_text("Report", exact=True).click()
    expect(page.get_by_label("What is wrong with this answer?")).to_be_visible()
    return page


def _question_page_for_its_asker_with_a_hidden_answer(browser_as, world):
    question = asked(world["student"])
    reply = question.answer(world["student"], "My own follow-up, which a moderator hid.")
    reply.hide(world["editor"], HIDE_REASON)
    question.answer(world["other_student"], ANSWER)
    page = browser_as(world["student"])
    page.goto(question_url(question))
    expect(page.locator(".post-state")).to_be_visible()
    return page


def _question_page_for_a_moderator(browser_as, world):
    question = asked(world["student"])
    question.answer(world["other_student"], ANSWER)
    page = browser_as(world["editor"])
    page.goto(question_url(question))
    page.get_by_text("Hide…").first.click()
    expect(page.get_by_label("Why hide it?").first).to_be_visible()
    return page


def _review_page_with_a_report(browser_as, world):
    question = asked(world["student"])
    question.answer(world["other_student"], ANSWER).report(world["student"], REPORT)
    page = browser_as(world["editor"])
    page.goto("/questions/review/")
    expect(page.locator(".review-item")).to_have_count(1)
    page.get_by_text("Hide…").click()
    return page


def _lesson_page_with_its_questions_loaded(slug):
    def open_page(browser_as, world):
        asked(world["other_student"], place="lesson", slug=slug)
        page = browser_as(world["student"])
        page.goto(f"/lessons/{slug}/")
        section = page.locator(f"#questions-lesson-{slug}")
        section.scroll_into_view_if_needed()
        # htmx puts the list in place of the section when it is scrolled to.
        expect(section.locator(".question-row")).to_have_count(1)
        expect(section.get_by_role("button", name="Ask", exact=True)).to_be_visible()
        return page

    return open_page


def _question_page_with_a_long_line_of_code(browser_as, world):
    code = "    spikes = simulate(network, inputs, threshold=0.5, refractory_period=2, seed=42)"
    question = asked(world["student"], body=f"Is this call right?\n\n{code}\n")
    question.answer(world["other_student"], f"Almost:\n\n{code.replace('0.5', '1.0')}\n")
    page = browser_as(world["other_student"])
    page.goto(question_url(question))
    return page


def _paper_page_with_an_excerpts_questions_loaded(browser_as, world):
    asked(world["other_student"])
    page = browser_as(world["student"])
    page.goto(PAPER_URL)
    page.locator(f"#excerpt-{EXCERPT}").get_by_role("link", name="Questions on this excerpt").click()
    expect(excerpt_questions(page).locator(".question-row")).to_have_count(1)
    return page


PAGES = {
    "place page with a question and the ask form": _place_page_with_a_question,
    "place page with the ask form refused": _place_page_with_the_form_refused,
    "question page with the report box open": _question_page_with_the_report_box_open,
    "question page for its asker with a hidden answer": _question_page_for_its_asker_with_a_hidden_answer,
    "question page for a moderator": _question_page_for_a_moderator,
    "review page with a report": _review_page_with_a_report,
    "question page with a long line of code": _question_page_with_a_long_line_of_code,
    "lesson page with its questions loaded": _lesson_page_with_its_questions_loaded("main-body"),
    "lesson page with a wide table, its questions loaded": _lesson_page_with_its_questions_loaded(LESSON),
    "paper page with an excerpt's questions loaded": _paper_page_with_an_excerpts_questions_loaded,
}


@pytest.mark.parametrize("kind", PAGES)
def test_the_question_pages_pass_axe_and_fit_a_phone(
    browser_as, student, other_student, instructor, editor, course, kind
):
    course.join(other_student)
    world = {"student": student, "other_student": other_student, "instructor": instructor, "editor": editor,
             "course": course}  # fmt: skip
    page = PAGES[kind](browser_as, world)
    assert axe_violations(page) == []
    assert_no_sideways_scroll_on_a_phone(page)
    assert axe_violations(page) == []


# What users write, as Chromium parses it: inside a post (`.prose[hx-disable]`) nothing outside the
# posts' allow-list (lessons/sanitizer.py, USER_POSTS) once the parser has had its say, every handler
# a vector might have hidden fired, and links only to http(s) with rel="nofollow ugc noopener";
# titles, reasons and searches only as text; and on the whole page no handler, no script but ours,
# nothing that loads another document.
POST_PROBE = r"""([postTags, postAttributes]) => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      if (attr.name.toLowerCase().startsWith('on')) bad.push(el.tagName + '[' + attr.name + ']');
    }
    if (el.tagName === 'A' && el.hasAttribute('href')
        && !['http:', 'https:', 'mailto:'].includes(new URL(el.href, location.href).protocol)) {
      bad.push('link to ' + el.getAttribute('href'));
    }
  }
  for (const script of document.scripts) {
    const src = script.src ? new URL(script.src) : null;
    if (!src || src.origin !== location.origin || !src.pathname.startsWith('/static/')) {
      bad.push('script ' + script.outerHTML.slice(0, 80));
    }
  }
  for (const el of document.querySelectorAll('iframe, frame, object, embed, portal, base, meta[http-equiv]')) {
    bad.push('tag ' + el.tagName);
  }
  const posts = [...document.querySelectorAll('.prose[hx-disable]:not(.quoted)')];
  const links = [];
  for (const post of posts) {
    for (const el of post.querySelectorAll('*')) {
      for (const type of ['mouseover', 'mouseenter', 'focus', 'click', 'animationstart', 'toggle', 'load', 'error']) {
        if (type === 'click' && el.tagName === 'A') continue;
        el.dispatchEvent(new Event(type, {bubbles: true}));
      }
      if (!postTags.includes(el.tagName.toLowerCase())) bad.push('tag ' + el.tagName + ' in a post');
      for (const attr of el.attributes) {
        if (!postAttributes.includes(attr.name.toLowerCase())) bad.push(el.tagName + '[' + attr.name + '] in a post');
      }
      if (el.tagName === 'A' && el.hasAttribute('href')) links.push({href: el.href, rel: el.getAttribute('rel')});
    }
  }
  const text_only = '#question > h1, .question-row h3 a, .review-item h3 a, .report-reasons li, .post-state q, '
    + '.your-answers li a, #results, title';
  for (const el of document.querySelectorAll(text_only)) {
    if (el.children.length) bad.push('markup in ' + el.tagName + ': ' + el.innerHTML.slice(0, 80));
  }
  return {bad, links, posts: posts.length, xss: window.__xss === undefined ? null : String(window.__xss)};
}"""
POST_TAGS = sorted(USER_TAGS)
POST_ATTRIBUTES = sorted({"rel", *(name for tag in USER_TAGS for name in ALLOWED_ATTRIBUTES.get(tag, ()))})
# Typed into the forms: the vectors named in the issue, and a link that must keep working.
HOSTILE_TITLE = """<img src=x onerror="window.__xss='title'"><script>alert('title')</script> "quoted" & &lt;b&gt;"""
TYPED_VECTORS = ["script tag", "img onerror", "markdown javascript link", "svg onload", "data urls",
                 "markdown entity-encoded javascript link", "decimal entity javascript scheme",
                 "malformed a onmouseover", "hx-on attribute"]  # fmt: skip
RAW_LINK = """<a href="https://example.org/" onclick="window.__xss='onclick'">raw link</a>"""
HOSTILE_REASON = """<img src=x onerror="window.__xss='reason'"><script>alert('reason')</script>"""


def hostile_body(vectors):
    typed = [vector["body"] for vector in vectors if vector["name"] in TYPED_VECTORS]
    assert len(typed) == len(TYPED_VECTORS)
    return "\n\n".join([*typed, RAW_LINK, "A source that stays a link: [the paper](https://example.org/paper)."])


def pages_of(path, count, per_page=20):
    separator = "&" if "?" in path else "?"
    return [f"{path}{separator}page={number}" for number in range(1, -(-count // per_page) + 1)]


def open_the_excerpts_questions(page):
    page.locator(f"#excerpt-{EXCERPT}").get_by_role("link", name="Questions on this excerpt").click()
    expect(excerpt_questions(page).locator(".question-row").first).to_be_visible()


def test_no_hostile_post_runs_a_script_opens_a_dialog_or_calls_another_host(
    browser_as, live_server, student, other_student, editor
):
    vectors = load_vectors()
    body = hostile_body(vectors)
    asker = browser_as(student)
    asker.goto(EXCERPT_QUESTIONS)
    ask(excerpt_questions(asker), title=HOSTILE_TITLE, details=body)
    expect(excerpt_questions(asker).get_by_role("status")).to_contain_text("Your question is posted.")
    hub = Question.objects.get(author=student)
    answerer = browser_as(other_student)
    answerer.goto(question_url(hub))
    # Shown as the text typed, in the page's heading and its title.
    expect(answerer.locator("#question > h1")).to_have_text(HOSTILE_TITLE)
    expect(answerer).to_have_title(f"{HOSTILE_TITLE} · Academic Writing from Samples")
    answer(answerer, body)
    expect(answerer.locator("#answers").get_by_role("status")).to_contain_text("Your answer is posted.")
    typed_answer = hub.replies.get()
    assert "<script" not in hub.body_html and "<script" not in typed_answer.body_html

    # The whole corpus, through the models the views call: each vector a question of its own
    # (title and body), an answer to the hub, and the reason of a report on that answer.
    others = []
    for vector in vectors:
        text = vector["body"].replace("\x00", "")
        others.append(asked(student, title=text[:200], body=text))
        hub.answer(other_student, text).report(student, text[:500])
    typed_answer.hide(editor, HOSTILE_REASON)
    count = len(vectors) + 1

    as_the_asker = [
        "/progress/",  # the titles of questions with new answers (before the asker reads them)
        question_url(hub),
        *(question_url(question) for question in others),
        *pages_of(EXCERPT_QUESTIONS, count),
        *pages_of("/questions/", count),
        *(f"/questions/?q={quote(words)}" for words in ("<script>", "onerror", "javascript:")),
        PAPER_URL,
    ]
    viewers = [(student, path) for path in as_the_asker]
    viewers += [(other_student, question_url(hub))]  # their hidden answer, with the reason
    viewers += [(editor, question_url(hub)), *((editor, path) for path in pages_of("/questions/review/", count))]

    own_host = urlsplit(live_server.url).netloc
    executed, checked = [], 0
    # The policy bypassed: the sanitiser alone on trial (a policy only takes abilities away, so one
    # pass without it covers the pass with it; the header is tested in writing_guide's tests).
    dialogs, foreign, pages = [], [], {}

    def route(route, foreign=foreign):
        if urlsplit(route.request.url).netloc != own_host:
            foreign.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    for user, path in viewers:
        if user not in pages:
            page = browser_as(user, bypass_csp=True)
            page.context.route("**/*", route)
            page.on("dialog", lambda dialog, dialogs=dialogs: (dialogs.append(dialog.message), dialog.dismiss()))
            pages[user] = page
        page = pages[user]
        dialogs.clear()
        foreign.clear()
        response = page.goto(path, wait_until="load")
        assert response.status == 200, (path, response.status)
        if path == PAPER_URL:
            open_the_excerpts_questions(page)  # the list, put in place by htmx
        result = page.evaluate(POST_PROBE, [POST_TAGS, POST_ATTRIBUTES])
        page.wait_for_timeout(50)  # let timers, animations and late loads fire
        result["xss"] = result["xss"] or page.evaluate("window.__xss === undefined ? null : 1")
        checked += 1
        if path.startswith("/questions/") and path.split("/")[2].isdigit():
            assert result["posts"] >= 1, f"{path}: no hx-disable wrapper around the posts"
        for link in result["links"]:
            if urlsplit(link["href"]).scheme not in ("http", "https") or link["rel"] != "nofollow ugc noopener":
                result["bad"].append(f"user link {link}")
        if path == question_url(hub) and user == student:
            assert {"href": "https://example.org/paper", "rel": "nofollow ugc noopener"} in result["links"]
        if result["xss"] or dialogs or foreign or result["bad"] or len(page.context.pages) > 1:
            executed.append((user.username, path, result, list(dialogs), list(foreign)))
    assert executed == [], "\n".join(map(str, executed))
    assert checked == len(viewers)

    # The probe notices a vector that does run (a positive control).
    page = browser_as(student, bypass_csp=True)
    control_dialogs = []
    page.on("dialog", lambda dialog: (control_dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(question_url(hub))
    page.evaluate(
        "document.querySelector('.answer .prose[hx-disable]').innerHTML = '<img src=x onerror=\"window.__xss=1; "
        'alert(2)"><a href="javascript:void(0)" onmouseover="window.__xss=2">x</a>\';'
        "document.querySelector('#question > h1').innerHTML = '<b>bold</b>'"
    )
    page.wait_for_function("window.__xss === 1")
    assert control_dialogs == ["2"]
    bad = page.evaluate(POST_PROBE, [POST_TAGS, POST_ATTRIBUTES])["bad"]
    assert {"IMG[onerror]", "tag IMG in a post", "link to javascript:void(0)", "markup in H1: <b>bold</b>"} <= set(bad)
