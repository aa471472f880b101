"""Objections and their decisions added to the demo class, so a backup holds every kind of row that
deciding writes (see test_backup_restore). Run in the process connected to the database to fill."""

from django.contrib.auth.models import Permission

from courses.demo import DEMO_COURSE_SLUG
from courses.models import Course, SelfStudy
from testing.factory import Factory


def add_objections():
    """For the demo class: an objection accepted (a label for the course, answers regraded) and one
    left open, on attempts made for the course; on one's own, an objection an editor accepts for
    everyone (a label for everyone) and one rejected with a reply."""
    make = Factory()
    course = Course.objects.get(slug=DEMO_COURSE_SLUG)
    instructor = course.instructors().first()
    first, second = course.students()[:2]
    exercise = course.assignments.order_by("exercise__part__order", "exercise__order").first().exercise

    def wrong(student, for_course=None):
        return make.attempt(make.learner(student), exercise, right=False, course=for_course)

    course.accept_objection(make.objection(wrong(first, course)), instructor, "Fair: it fits here.")
    make.objection(wrong(first, course))  # on the next wrong sentence: the first is accepted now
    editor = make.user("demo-editor")
    editor.user_permissions.add(Permission.objects.get(codename="decide_objections"))
    SelfStudy.accept_for_everyone(make.objection(wrong(second)), editor, "It fits, for everyone.")
    SelfStudy.reject_objection(make.objection(wrong(second)), editor, "It is the method, not the result.")
