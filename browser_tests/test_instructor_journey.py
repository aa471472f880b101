"""An instructor sets up a course, at a desktop's width and a phone's: log in, create the course,
choose exercises (tick all / none, a due date and time), read the join code, make a new code
through its confirmation, and see a student who joined on the dashboard."""

import pytest
from playwright.sync_api import expect

from browser_tests.actions import log_in, page_width

pytestmark = pytest.mark.browser

# How far (CSS px) a checkbox may sit from the start of its exercise's name: beside it, not across the page.
BESIDE = 60


def assert_beside(checkbox, label):
    box, text = checkbox.bounding_box(), label.bounding_box()
    assert box and text
    assert abs(text["x"] - (box["x"] + box["width"])) <= BESIDE, (box, text)
    assert box["y"] < text["y"] + text["height"] and text["y"] < box["y"] + box["height"], (box, text)


def assert_no_sideways_page_scroll(page):
    scroll_width, viewport_width = page_width(page)
    assert scroll_width <= viewport_width


@pytest.mark.parametrize("width", [1280, 390])
def test_an_instructor_sets_up_a_course_and_sees_a_student_join(browser_as, instructor, student, width):
    from courses.models import Course
    from exercises.models import Exercise

    lee = Exercise.objects.get(slug="lee-2016-abstract")
    diehl = Exercise.objects.get(slug="diehl-2015-abstract")
    page = browser_as(None, viewport={"width": width, "height": 900})
    log_in(page, instructor.username)
    expect(page.locator(".site-header")).to_be_visible()

    # Create a course, in a chosen time zone.
    page.goto("/courses/")
    page.get_by_role("link", name="Create a course").first.click()
    page.get_by_label("Course title").fill("Writing 101")
    page.get_by_label("Time zone for due times").select_option("Europe/London")
    page.get_by_role("button", name="Create the course").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Writing 101")
    first_code = page.locator(".code").inner_text()
    expect(page.get_by_role("status")).to_contain_text(f"Share the join code {first_code}")

    # Choose exercises: each box beside its name; tick none, then all; a due date and time.
    page.get_by_role("link", name="Choose exercises and due dates").click()
    boxes = page.get_by_role("checkbox")
    expect(boxes).to_have_count(Exercise.objects.count())
    assert_beside(page.get_by_role("checkbox", name=lee.title), page.locator(f'label[for="id_assign-{lee.pk}"]'))
    page.get_by_role("button", name="None", exact=True).click()
    for index in range(boxes.count()):
        expect(boxes.nth(index)).not_to_be_checked()
    page.get_by_role("button", name="All", exact=True).click()
    for index in range(boxes.count()):
        expect(boxes.nth(index)).to_be_checked()
    page.get_by_label(f"Due date for {lee.title}").fill("2031-05-06")
    page.get_by_label(f"Due time for {lee.title}").fill("17:30")
    page.get_by_label(f"Due date for {diehl.title}").fill("2020-01-10")  # already past: saved, with a warning
    assert_no_sideways_page_scroll(page)
    page.get_by_role("button", name="Save assignments").first.click()
    expect(page.get_by_role("status")).to_contain_text("Assignments saved.")
    expect(page.get_by_role("status")).to_contain_text("Warning: the due time you gave")
    lee_header = page.locator(f'th[data-exercise="{lee.slug}"]')
    expect(lee_header).to_contain_text("Lee et al.'s abstract")
    expect(lee_header).to_contain_text("due 6 May, 17:30")

    # A new code, through its confirmation page.
    page.get_by_role("link", name="Make a new code…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Make a new join code for Writing 101?")
    expect(page.get_by_text(first_code)).to_be_visible()
    page.get_by_role("button", name="Make a new code").click()
    expect(page.get_by_role("status")).to_contain_text("The old code no longer works.")
    new_code = page.locator(".code").inner_text()
    assert new_code != first_code

    # A student joins; the dashboard shows them, with the past-due exercise overdue.
    Course.objects.get(join_code=new_code).join(student)
    page.reload()
    row = page.locator('tr[data-student="student"]')
    expect(row).to_be_visible()
    expect(page.locator(f'th[data-exercise="{diehl.slug}"]')).to_contain_text("1 overdue")
    expect(row.locator('td[data-deadline="overdue"]')).to_have_count(1)
    expect(page.locator(".site-header")).to_be_visible()
    assert_no_sideways_page_scroll(page)

    # The name column stays in view, even with the table scrolled to its far end.
    name = row.get_by_role("link", name="student")
    name.scroll_into_view_if_needed()
    page.locator(".dashboard-scroll").evaluate("box => { box.scrollLeft = box.scrollWidth; }")
    assert page.locator(".dashboard-scroll").evaluate("box => box.scrollLeft") > (0 if width == 390 else -1)
    expect(name).to_be_in_viewport()
    box = name.bounding_box()
    assert box and 0 <= box["x"] and box["x"] + box["width"] <= width
    assert_no_sideways_page_scroll(page)
