"""Every kind of page the app serves, with who looks at it and how to get there.

The accessibility and width tests open each kind in a class with results: an instructor, a
course, and a student who has made two attempts (one with a wrong label, one all right).
"""

import re
from dataclasses import dataclass

from browser_tests.actions import EXERCISE_URL, answers_with_one_wrong, label_every_sentence, submit_and_see_feedback
from browser_tests.writing import WRITE_URL, check_an_abstract


@dataclass
class PopulatedClass:
    instructor: object
    student: object
    course: object
    exercise: object
    attempt: object
    make: object

    @classmethod
    def create(cls, make, instructor, student, exercise):
        course = make.course(instructor, "Writing 101")
        course.join(student)
        learner = make.learner(student)
        make.attempt(learner, exercise, right=False)
        attempt = make.attempt(learner, exercise, right=True)
        return cls(instructor, student, course, exercise, attempt, make)


@dataclass
class PageKind:
    path: object  # a path, or a function of the PopulatedClass that returns one
    viewer: str | None = None  # "student", "instructor" or None for an anonymous visitor
    then: object = None  # what the viewer does on the page before it is checked
    status: int = 200

    def open(self, browser_as, world):
        page = browser_as(getattr(world, self.viewer) if self.viewer else None)
        response = page.goto(self.path(world) if callable(self.path) else self.path)
        assert response.status == self.status, f"{page.url} answered {response.status}"
        if self.then:
            self.then(page, world)
        return page


def _submit_with_feedback(page, world):
    label_every_sentence(page, answers_with_one_wrong(world.make, world.exercise))
    submit_and_see_feedback(page, 3)


def _submit_with_a_sentence_missing(page, world):
    answers = world.make.answers(world.exercise)
    answers.pop(world.exercise.sentences.order_by("position").first().field_name)
    label_every_sentence(page, answers)
    page.get_by_role("button", name="Check my labels").click()
    page.locator("#form-errors").wait_for()


def _check_an_abstract(page, world):
    check_an_abstract(page)


def _check_an_empty_abstract(page, world):
    page.get_by_role("button", name="Check", exact=True).click()
    page.locator("#form-errors").wait_for()


def _ask_to_delete_a_draft(page, world):
    check_an_abstract(page)
    page.get_by_role("link", name="Delete this draft…").click()
    page.get_by_role("heading", name=re.compile("^Delete")).wait_for()


def _in_course(suffix=""):
    return lambda world: f"{world.course.get_absolute_url()}{suffix}"


def _invite_the_student(world):
    """The student's Courses page with an invitation to teach waiting on it (inviting is idempotent)."""
    world.course.invite(world.student.get_username(), world.instructor)
    return "/courses/"


def _an_invitation_to_withdraw(world):
    invitation = world.course.invite("a-colleague", world.instructor)
    return f"{world.course.get_absolute_url()}invitations/{invitation.pk}/withdraw/"


PAGE_KINDS = {
    "home": PageKind("/"),
    "lesson list": PageKind("/lessons/"),
    "lesson": PageKind("/lessons/main-body/"),  # maths, a table and annotated excerpts
    "paper list": PageKind("/papers/"),
    "paper": PageKind("/papers/lee-2016/"),
    "comparison": PageKind("/papers/compare/"),
    "exercise list": PageKind("/exercises/", "student"),
    "exercise": PageKind(EXERCISE_URL, "student"),
    "exercise with feedback": PageKind(EXERCISE_URL, "student", then=_submit_with_feedback),
    "exercise with a sentence missing": PageKind(EXERCISE_URL, "student", then=_submit_with_a_sentence_missing),
    "attempt": PageKind(lambda world: world.attempt.get_absolute_url(), "student"),
    "progress": PageKind("/progress/", "student"),
    "sign-up": PageKind("/accounts/signup/"),
    "log-in": PageKind("/accounts/login/"),
    "password change": PageKind("/accounts/password/", "student"),
    "course list": PageKind("/courses/", "instructor"),
    "course list with an invitation": PageKind(_invite_the_student, "student"),
    "invitation withdrawal confirmation": PageKind(_an_invitation_to_withdraw, "instructor"),
    "new course": PageKind("/courses/new/", "instructor"),
    "join": PageKind("/courses/join/", "student"),
    "join link": PageKind(lambda world: f"/courses/join/{world.course.join_code}/", "student"),
    "student's course": PageKind(_in_course(), "student"),
    "dashboard": PageKind(_in_course(), "instructor"),
    "exercise analytics": PageKind(_in_course("exercises/lee-2016-abstract/"), "instructor"),
    "student detail": PageKind(lambda world: f"{_in_course()(world)}students/{world.student.pk}/", "instructor"),
    "assignments": PageKind(_in_course("assignments/"), "instructor"),
    "new code confirmation": PageKind(_in_course("code/"), "instructor"),
    "removal confirmation": PageKind(
        lambda world: f"{_in_course()(world)}students/{world.student.pk}/remove/", "instructor"
    ),
    "your abstract": PageKind(WRITE_URL, "student"),
    "your abstract checked": PageKind(WRITE_URL, "student", then=_check_an_abstract),
    "your abstract with nothing in it": PageKind(WRITE_URL, "student", then=_check_an_empty_abstract),
    "draft deletion confirmation": PageKind(WRITE_URL, "student", then=_ask_to_delete_a_draft),
    "not found": PageKind("/no-such-page/", status=404),
}
