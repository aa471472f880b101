"""A brand-new student opens the instructor's join link logged out, signs up from it, and is in
the course; the instructor then finds them on the dashboard. On a phone and a desktop, with DEBUG
on (as `make run`) and off (as production)."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

NEW_PASSWORD = "a-fresh-pass-phrase-77"  # noqa: S105 (a test account)


@pytest.mark.parametrize("debug", [True, False], ids=["DEBUG on, as make run", "DEBUG off"])
@pytest.mark.parametrize("width", [1280, 390])
def test_a_new_student_signs_up_from_the_join_link_and_lands_in_the_course(
    browser_as, settings, make, instructor, width, debug
):
    settings.DEBUG = debug
    viewport = {"viewport": {"width": width, "height": 900}}
    course = make.course(instructor, "Writing 101")
    teacher = browser_as(instructor, **viewport)
    teacher.goto(course.get_absolute_url())
    join_link = teacher.get_by_role("link", name=re.compile(r"courses.join.[A-Z0-9]+")).get_attribute("href")

    newcomer = browser_as(None, **viewport)
    newcomer.goto(join_link)
    expect(newcomer.get_by_role("heading", level=1)).to_have_text("Join Writing 101")
    expect(newcomer.get_by_role("link", name="Log in to join")).to_be_visible()
    newcomer.get_by_role("link", name="Sign up to join").click()

    newcomer.get_by_label("Username").fill("new-writer")
    newcomer.get_by_label("Email").fill("new-writer@example.org")
    newcomer.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    newcomer.get_by_label("The same password again").fill(NEW_PASSWORD)
    newcomer.get_by_role("button", name="Create my account").click()

    expect(newcomer).to_have_url(re.compile(rf"{course.get_absolute_url()}$"))
    expect(newcomer.get_by_role("status")).to_contain_text("You are in Writing 101.")
    expect(newcomer.get_by_role("heading", level=1)).to_have_text("Writing 101")
    # The site header is still there, and says who is signed in.
    header = newcomer.get_by_role("banner")
    expect(header.get_by_role("navigation", name="Main")).to_be_visible()
    expect(header).to_contain_text("Signed in as new-writer")
    scroll_width, viewport_width = newcomer.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= viewport_width

    teacher.reload()
    expect(teacher.locator('tr[data-student="new-writer"]')).to_be_visible()
