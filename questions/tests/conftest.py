"""What the questions tests share: places to ask about, a course member, a moderator, another course."""

import pytest
from django.contrib.auth.models import Permission

from lessons.models import Excerpt, Lesson


@pytest.fixture
def lesson(db):
    return Lesson.objects.order_by("order").first()


@pytest.fixture
def excerpt(db):
    return Excerpt.objects.select_related("paper").first()


@pytest.fixture
def member(student, course):
    course.join(student)
    return student


@pytest.fixture
def moderator(make):
    user = make.user("moderator")
    user.user_permissions.add(Permission.objects.get(codename="moderate_posts"))
    return user


@pytest.fixture
def other_instructor(make):
    return make.user("other-instructor")


@pytest.fixture
def other_course(make, other_instructor):
    return make.course(other_instructor, "Writing 202")
