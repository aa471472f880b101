"""Malformed and hostile posts to every write endpoint: each gets a 4xx that says what is wrong, and nothing is written.

The client is a browser that enforces CSRF like the real one: it fetched a page first, so it holds
the CSRF cookie and sends the token (in the form, or in the X-CSRFToken header for bodies that
are not forms, as htmx would), except in the cases that test a missing token.

Every case snapshots the rows a request could write (users with their password hashes, learners,
attempts, answers, courses with their join codes, memberships with their roles, assignments with
their due dates) before and after, and requires them unchanged.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest
from django.test import Client

from courses.tests.test_access_matrix import snapshot
from exercises.models import Exercise
from lessons.models import Move
from testing.factory import PASSWORD, Factory

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
FORM = "application/x-www-form-urlencoded"
NEW_PASSWORD = "a-fresh-pass-phrase-77"


@dataclass(frozen=True)
class Case:
    """One hostile request: `fields(world)` gives (name, value) pairs, or `raw(world)` the exact body."""

    name: str
    who: str
    path: str
    fields: object = None
    raw: object = None
    content_type: str = FORM
    method: str = "POST"
    csrf: bool = True
    status: int = 400
    message: str = ""
    headers: dict = field(default_factory=dict)


def answers(world, **changes):
    """The valid answer pairs for the exercise, then `changes` applied (value None drops a field)."""
    data = Factory().answers(world["exercise"])
    for key, value in changes.items():
        key = key.replace("_", "-")
        if value is None:
            data.pop(key)
        else:
            data[key] = value
    return list(data.items())


def first_sentence(world):
    return world["exercise"].sentences.order_by("position").first()


def other_exercises_sentence(world):
    return Exercise.objects.exclude(pk=world["exercise"].pk).first().sentences.first()


def a_label_of_another_set(world):
    return Move.objects.exclude(move_set=world["exercise"].label_set).first().slug


def huge_form(world, size=3 * MB):
    return [*answers(world), ("padding", "x" * size)]


def many_fields(world):
    return [*answers(world), *((f"x{i}", "1") for i in range(2000))]


def not_utf8(fields):
    """A urlencoded body with raw Latin-1 bytes in it, as a misconfigured client would send."""
    return lambda world: urlencode(fields(world)).encode() + b"&note=caf\xe9\xff\xfe"


SUBMIT = "/exercises/{ex}/submit/"
SUBMIT_CASES = [
    Case("no fields at all", "visitor", SUBMIT, lambda w: [], message="Choose a label for sentence 1"),
    Case(
        "a sentence missing",
        "visitor",
        SUBMIT,
        lambda w: answers(w, **{first_sentence(w).field_name: None}),
        message="Choose a label for sentence 1",
    ),
    Case("version missing", "visitor", SUBMIT, lambda w: answers(w, version=None), message="missing its version"),
    Case("stale version", "visitor", SUBMIT, lambda w: answers(w, version="0" * 64), message="exercise changed"),
    Case(
        "unknown label",
        "visitor",
        SUBMIT,
        lambda w: answers(w, **{first_sentence(w).field_name: "no-such-label"}),
        message="no-such-label is not one of this exercise",
    ),
    Case(
        "a label of another label set",
        "student",
        SUBMIT,
        lambda w: answers(w, **{first_sentence(w).field_name: a_label_of_another_set(w)}),
        message="is not one of this exercise",
    ),
    Case(
        "empty label",
        "visitor",
        SUBMIT,
        lambda w: answers(w, **{first_sentence(w).field_name: ""}),
        message="Choose a label for sentence 1",
    ),
    Case(
        "a sentence of another exercise",
        "student",
        SUBMIT,
        lambda w: [*answers(w), (other_exercises_sentence(w).field_name, "problem")],
        message="is not a sentence of this exercise",
    ),
    Case(
        "a huge sentence number",
        "visitor",
        SUBMIT,
        lambda w: [*answers(w), ("sentence-99999999999999999999", "problem")],
        message="sentence-99999999999999999999 is not a sentence of this exercise",
    ),
    Case(
        "a negative sentence number",
        "visitor",
        SUBMIT,
        lambda w: [*answers(w), ("sentence--1", "problem")],
        message="does not name a sentence by its number",
    ),
    Case(
        "a sentence that is not a number",
        "visitor",
        SUBMIT,
        lambda w: [*answers(w), ("sentence-abc", "problem")],
        message="does not name a sentence by its number",
    ),
    Case(
        "a sentence sent twice",
        "student",
        SUBMIT,
        lambda w: [*answers(w), (first_sentence(w).field_name, "problem")],
        message="sent 2 times",
    ),
    Case(
        "the version sent twice",
        "visitor",
        SUBMIT,
        lambda w: [*answers(w), ("version", w["exercise"].version)],
        message="sent 2 times",
    ),
    Case("a body of 3 MB", "visitor", SUBMIT, huge_form, status=413, message="too large"),
    Case("2,000 extra fields", "visitor", SUBMIT, many_fields, message="too many fields"),
    Case(
        "a label in bytes that are not UTF-8",
        "visitor",
        SUBMIT,
        raw=lambda w: (
            urlencode(answers(w, **{first_sentence(w).field_name: None})).encode()
            + f"&{first_sentence(w).field_name}=".encode()
            + b"\xff\xfe"
        ),
        message="not valid UTF-8",
    ),
    Case(
        "bytes that are not UTF-8 beside valid answers",
        "student",
        SUBMIT,
        raw=not_utf8(answers),
        message="not valid UTF-8",
    ),
    Case(
        "percent-encoded bytes that are not UTF-8",
        "visitor",
        SUBMIT,
        raw=lambda w: (urlencode(answers(w)) + "&note=%C3%28%FF").encode(),
        message="not valid UTF-8",
    ),
    Case(
        "the answers as JSON",
        "visitor",
        SUBMIT,
        raw=lambda w: __import__("json").dumps(dict(answers(w))).encode(),
        content_type="application/json",
        status=415,
        message="Send this as an HTML form",
    ),
    Case(
        "the answers as text/plain",
        "student",
        SUBMIT,
        raw=lambda w: "\n".join(f"{k}={v}" for k, v in answers(w)).encode(),
        content_type="text/plain",
        status=415,
        message="Send this as an HTML form",
    ),
    Case(
        "a broken multipart body",
        "visitor",
        SUBMIT,
        raw=lambda w: b'--wrong\r\nContent-Disposition: form-data; name="version"\r\n\r\nx\r\n--wrong--',
        content_type="multipart/form-data; boundary=expected",
        message="Choose a label for sentence 1",
    ),
    Case(
        "multipart with an unknown label",
        "visitor",
        SUBMIT,
        raw=lambda w: multipart(answers(w, **{first_sentence(w).field_name: "no-such-label"})),
        content_type="multipart/form-data; boundary=BOUNDARY",
        message="is not one of this exercise",
    ),
    Case("no CSRF token", "visitor", SUBMIT, answers, csrf=False, status=403, message="CSRF verification failed"),
    Case(
        "no CSRF token, logged in",
        "student",
        SUBMIT,
        answers,
        csrf=False,
        status=403,
        message="CSRF verification failed",
    ),
    Case("PUT", "visitor", SUBMIT, answers, method="PUT", status=405, message="does not accept PUT"),
    Case("DELETE", "student", SUBMIT, answers, method="DELETE", status=405, message="does not accept DELETE"),
    Case(
        "an exercise that does not exist",
        "visitor",
        "/exercises/no-such-exercise/submit/",
        answers,
        status=404,
        message="could not find that page",
    ),
    Case(
        "htmx with an unknown label",
        "visitor",
        SUBMIT,
        lambda w: answers(w, **{first_sentence(w).field_name: "no-such-label"}),
        headers={"HX-Request": "true"},
        message="Your answers were not saved",
    ),
]

SIGNUP = "/accounts/signup/"
ACCOUNT_CASES = [
    Case("signup with no fields", "anonymous", SIGNUP, lambda w: [], message="This field is required"),
    Case(
        "signup with passwords that differ",
        "anonymous",
        SIGNUP,
        lambda w: [("username", "newbie"), ("password1", NEW_PASSWORD), ("password2", NEW_PASSWORD + "x")],
        message="didn",
    ),
    Case(
        "signup as a taken name",
        "anonymous",
        SIGNUP,
        lambda w: [("username", "student"), ("password1", NEW_PASSWORD), ("password2", NEW_PASSWORD)],
        message="already exists",
    ),
    Case(
        "signup with a name of 10,000 characters",
        "anonymous",
        SIGNUP,
        lambda w: [("username", "n" * 10_000), ("password1", NEW_PASSWORD), ("password2", NEW_PASSWORD)],
        message="at most 150 characters",
    ),
    Case(
        "signup with the username sent twice",
        "anonymous",
        SIGNUP,
        lambda w: [
            ("username", "newbie"),
            ("username", "newbie2"),
            ("password1", NEW_PASSWORD),
            ("password2", NEW_PASSWORD),
        ],
        message="sent 2 times",
    ),
    Case(
        "signup with bytes that are not UTF-8",
        "anonymous",
        SIGNUP,
        raw=lambda w: b"username=caf\xe9&password1=" + NEW_PASSWORD.encode() + b"&password2=" + NEW_PASSWORD.encode(),
        message="not valid UTF-8",
    ),
    Case(
        "signup as JSON",
        "anonymous",
        SIGNUP,
        raw=lambda w: b'{"username": "newbie", "password1": "a-fresh-pass-phrase-77"}',
        content_type="application/json",
        status=415,
        message="Send this as an HTML form",
    ),
    Case(
        "signup of 3 MB",
        "anonymous",
        SIGNUP,
        lambda w: [("username", "newbie"), ("password1", "x" * 3 * MB), ("password2", "x")],
        status=413,
        message="too large",
    ),
    Case(
        "signup without CSRF token",
        "anonymous",
        SIGNUP,
        lambda w: [("username", "newbie"), ("password1", NEW_PASSWORD), ("password2", NEW_PASSWORD)],
        csrf=False,
        status=403,
        message="CSRF verification failed",
    ),
    Case("signup by PUT", "anonymous", SIGNUP, lambda w: [], method="PUT", status=405, message="does not accept PUT"),
    Case("login with no fields", "anonymous", "/accounts/login/", lambda w: [], message="This field is required"),
    Case(
        "login with a wrong password",
        "anonymous",
        "/accounts/login/",
        lambda w: [("username", "student"), ("password", "wrong")],
        message="enter a correct username",
    ),
    Case(
        "login with the username sent twice",
        "anonymous",
        "/accounts/login/",
        lambda w: [("username", "nobody"), ("username", "student"), ("password", PASSWORD)],
        message="sent 2 times",
    ),
    Case(
        "login with bytes that are not UTF-8",
        "anonymous",
        "/accounts/login/",
        raw=lambda w: b"username=stud\xe9nt&password=" + PASSWORD.encode(),
        message="not valid UTF-8",
    ),
    Case(
        "login as JSON",
        "anonymous",
        "/accounts/login/",
        raw=lambda w: f'{{"username": "student", "password": "{PASSWORD}"}}'.encode(),
        content_type="application/json",
        status=415,
        message="Send this as an HTML form",
    ),
    Case(
        "login without CSRF token",
        "anonymous",
        "/accounts/login/",
        lambda w: [("username", "student"), ("password", PASSWORD)],
        csrf=False,
        status=403,
        message="CSRF verification failed",
    ),
    Case(
        "logout without CSRF token",
        "student",
        "/accounts/logout/",
        lambda w: [],
        csrf=False,
        status=403,
        message="CSRF verification failed",
    ),
    Case("logout by GET", "student", "/accounts/logout/", method="GET", status=405, message="does not accept GET"),
    Case(
        "logout with a body of 3 MB",
        "student",
        "/accounts/logout/",
        lambda w: [("x", "y" * 3 * MB)],
        status=413,
        message="too large",
    ),
    Case(
        "logout as JSON without token field",
        "student",
        "/accounts/logout/",
        raw=lambda w: b"{}",
        content_type="application/json",
        csrf=False,
        status=415,
        message="Send this as an HTML form",
    ),
    Case(
        "password change with no fields",
        "student",
        "/accounts/password/",
        lambda w: [],
        message="This field is required",
    ),
    Case(
        "password change with a wrong old password",
        "student",
        "/accounts/password/",
        lambda w: [("old_password", "wrong"), ("new_password1", NEW_PASSWORD), ("new_password2", NEW_PASSWORD)],
        message="old password was entered incorrectly",
    ),
    Case(
        "password change to a short password",
        "student",
        "/accounts/password/",
        lambda w: [("old_password", PASSWORD), ("new_password1", "abc"), ("new_password2", "abc")],
        message="too short",
    ),
    Case(
        "password change with the new password sent twice",
        "student",
        "/accounts/password/",
        lambda w: [
            ("old_password", PASSWORD),
            ("new_password1", "x"),
            ("new_password1", NEW_PASSWORD),
            ("new_password2", NEW_PASSWORD),
        ],
        message="sent 2 times",
    ),
    Case(
        "password change in bytes that are not UTF-8",
        "student",
        "/accounts/password/",
        raw=lambda w: (
            f"old_password={PASSWORD}&new_password1=".encode() + b"\xff" * 20 + b"&new_password2=" + b"\xff" * 20
        ),
        message="not valid UTF-8",
    ),
    Case(
        "password change without CSRF token",
        "student",
        "/accounts/password/",
        lambda w: [("old_password", PASSWORD), ("new_password1", NEW_PASSWORD), ("new_password2", NEW_PASSWORD)],
        csrf=False,
        status=403,
        message="CSRF verification failed",
    ),
    Case(
        "password change by a visitor",
        "visitor",
        "/accounts/password/",
        lambda w: [("old_password", PASSWORD), ("new_password1", NEW_PASSWORD), ("new_password2", NEW_PASSWORD)],
        status=302,
    ),
]

COURSE = "/courses/{course}/"
COURSE_CASES = [
    Case("course with no title", "instructor", "/courses/new/", lambda w: [], message="This field is required"),
    Case(
        "course with a blank title",
        "instructor",
        "/courses/new/",
        lambda w: [("title", "   ")],
        message="This field is required",
    ),
    Case(
        "course with a title of 201 characters",
        "instructor",
        "/courses/new/",
        lambda w: [("title", "t" * 201)],
        message="at most 200 characters",
    ),
    Case(
        "course with the title sent twice",
        "instructor",
        "/courses/new/",
        lambda w: [("title", "One"), ("title", "Two")],
        message="sent 2 times",
    ),
    Case(
        "course with a title in bytes that are not UTF-8",
        "instructor",
        "/courses/new/",
        raw=lambda w: b"title=Caf\xe9 101",
        message="not valid UTF-8",
    ),
    Case(
        "course as JSON",
        "instructor",
        "/courses/new/",
        raw=lambda w: b'{"title": "JSON 101"}',
        content_type="application/json",
        status=415,
        message="Send this as an HTML form",
    ),
    Case(
        "course as text/plain",
        "instructor",
        "/courses/new/",
        raw=lambda w: b"title=Plain 101",
        content_type="text/plain",
        status=415,
        message="Send this as an HTML form",
    ),
    Case(
        "course of 3 MB",
        "instructor",
        "/courses/new/",
        lambda w: [("title", "t" * 3 * MB)],
        status=413,
        message="too large",
    ),
    Case(
        "course without CSRF token",
        "instructor",
        "/courses/new/",
        lambda w: [("title", "Forged 101")],
        csrf=False,
        status=403,
        message="CSRF verification failed",
    ),
    Case(
        "course by PATCH",
        "instructor",
        "/courses/new/",
        lambda w: [("title", "Patch 101")],
        method="PATCH",
        status=405,
        message="does not accept PATCH",
    ),
    Case("join with no code", "outsider", "/courses/join/", lambda w: [], message="This field is required"),
    Case(
        "join with a wrong code",
        "outsider",
        "/courses/join/",
        lambda w: [("code", "WRONGCODE2")],
        status=404,
        message="does not match any course",
    ),
    Case(
        "join with a code of 10,000 characters",
        "outsider",
        "/courses/join/",
        lambda w: [("code", "A" * 10_000)],
        message="at most 40 characters",
    ),
    Case(
        "join with the code sent twice",
        "outsider",
        "/courses/join/",
        lambda w: [("code", "WRONGCODE2"), ("code", w["course"].join_code)],
        message="sent 2 times",
    ),
    Case(
        "join with a code in bytes that are not UTF-8",
        "outsider",
        "/courses/join/",
        raw=lambda w: b"code=" + w["course"].join_code.encode() + b"\xff",
        message="not valid UTF-8",
    ),
    Case(
        "join as JSON",
        "outsider",
        "/courses/join/",
        raw=lambda w: f'{{"code": "{w["course"].join_code}"}}'.encode(),
        content_type="application/json",
        status=415,
        message="Send this as an HTML form",
    ),
    Case(
        "join without CSRF token",
        "outsider",
        "/courses/join/",
        lambda w: [("code", w["course"].join_code)],
        csrf=False,
        status=403,
        message="CSRF verification failed",
    ),
    Case(
        "join link with a wrong code",
        "outsider",
        "/courses/join/WRONGCODE2/",
        lambda w: [],
        status=404,
        message="does not match any course",
    ),
    Case(
        "join link with a code of 5,000 characters",
        "outsider",
        "/courses/join/" + "A" * 5000 + "/",
        lambda w: [],
        status=404,
        message="does not match any course",
    ),
    Case(
        "join link with a code that is not UTF-8",
        "outsider",
        "/courses/join/%FF%FE/",
        lambda w: [],
        status=404,
        message="does not match any course",
    ),
    Case(
        "join link without CSRF token",
        "outsider",
        "/courses/join/{code}/",
        lambda w: [],
        csrf=False,
        status=403,
        message="CSRF verification failed",
    ),
    Case(
        "join link of 3 MB",
        "outsider",
        "/courses/join/{code}/",
        lambda w: [("x", "y" * 3 * MB)],
        status=413,
        message="too large",
    ),
    Case(
        "new code by a student",
        "student",
        COURSE + "code/",
        lambda w: [],
        status=404,
        message="could not find that page",
    ),
    Case(
        "new code by another course's instructor",
        "other_instructor",
        COURSE + "code/",
        lambda w: [],
        status=404,
        message="could not find that page",
    ),
    Case(
        "new code without CSRF token",
        "instructor",
        COURSE + "code/",
        lambda w: [],
        csrf=False,
        status=403,
        message="CSRF verification failed",
    ),
    Case("new code by PUT", "instructor", COURSE + "code/", method="PUT", status=405, message="does not accept PUT"),
    Case(
        "new code with a body of 3 MB",
        "instructor",
        COURSE + "code/",
        lambda w: [("x", "y" * 3 * MB)],
        status=413,
        message="too large",
    ),
    Case(
        "new code with bytes that are not UTF-8",
        "instructor",
        COURSE + "code/",
        raw=lambda w: b"x=\xff",
        message="not valid UTF-8",
    ),
    Case(
        "new code as JSON without token field",
        "instructor",
        COURSE + "code/",
        raw=lambda w: b"{}",
        content_type="application/json",
        csrf=False,
        status=415,
        message="Send this as an HTML form",
    ),
    Case(
        "add instructor with no username",
        "instructor",
        COURSE + "instructors/",
        lambda w: [],
        message="This field is required",
    ),
    Case(
        "add instructor who is oneself",
        "instructor",
        COURSE + "instructors/",
        lambda w: [("username", "instructor")],
        message="That is your own username",
    ),
    Case(
        "add instructor with a name too long for any account",
        "instructor",
        COURSE + "instructors/",
        lambda w: [("username", "x" * 151)],
        message="at most 150 characters",
    ),
    Case(
        "add instructor with the username sent twice",
        "instructor",
        COURSE + "instructors/",
        lambda w: [("username", "nobody-at-all"), ("username", "outsider")],
        message="sent 2 times",
    ),
    Case(
        "add instructor in bytes that are not UTF-8",
        "instructor",
        COURSE + "instructors/",
        raw=lambda w: b"username=outsid\xe9r",
        message="not valid UTF-8",
    ),
    Case(
        "add instructor as JSON",
        "instructor",
        COURSE + "instructors/",
        raw=lambda w: b'{"username": "outsider"}',
        content_type="application/json",
        status=415,
        message="Send this as an HTML form",
    ),
    Case(
        "add instructor by a student",
        "student",
        COURSE + "instructors/",
        lambda w: [("username", "student")],
        status=404,
        message="could not find that page",
    ),
    Case(
        "add instructor by another course's instructor",
        "other_instructor",
        COURSE + "instructors/",
        lambda w: [("username", "other-instructor")],
        status=404,
        message="could not find that page",
    ),
    Case(
        "add instructor without CSRF token",
        "instructor",
        COURSE + "instructors/",
        lambda w: [("username", "outsider")],
        csrf=False,
        status=403,
        message="CSRF verification failed",
    ),
    Case(
        "remove a student of another course",
        "instructor",
        COURSE + "students/{outsider_id}/remove/",
        lambda w: [],
        status=404,
        message="could not find that page",
    ),
    Case(
        "remove an instructor as if a student",
        "instructor",
        COURSE + "students/{instructor_id}/remove/",
        lambda w: [],
        status=404,
        message="could not find that page",
    ),
    Case(
        "remove a huge student id",
        "instructor",
        COURSE + "students/99999999999999999999/remove/",
        lambda w: [],
        status=404,
        message="could not find that page",
    ),
    Case(
        "remove a negative student id",
        "instructor",
        COURSE + "students/-1/remove/",
        lambda w: [],
        status=404,
        message="could not find that page",
    ),
    Case(
        "remove a student by a student",
        "student",
        COURSE + "students/{classmate_id}/remove/",
        lambda w: [],
        status=404,
        message="could not find that page",
    ),
    Case(
        "remove a student without CSRF token",
        "instructor",
        COURSE + "students/{classmate_id}/remove/",
        lambda w: [],
        csrf=False,
        status=403,
        message="CSRF verification failed",
    ),
    Case(
        "remove a student by GET only asks",
        "instructor",
        COURSE + "students/{classmate_id}/remove/",
        method="GET",
        status=200,
        message="Remove classmate from Writing 101?",
    ),
    Case(
        "make a new code by GET only asks",
        "instructor",
        COURSE + "code/",
        method="GET",
        status=200,
        message="Make a new join code for Writing 101?",
    ),
    Case(
        "assignments that take exercises away without confirming",
        "instructor",
        COURSE + "assignments/",
        lambda w: assignment_fields(w),
        status=200,
        message="Take 10 exercises away from the course?",
    ),
    Case(
        "assignments with a due time but no date",
        "instructor",
        COURSE + "assignments/",
        lambda w: [*assignment_fields(w, due=""), (f"due-time-{w['exercise'].pk}", "17:00"), ("confirm", "yes")],
        message="Give the date this time is on",
    ),
    Case(
        "assignments with a time zone that does not exist",
        "instructor",
        COURSE + "assignments/",
        lambda w: [*assignment_fields(w), ("time_zone", "Mars/Olympus_Mons"), ("confirm", "yes")],
        message="is not a time zone name",
    ),
    Case(
        "analytics of attempts that are neither first, best nor all",
        "instructor",
        COURSE + "exercises/{ex}/?attempts=worst",
        method="GET",
        message="Choose first, best or all attempts",
    ),
    Case(
        "assignments with a date that is not a date",
        "instructor",
        COURSE + "assignments/",
        lambda w: assignment_fields(w, due="next tuesday"),
        message="Enter a valid date",
    ),
    Case(
        "assignments in the year 99999",
        "instructor",
        COURSE + "assignments/",
        lambda w: assignment_fields(w, due="99999-01-01"),
        message="Enter a valid date",
    ),
    Case(
        "assignments with no fields",
        "instructor",
        COURSE + "assignments/",
        lambda w: [],
        message="not the assignments form",
    ),
    Case(
        "assignments of an exercise that does not exist",
        "instructor",
        COURSE + "assignments/",
        lambda w: [*assignment_fields(w), ("assign-99999999999999999999", "on")],
        message="not the assignments form",
    ),
    Case(
        "assignments with a negative exercise id",
        "instructor",
        COURSE + "assignments/",
        lambda w: [*assignment_fields(w), ("assign--1", "on")],
        message="not the assignments form",
    ),
    Case(
        "assignments with a due date sent twice",
        "instructor",
        COURSE + "assignments/",
        lambda w: [*assignment_fields(w), (f"due-{w['exercise'].pk}", "2030-02-01")],
        message="sent 2 times",
    ),
    Case(
        "assignments in bytes that are not UTF-8",
        "instructor",
        COURSE + "assignments/",
        raw=lambda w: urlencode(assignment_fields(w)).encode() + b"&x=\xff",
        message="not valid UTF-8",
    ),
    Case(
        "assignments as JSON",
        "instructor",
        COURSE + "assignments/",
        raw=lambda w: b'{"assign-1": "on"}',
        content_type="application/json",
        status=415,
        message="Send this as an HTML form",
    ),
    Case(
        "assignments by a student",
        "student",
        COURSE + "assignments/",
        lambda w: assignment_fields(w),
        status=404,
        message="could not find that page",
    ),
    Case(
        "assignments without CSRF token",
        "instructor",
        COURSE + "assignments/",
        lambda w: assignment_fields(w),
        csrf=False,
        status=403,
        message="CSRF verification failed",
    ),
    Case(
        "assignments of 3 MB",
        "instructor",
        COURSE + "assignments/",
        lambda w: [*assignment_fields(w), ("x", "y" * 3 * MB)],
        status=413,
        message="too large",
    ),
]

# Review finding 8: a form body that says it is not UTF-8 was a 500 on every URL.
CHARSET_CASES = [
    Case(
        f"a form in {charset} to {name}",
        who,
        path,
        fields,
        content_type=f"{content_type}; charset={charset}",
        status=415,
        message="Send the form as UTF-8",
    )
    for charset in ("latin-1", "utf-16")
    for content_type in (FORM, "multipart/form-data; boundary=BOUNDARY")
    for name, who, path, fields in (
        ("submit", "visitor", SUBMIT, answers),
        ("log in", "anonymous", "/accounts/login/", lambda w: [("username", "student"), ("password", PASSWORD)]),
    )
]

CASES = SUBMIT_CASES + ACCOUNT_CASES + COURSE_CASES + CHARSET_CASES


def assignment_fields(world, due="2030-01-31"):
    """The assignments form as the page sends it: every due date field, the first exercise ticked."""
    pairs = []
    for exercise in Exercise.objects.in_layout_order():
        if exercise.pk == world["exercise"].pk:
            pairs += [(f"assign-{exercise.pk}", "on"), (f"due-{exercise.pk}", due)]
        else:
            pairs.append((f"due-{exercise.pk}", ""))
    return pairs


def multipart(pairs, boundary="BOUNDARY"):
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in pairs
    ]
    return b"".join(parts) + f"--{boundary}--\r\n".encode()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(make):
    users = {name: make.user(name.replace("_", "-")) for name in ("student", "instructor", "other_instructor")}
    outsider, classmate = make.user("outsider"), make.user("classmate")
    course = make.course(users["instructor"], "Writing 101")
    make.course(users["other_instructor"], "Writing 202").join(outsider)
    course.join(users["student"])
    course.join(classmate)
    exercise = Exercise.objects.get(slug="lee-2016-abstract")
    make.attempt(make.learner(users["student"]), exercise)
    users.update(outsider=outsider, classmate=classmate)
    ids = {
        "ex": exercise.slug,
        "course": course.slug,
        "code": course.join_code,
        "outsider_id": outsider.pk,
        "classmate_id": classmate.pk,
        "instructor_id": users["instructor"].pk,
    }
    return {"users": users, "course": course, "exercise": exercise, "ids": ids}


def browser(who, world):
    """A client like a browser: CSRF enforced, the CSRF cookie set by an earlier page."""
    client = Client(enforce_csrf_checks=True)
    if who not in ("anonymous", "visitor"):
        client.force_login(world["users"][who])
    assert client.get("/accounts/login/").status_code == 200
    return client, client.cookies["csrftoken"].value


def visible_text(response):
    html = response.content.decode("utf-8", "replace")
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&#x27;", "'").replace("&quot;", '"').split())


def send(case, world):
    client, token = browser(case.who, world)
    path = case.path.format(**world["ids"])
    headers = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in case.headers.items()}
    if case.method == "GET":
        return client.get(path, **headers)
    if case.raw is not None:
        body = case.raw(world)
        if case.csrf:
            headers["HTTP_X_CSRFTOKEN"] = token
    else:
        pairs = list(case.fields(world)) if case.fields else []
        if case.csrf:
            pairs.append(("csrfmiddlewaretoken", token))
            if case.method != "POST":  # Django reads the token of a PUT, PATCH or DELETE from the header only
                headers["HTTP_X_CSRFTOKEN"] = token
        body = urlencode(pairs).encode()
    return client.generic(case.method, path, body, content_type=case.content_type, **headers)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hostile_request_is_refused_with_a_message_and_writes_nothing(case, world, record_property):
    record_property("status", case.status)  # the README's hostile-input table groups by it
    before = snapshot()
    response = send(case, world)
    assert response.status_code == case.status, (response.status_code, visible_text(response)[:300])
    if "html" in response.get("Content-Type", ""):
        assert case.message.lower() in visible_text(response).lower()
    assert snapshot() == before


def test_the_valid_posts_behind_the_hostile_ones_are_accepted(world):
    """The same browser, sending what the pages send, is let through: the refusals above are about the data."""
    client, token = browser("instructor", world)
    assert (
        client.post(SUBMIT.format(**world["ids"]), {**dict(answers(world)), "csrfmiddlewaretoken": token}).status_code
        == 302
    )
    body = urlencode([*assignment_fields(world), ("confirm", "yes"), ("csrfmiddlewaretoken", token)])
    assert (
        client.generic("POST", COURSE.format(**world["ids"]) + "assignments/", body, content_type=FORM).status_code
        == 302
    )
    assert client.post("/courses/new/", {"title": "Café 101", "csrfmiddlewaretoken": token}).status_code == 302
    assert (
        client.post(
            COURSE.format(**world["ids"]) + "instructors/", {"username": "outsider", "csrfmiddlewaretoken": token}
        ).status_code
        == 302
    )


def test_extra_fields_on_signup_grant_nothing(client):
    response = client.post(
        SIGNUP,
        {
            "username": "newbie",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "is_staff": "1",
            "is_superuser": "on",
            "groups": "1",
        },
    )
    assert response.status_code == 302
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="newbie")
    assert not user.is_staff and not user.is_superuser and not user.groups.exists()


def test_the_count_of_hostile_cases():
    assert len(CASES) >= 90


def test_a_refusal_page_carries_the_security_headers(world):
    response = send(Case("bytes that are not UTF-8", "visitor", SUBMIT, raw=not_utf8(answers)), world)
    assert response.status_code == 400
    assert "Content-Security-Policy" in response and response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
