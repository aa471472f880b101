"""What a person does in the browser, shared by the journeys and the page scans."""

from playwright.sync_api import Page, expect

EXERCISE_URL = "/exercises/lee-2016-abstract/"


def answers_with_one_wrong(make, exercise):
    """Every sentence right except the first: the feedback then shows both verdicts."""
    answers = make.answers(exercise, right=True)
    first = exercise.sentences.order_by("position").first()
    answers[first.field_name] = make.answers(exercise, right=False)[first.field_name]
    return answers


def label_every_sentence(page: Page, answers):
    """Tick one label per sentence: `answers` maps field names to label slugs (see `Factory.answers`)."""
    for name, slug in answers.items():
        if name != "version":
            page.locator(f'input[name="{name}"][value="{slug}"]').check()


def submit_and_see_feedback(page: Page, attempt_number):
    page.get_by_role("button", name="Check my labels").click()
    heading = page.locator("#feedback")
    expect(heading).to_contain_text(f"Feedback on attempt {attempt_number}")
    return heading


def page_width(page: Page):
    """(scroll width of the page, width of the viewport) in CSS pixels."""
    return page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")


def focus_is_visible(page: Page):
    """True when the focused element draws an outline (our :focus-visible style)."""
    return page.evaluate(
        """() => {
          const style = getComputedStyle(document.activeElement);
          return style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
        }"""
    )
