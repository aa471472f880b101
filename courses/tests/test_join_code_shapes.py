"""A join link whose code cannot be a join code (a NUL byte, quotes, look-alike letters) is a
clear 404 before any query: PostgreSQL refuses a NUL byte in a query, which was a 500."""

import pytest
from django.urls import reverse

from courses.models import Course, could_be_join_code

pytestmark = pytest.mark.django_db

NOT_CODES = ["\x00", "ABC\x00DEF", "' OR 1=1 --", "ÄBCDEFGHJK", "A" * 21, "O0I1L"]


@pytest.mark.parametrize("code", NOT_CODES)
def test_a_join_link_with_a_code_outside_the_alphabet_is_a_clear_404(client, student, course, code):
    client.force_login(student)
    response = client.get(reverse("join_link", args=[code]))
    assert response.status_code == 404
    assert "does not match any course" in response.content.decode()
    assert "\x00" not in response.content.decode()
    assert course.role_of(student) is None


def test_a_nul_byte_in_a_join_link_is_a_404_logged_out_too(client, course):
    assert client.get("/courses/join/%00/").status_code == 404


def test_a_code_outside_the_alphabet_never_reaches_the_database(course, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert list(Course.objects.with_join_code("ABC\x00DEF")) == []


def test_a_right_code_typed_loosely_still_finds_its_course(course):
    loose = f" {course.join_code[:5].lower()}-{course.join_code[5:]} "
    assert Course.objects.with_join_code(loose).get() == course
    assert could_be_join_code(course.join_code)
