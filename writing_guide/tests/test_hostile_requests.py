"""Malformed and hostile posts to every write endpoint: each gets a 4xx that says what is wrong, and nothing is written.

The cases are every endpoint of ENDPOINTS (who posts there, and the form its page sends) against every
probe of ATTACKS, which every endpoint refuses the same way (most of them in MalformedRequestMiddleware;
no endpoint is an exception), then the cases of each endpoint's own validation (OWN_CASES), written out.

The client is a browser that enforces CSRF like the real one: it fetched a page first, so it holds
the CSRF cookie and sends the token (in the form, or in the X-CSRFToken header for bodies that
are not forms, as htmx would), except in the cases that test a missing token.

Every case snapshots the rows a request could write (users with their password hashes, learners,
attempts with their scores, answers with their verdicts, objections, verdict changes, labels accepted,
courses with their join codes, memberships with their roles, assignments with their due dates, drafts,
invitations, questions and their answers, reports, preferences: see rows.py) before and after, and
requires them unchanged.
"""

import json
import re
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from courses import authoring
from courses.authoring_forms import IMPORT_MAX_BYTES, sentences_digest
from courses.models import CourseExercise
from courses.tests.authoring_support import ABSTRACT, published_exercise, written_draft
from drafts.forms import MAX_CHARACTERS, MAX_SENTENCES
from exercises.management.commands.grant_editor import editor_permissions
from exercises.models import Exercise, Objection
from lessons.models import Lesson, Move
from questions.models import Place, Question
from testing.factory import PASSWORD, Factory
from writing_guide.tests.rows import snapshot

# The editor's and the preview's forms as their pages send them: one definition, the access matrix's.
from writing_guide.tests.test_access_matrix import PASSAGE, editor_post, preview_post

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data; boundary=BOUNDARY"
JSON = "application/json"
NEW_PASSWORD = "a-fresh-pass-phrase-77"
CSRF_FAILED = "CSRF verification failed"
NOT_A_FORM = "Send this as an HTML form"
NOT_FOUND = "could not find that page"
NO_SUCH_COURSE = "does not match any course"
REQUIRED = "This field is required"
CHOOSE = "Choose a label for sentence 1"
NO_REASON = "Write why your label fits"
NO_DECISION = "Choose a decision: accept or reject"
NOT_OFFERED = "is not a decision this queue offers"
NO_REPLY = "Write a reply to reject"
EDITORS_ONLY = "only the site's content editors decide them"
REASON = "My label fits: the sentence says what was done."
NUL_REFUSED = "Null characters are not allowed"
NOT_YOUR_COURSE = "You can ask everyone, or a course you are in"
NOT_AN_ANSWER_HERE = "Mark one of the answers shown under this question"
NOT_THE_AUTHOR = "Only its author can edit this post"
OVER_500 = "at most 500 characters (it has 501)"


@dataclass(frozen=True)
class Case:
    """One hostile request: `fields(world)` gives (name, value) pairs, or `raw(world)` the exact body.

    In ATTACKS, which name no endpoint, `fields` and `raw` take the endpoint's form (its pairs) instead.
    """

    name: str
    who: str = ""
    path: str = ""
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


def first_labelled(world, label):
    """The valid answers with the first sentence's label changed (None drops it)."""
    return answers(world, **{first_sentence(world).field_name: label})


def other_exercises_sentence(world):
    return Exercise.objects.exclude(pk=world["exercise"].pk).first().sentences.first()


def a_label_of_another_set(world):
    return Move.objects.exclude(move_set=world["exercise"].label_set).first().slug


def assignment_fields(world, due="2030-01-31"):
    """The assignments form as the page sends it: every due date field, the first exercise ticked."""
    pairs = []
    for exercise in Exercise.objects.in_layout_order():
        if exercise.pk == world["exercise"].pk:
            pairs += [(f"assign-{exercise.pk}", "on"), (f"due-{exercise.pk}", due)]
        else:
            pairs.append((f"due-{exercise.pk}", ""))
    return pairs


def objection_fields(world, sentence=None, reason=REASON):
    """The reason box of one wrong sentence as the attempt page sends it; by default the first sentence."""
    return [("sentence", first_sentence(world).pk if sentence is None else sentence), ("reason", reason)]


def question_fields(world, title="Why is the aim last?", body="It reads *late*.", audience=None):
    """The ask form as the lesson's questions page sends it, asked to the student's course by default."""
    return [("title", title), ("body", body), ("audience", world["course"].slug if audience is None else audience)]


def edit_fields(title="Is a hedge ever a move of its own?", body="Rewritten."):
    return lambda world: [("title", title), ("body", body)]


def text(name, value):
    return lambda world: [(name, value)]


def answer_named(key):
    """The helpful form naming the answer `key` of the world's ids."""
    return lambda world: [("reply", world["ids"][key])]


def decision(value, reply="It fits: the sentence does both."):
    return lambda world: [("decision", value), ("reply", reply)]


def multipart(pairs, boundary="BOUNDARY"):
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in pairs
    ]
    return b"".join(parts) + f"--{boundary}--\r\n".encode()


def own_answers(world, **changes):
    """The valid answers to the course's own exercise (`answers`, for its current revision)."""
    data = Factory().answers(world["own_ex"].current)
    return [(key, changes.get(key, value)) for key, value in data.items()]


def own_first_labelled(label):
    return lambda world: own_answers(world, **{world["own_first_sentence"].field_name: label})


def passage(text, label_set="abstract"):
    return lambda world: [("passage", text), ("label_set", label_set)]


def editor_fields(**changes):
    """The editor's form as its page sends it (see `editor_post`), with `changes` (None drops a field)."""

    def fields(world):
        data = {**world["editor_form"], **changes}
        return [(key, value) for key, value in data.items() if value is not None]

    return fields


def correct_split(action="join", position=1, at=None, digest=None):
    """A join (or split) form of the editor, as its buttons send it, about sentence `position`."""

    def fields(world):
        pairs = [("action", action), ("position", position), ("digest", digest or world["digest"])]
        return pairs + ([("at", at)] if at is not None else [])

    return fields


def preview_fields(**changes):
    return lambda world: [*{**world["preview_form"], **changes}.items()]


def upload(content, filename="exercise.toml", text=None):
    """The import form as multipart with `content` (bytes) as the chosen file, and the pasted text if given."""

    def body(world):
        file = content(world) if callable(content) else content
        head = (
            f'--BOUNDARY\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        pasted = multipart([("text", text)])[: -len(b"--BOUNDARY--\r\n")] if text is not None else b""
        return pasted + head + file + b"\r\n--BOUNDARY--\r\n"

    return body


def toml_with(old, new):
    """The exported exercise's text with `old` replaced by `new` once."""
    return lambda world: world["own_toml"].replace(old, new, 1)


SUBMIT = "/exercises/{ex}/submit/"
COURSE = "/courses/{course}/"
CONTEST = "/exercises/{ex}/attempts/{wrong_attempt}/objections/"
DECIDE = COURSE + "objections/{course_objection}/decide/"
EDITOR_DECIDE = "/objections/{self_study_objection}/decide/"
ASK = "/questions/on/lesson/{lesson}/ask/"
HELPFUL = "/questions/{student_question}/helpful/"
PIN = "/questions/{public_question}/pin/"
OWN = COURSE + "own/"
EDIT = OWN + "{own_draft}/edit/"
OWN_CONTEST = OWN + "{own_ex}/attempts/{student_own_attempt}/objections/"

# Every write endpoint: who posts to it, and the form its page sends (world -> pairs; the CSRF token
# is added when sent). test_the_form_behind_the_probes_is_accepted shows each form is let through.
# fmt: off
ENDPOINTS = {
    "submit":            ("visitor", SUBMIT, answers),
    "submit, logged in": ("student", SUBMIT, answers),
    "sign-up":           ("anonymous", "/accounts/signup/",
                          lambda w: [("username", "newbie"), ("password1", NEW_PASSWORD), ("password2", NEW_PASSWORD)]),
    "log-in":            ("anonymous", "/accounts/login/", lambda w: [("username", "student"), ("password", PASSWORD)]),
    "log-out":           ("student", "/accounts/logout/", lambda w: []),
    "password change":   ("student", "/accounts/password/",
                          lambda w: [("old_password", PASSWORD), ("new_password1", NEW_PASSWORD),
                                     ("new_password2", NEW_PASSWORD)]),
    "new course":        ("instructor", "/courses/new/", lambda w: [("title", "Café 101")]),
    "join":              ("outsider", "/courses/join/", lambda w: [("code", w["course"].join_code)]),
    "join link":         ("outsider", "/courses/join/{code}/", lambda w: []),
    "new code":          ("instructor", COURSE + "code/", lambda w: []),
    "add instructor":    ("instructor", COURSE + "instructors/", lambda w: [("username", "outsider")]),
    "remove student":    ("instructor", COURSE + "students/{classmate_id}/remove/", lambda w: []),
    "assignments":       ("instructor", COURSE + "assignments/", lambda w: [*assignment_fields(w), ("confirm", "yes")]),
    "contest":           ("student", CONTEST, objection_fields),
    # The decisions that write the most: a label accepted, answers regraded (for everyone, on /objections/).
    "decide":            ("instructor", DECIDE, decision("accept")),
    "decide for everyone": ("editor", EDITOR_DECIDE, decision("accept-everyone")),
    # Questions (issue 18): asked to the course, an answer to the classmate's question, the student's own
    # question rewritten, a report of the classmate's, the instructor hiding a question of the course.
    "ask":               ("student", ASK, question_fields),
    "answer":            ("student", "/questions/{public_question}/answer/", text("body", "The gap calls for it.")),
    "edit":              ("student", "/questions/{student_question}/edit/", edit_fields()),
    "report":            ("student", "/questions/{public_question}/report/", text("reason", "Rude to the asker.")),
    "hide":              ("instructor", "/questions/{course_question}/hide/", text("reason", "Off topic here.")),
    # A course's own exercises (issue 19): the editor's forms, on {own_draft} (complete, never published), and
    # the exercise's pages for its students, on {own_ex} (published; the student's attempt is all wrong).
    "new exercise":      ("instructor", COURSE + "exercises/new/", passage(PASSAGE)),
    "import":            ("instructor", COURSE + "exercises/import/", lambda w: [("text", w["own_toml"])]),
    "edit exercise":     ("instructor", EDIT, editor_fields()),
    "join sentences":    ("instructor", EDIT, correct_split()),
    "preview":           ("instructor", OWN + "{own_draft}/preview/", preview_fields()),
    "publish":           ("instructor", OWN + "{own_draft}/publish/", lambda w: []),
    "delete exercise":   ("instructor", OWN + "{own_draft}/delete/", lambda w: []),
    "own submit":        ("student", OWN + "{own_ex}/submit/", own_answers),
    "own contest":       ("student", OWN_CONTEST,
                          lambda w: [("sentence", w["own_first_sentence"].pk), ("reason", REASON)]),
}
# What the form gets when it is let through, where it is not a redirect: a preview shows the feedback.
ACCEPTED = {"preview": 200}
# fmt: on

STAND_IN = [("x", "y")]  # a field for the probes that need one, where the form sends only its token


def as_json(pairs):
    return json.dumps(dict(pairs)).encode()


# The probes every endpoint refuses the same way; `fields` and `raw` here take the endpoint's form.
# fmt: off
ATTACKS = [
    Case("no CSRF token", csrf=False, status=403, message=CSRF_FAILED),
    Case("as JSON", raw=as_json, content_type=JSON, status=415, message=NOT_A_FORM),
    Case("as JSON without a CSRF token", raw=as_json, content_type=JSON, csrf=False, status=415, message=NOT_A_FORM),
    Case("as text/plain", raw=lambda pairs: "\n".join(f"{k}={v}" for k, v in pairs or STAND_IN).encode(),
         content_type="text/plain", status=415, message=NOT_A_FORM),
    Case("a body of 3 MB", fields=lambda pairs: [*pairs, ("padding", "x" * 3 * MB)], status=413, message="too large"),
    Case("2,000 extra fields", fields=lambda pairs: [*pairs, *((f"x{i}", "1") for i in range(2000))],
         message="too many fields"),
    Case("bytes that are not UTF-8", raw=lambda pairs: urlencode(pairs).encode() + b"&note=caf\xe9\xff\xfe",
         message="not valid UTF-8"),
    Case("a field sent twice", fields=lambda pairs: [*(pairs or STAND_IN), (pairs or STAND_IN)[0]],
         message="sent 2 times"),
    *(Case(f"by {method}", method=method, status=405, message=f"does not accept {method}")
      for method in ("PUT", "PATCH", "DELETE")),
    # Review finding 8: a form body that says it is not UTF-8 was a 500 on every URL.
    *(Case(f"{kind} in {charset}", content_type=f"{content_type}; charset={charset}", status=415,
           message="Send the form as UTF-8")
      for charset in ("latin-1", "utf-16") for kind, content_type in (("a form", FORM), ("multipart", MULTIPART))),
]
# fmt: on


def probe(endpoint, attack):
    """`attack` sent to `endpoint` by its usual visitor, built from the form its page sends."""
    who, path, form = ENDPOINTS[endpoint]
    raw = (lambda world: attack.raw(form(world))) if attack.raw else None
    fields = None if attack.raw else (lambda world: (attack.fields or list)(form(world)))
    return replace(attack, name=f"{endpoint}: {attack.name}", who=who, path=path, fields=fields, raw=raw)


def own(endpoint, name, fields=None, who=None, path=None, **details):
    """A case of one endpoint's own validation; by default sent by its usual visitor to its usual path,
    with its usual form (so a refusal by who or where is not about a form left empty)."""
    usual_who, usual_path, form = ENDPOINTS[endpoint]
    if fields is None and "raw" not in details:
        fields = form
    return Case(f"{endpoint}: {name}", who or usual_who, path or usual_path, fields, **details)


# fmt: off
OWN_CASES = [
    own("submit", "no fields at all", lambda w: [], message=CHOOSE),
    own("submit", "a sentence missing", lambda w: first_labelled(w, None), message=CHOOSE),
    own("submit", "version missing", lambda w: answers(w, version=None), message="missing its version"),
    own("submit", "stale version", lambda w: answers(w, version="0" * 64), message="exercise changed"),
    own("submit", "unknown label", lambda w: first_labelled(w, "no-such-label"),
        message="no-such-label is not one of this exercise"),
    own("submit, logged in", "a label of another label set", lambda w: first_labelled(w, a_label_of_another_set(w)),
        message="is not one of this exercise"),
    own("submit", "empty label", lambda w: first_labelled(w, ""), message=CHOOSE),
    own("submit, logged in", "a sentence of another exercise",
        lambda w: [*answers(w), (other_exercises_sentence(w).field_name, "problem")],
        message="is not a sentence of this exercise"),
    own("submit", "a huge sentence number", lambda w: [*answers(w), ("sentence-99999999999999999999", "problem")],
        message="sentence-99999999999999999999 is not a sentence of this exercise"),
    own("submit", "a negative sentence number", lambda w: [*answers(w), ("sentence--1", "problem")],
        message="does not name a sentence by its number"),
    own("submit", "a sentence that is not a number", lambda w: [*answers(w), ("sentence-abc", "problem")],
        message="does not name a sentence by its number"),
    own("submit, logged in", "a sentence sent twice",
        lambda w: [*answers(w), (first_sentence(w).field_name, "problem")], message="sent 2 times"),
    own("submit", "a label in bytes that are not UTF-8",
        raw=lambda w: urlencode(first_labelled(w, None)).encode() + f"&{first_sentence(w).field_name}=".encode()
        + b"\xff\xfe", message="not valid UTF-8"),
    own("submit", "percent-encoded bytes that are not UTF-8",
        raw=lambda w: (urlencode(answers(w)) + "&note=%C3%28%FF").encode(), message="not valid UTF-8"),
    own("submit", "a broken multipart body",
        raw=lambda w: b'--wrong\r\nContent-Disposition: form-data; name="version"\r\n\r\nx\r\n--wrong--',
        content_type="multipart/form-data; boundary=expected", message=CHOOSE),
    own("submit", "multipart with an unknown label", raw=lambda w: multipart(first_labelled(w, "no-such-label")),
        content_type=MULTIPART, message="is not one of this exercise"),
    own("submit", "an exercise that does not exist", answers, path="/exercises/no-such-exercise/submit/",
        status=404, message=NOT_FOUND),
    own("submit", "htmx with an unknown label", lambda w: first_labelled(w, "no-such-label"),
        headers={"HX-Request": "true"}, message="Your answers were not saved"),

    own("sign-up", "no fields", lambda w: [], message=REQUIRED),
    own("sign-up", "passwords that differ",
        lambda w: [("username", "newbie"), ("password1", NEW_PASSWORD), ("password2", NEW_PASSWORD + "x")],
        message="didn"),
    own("sign-up", "a taken name",
        lambda w: [("username", "student"), ("password1", NEW_PASSWORD), ("password2", NEW_PASSWORD)],
        message="already exists"),
    own("sign-up", "a name of 10,000 characters",
        lambda w: [("username", "n" * 10_000), ("password1", NEW_PASSWORD), ("password2", NEW_PASSWORD)],
        message="at most 150 characters"),
    own("log-in", "no fields", lambda w: [], message=REQUIRED),
    own("log-in", "a wrong password", lambda w: [("username", "student"), ("password", "wrong")],
        message="enter a correct username"),
    own("log-out", "by GET", method="GET", status=405, message="does not accept GET"),
    own("password change", "no fields", lambda w: [], message=REQUIRED),
    own("password change", "a wrong old password",
        lambda w: [("old_password", "wrong"), ("new_password1", NEW_PASSWORD), ("new_password2", NEW_PASSWORD)],
        message="old password was entered incorrectly"),
    own("password change", "a short password",
        lambda w: [("old_password", PASSWORD), ("new_password1", "abc"), ("new_password2", "abc")],
        message="too short"),
    own("password change", "by a visitor", ENDPOINTS["password change"][2], who="visitor", status=302),

    own("new course", "no title", lambda w: [], message=REQUIRED),
    own("new course", "a blank title", lambda w: [("title", "   ")], message=REQUIRED),
    own("new course", "a title of 201 characters", lambda w: [("title", "t" * 201)], message="at most 200 characters"),
    own("join", "no code", lambda w: [], message=REQUIRED),
    own("join", "a wrong code", lambda w: [("code", "WRONGCODE2")], status=404, message=NO_SUCH_COURSE),
    own("join", "a code of 10,000 characters", lambda w: [("code", "A" * 10_000)], message="at most 40 characters"),
    own("join link", "a wrong code", path="/courses/join/WRONGCODE2/", status=404, message=NO_SUCH_COURSE),
    own("join link", "a code of 5,000 characters", path="/courses/join/" + "A" * 5000 + "/", status=404,
        message=NO_SUCH_COURSE),
    own("join link", "a code that is not UTF-8", path="/courses/join/%FF%FE/", status=404, message=NO_SUCH_COURSE),
    own("new code", "by a student", who="student", status=404, message=NOT_FOUND),
    own("new code", "by another course's instructor", who="other_instructor", status=404, message=NOT_FOUND),
    own("new code", "by GET only asks", method="GET", status=200, message="Make a new join code for Writing 101?"),
    own("add instructor", "no username", lambda w: [], message=REQUIRED),
    own("add instructor", "oneself", lambda w: [("username", "instructor")], message="That is your own username"),
    own("add instructor", "a name too long for any account", lambda w: [("username", "x" * 151)],
        message="at most 150 characters"),
    own("add instructor", "by a student", lambda w: [("username", "student")], who="student", status=404,
        message=NOT_FOUND),
    own("add instructor", "by another course's instructor", lambda w: [("username", "other-instructor")],
        who="other_instructor", status=404, message=NOT_FOUND),
    own("remove student", "a student of another course", path=COURSE + "students/{outsider_id}/remove/", status=404,
        message=NOT_FOUND),
    own("remove student", "an instructor as if a student", path=COURSE + "students/{instructor_id}/remove/",
        status=404, message=NOT_FOUND),
    own("remove student", "a huge student id", path=COURSE + "students/99999999999999999999/remove/", status=404,
        message=NOT_FOUND),
    own("remove student", "a negative student id", path=COURSE + "students/-1/remove/", status=404, message=NOT_FOUND),
    own("remove student", "by a student", who="student", status=404, message=NOT_FOUND),
    own("remove student", "by GET only asks", method="GET", status=200, message="Remove classmate from Writing 101?"),

    own("assignments", "taking exercises away without confirming", assignment_fields, status=200,
        message="Take 10 exercises away from the course?"),
    own("assignments", "a due time but no date",
        lambda w: [*assignment_fields(w, due=""), (f"due-time-{w['exercise'].pk}", "17:00"), ("confirm", "yes")],
        message="Give the date this time is on"),
    own("assignments", "a time zone that does not exist",
        lambda w: [*assignment_fields(w), ("time_zone", "Mars/Olympus_Mons"), ("confirm", "yes")],
        message="is not a time zone name"),
    own("assignments", "a date that is not a date", lambda w: assignment_fields(w, due="next tuesday"),
        message="Enter a valid date"),
    own("assignments", "the year 99999", lambda w: assignment_fields(w, due="99999-01-01"),
        message="Enter a valid date"),
    own("assignments", "no fields", lambda w: [], message="not the assignments form"),
    own("assignments", "an exercise that does not exist",
        lambda w: [*assignment_fields(w), ("assign-99999999999999999999", "on")], message="not the assignments form"),
    own("assignments", "a negative exercise id", lambda w: [*assignment_fields(w), ("assign--1", "on")],
        message="not the assignments form"),
    own("assignments", "by a student", assignment_fields, who="student", status=404, message=NOT_FOUND),
    Case("analytics: attempts that are neither first, best nor all", "instructor",
         COURSE + "exercises/{ex}/?attempts=worst", method="GET", message="Choose first, best or all attempts"),

    own("contest", "no reason", lambda w: objection_fields(w)[:1], message=NO_REASON),
    own("contest", "a blank reason", lambda w: objection_fields(w, reason=" \n\t "), message=NO_REASON),
    own("contest", "a reason of 1,001 characters", lambda w: objection_fields(w, reason="x" * 1001),
        message="Keep your reason to 1000 characters (it has 1001)"),
    own("contest", "a reason with a NUL byte", lambda w: objection_fields(w, reason="It fits\x00."),
        message="Null characters are not allowed"),
    own("contest", "htmx without a reason", lambda w: objection_fields(w)[:1], headers={"HX-Request": "true"},
        message=NO_REASON),
    own("contest", "a right answer", path="/exercises/{ex}/attempts/{right_attempt}/objections/",
        message="counts as right already"),
    own("contest", "a sentence contested already", lambda w: objection_fields(w, w["ids"]["contested_sentence"]),
        message="waiting for a decision already"),
    own("contest", "no sentence", lambda w: objection_fields(w)[1:], status=404, message=NOT_FOUND),
    own("contest", "a sentence that is not a number", lambda w: objection_fields(w, sentence="first"), status=404,
        message=NOT_FOUND),
    own("contest", "a negative sentence number", lambda w: objection_fields(w, sentence="-1"), status=404,
        message=NOT_FOUND),
    # Digits to str.isdigit(), but no number to int(): the sentence is looked up only if it is a number.
    own("contest", "a superscript digit as the sentence", lambda w: objection_fields(w, sentence="\u00b2"),
        status=404, message=NOT_FOUND),
    own("contest", "a huge sentence number", lambda w: objection_fields(w, sentence="9" * 20), status=404,
        message=NOT_FOUND),
    own("contest", "a sentence of another exercise", lambda w: objection_fields(w, other_exercises_sentence(w).pk),
        status=404, message=NOT_FOUND),
    own("contest", "a classmate's attempt", path="/exercises/{ex}/attempts/{classmate_attempt}/objections/",
        status=404, message=NOT_FOUND),
    own("contest", "one's attempt under another exercise",
        path="/exercises/{other_ex}/attempts/{wrong_attempt}/objections/", status=404, message=NOT_FOUND),
    own("contest", "a huge attempt id", path="/exercises/{ex}/attempts/" + "9" * 20 + "/objections/", status=404,
        message=NOT_FOUND),
    own("contest", "by the classmate", who="classmate", status=404, message=NOT_FOUND),
    own("contest", "by the course's instructor", who="instructor", status=404, message=NOT_FOUND),
    own("contest", "by a visitor", who="visitor", status=302),
    own("contest", "by GET", method="GET", status=405, message="does not accept GET"),

    own("decide", "no decision", lambda w: [("reply", "Fine.")], message=NO_DECISION),
    own("decide", "the editors' decision", decision("accept-everyone"), message=NOT_OFFERED),
    own("decide", "a decision in capitals", decision("ACCEPT"), message=NOT_OFFERED),
    own("decide", "a rejection without a reply", decision("reject", reply=""), message=NO_REPLY),
    own("decide", "a rejection with a blank reply", decision("reject", reply=" \n "), message=NO_REPLY),
    own("decide", "a reply of 1,001 characters", decision("accept", reply="x" * 1001),
        message="Keep your reply to 1000 characters (it has 1001)"),
    own("decide", "a reply with a NUL byte", decision("accept", reply="Fits\x00."),
        message="Null characters are not allowed"),
    own("decide", "htmx without a decision", lambda w: [], headers={"HX-Request": "true"}, message=NO_DECISION),
    own("decide", "an objection decided already", path=COURSE + "objections/{decided_objection}/decide/",
        message="This objection was decided already (not accepted): nothing was changed"),
    own("decide", "a self-study objection", path=COURSE + "objections/{self_study_objection}/decide/", status=404,
        message=NOT_FOUND),
    own("decide", "a huge objection id", path=COURSE + "objections/" + "9" * 20 + "/decide/", status=404,
        message=NOT_FOUND),
    own("decide", "by another course's instructor", who="other_instructor", status=404, message=NOT_FOUND),
    own("decide", "by another course's instructor, through their course",
        path="/courses/{other_course}/objections/{course_objection}/decide/", who="other_instructor", status=404,
        message=NOT_FOUND),
    own("decide", "by a student", who="student", status=404, message=NOT_FOUND),
    own("decide", "by the editor", who="editor", status=404, message=NOT_FOUND),

    own("decide for everyone", "a course's decision", decision("accept"), message=NOT_OFFERED),
    own("decide for everyone", "a rejection without a reply", decision("reject", reply=""), message=NO_REPLY),
    own("decide for everyone", "an objection made for a course", path="/objections/{course_objection}/decide/",
        status=404, message=NOT_FOUND),
    own("decide for everyone", "a huge objection id", path="/objections/" + "9" * 20 + "/decide/", status=404,
        message=NOT_FOUND),
    own("decide for everyone", "by the course's instructor", who="instructor", status=403, message=EDITORS_ONLY),
    own("decide for everyone", "by the course's instructor, on its objection",
        path="/objections/{course_objection}/decide/", who="instructor", status=403, message=EDITORS_ONLY),
    own("decide for everyone", "by a student", who="student", status=403, message=EDITORS_ONLY),

    own("ask", "a NUL byte in the title", lambda w: question_fields(w, title="Why\x00?"), message=NUL_REFUSED),
    own("ask", "a NUL byte in the body", lambda w: question_fields(w, body="It reads\x00 late."), message=NUL_REFUSED),
    own("ask", "a title of 201 characters", lambda w: question_fields(w, title="t" * 201),
        message="Keep the title to 200 characters (it has 201)"),
    own("ask", "a body of 5,001 characters", lambda w: question_fields(w, body="b" * 5001),
        message="Keep the question to 5000 characters (it has 5001)"),
    own("ask", "a blank title", lambda w: question_fields(w, title=" \n "), message="Give your question a title"),
    own("ask", "a title of invisible controls only", lambda w: question_fields(w, title="\u202e\x07\u2066"),
        message="Give your question a title"),
    own("ask", "a blank body", lambda w: question_fields(w, body="\t"), message="Write your question first"),
    own("ask", "a course the asker is not in", lambda w: question_fields(w, audience=w["ids"]["other_course"]),
        message=NOT_YOUR_COURSE),
    own("ask", "a course that does not exist", lambda w: question_fields(w, audience="no-such-course"),
        message=NOT_YOUR_COURSE),
    own("ask", "a course with a NUL byte", lambda w: question_fields(w, audience=w["course"].slug + "\x00"),
        message=NOT_YOUR_COURSE),
    # The editor is in no course: the form offers everyone only, and a course sent anyway is refused.
    own("ask", "a course by someone in none", who="editor", message=NOT_YOUR_COURSE),
    own("ask", "htmx with a NUL byte in the title", lambda w: question_fields(w, title="Why\x00?"),
        headers={"HX-Request": "true"}, message=NUL_REFUSED),
    own("ask", "on a place that is not one", path="/questions/on/paper/{lesson}/ask/", status=404, message=NOT_FOUND),
    own("ask", "on a lesson that does not exist", path="/questions/on/lesson/" + "x" * 5000 + "/ask/", status=404,
        message=NOT_FOUND),
    own("ask", "on an exercise not attempted yet", path="/questions/on/exercise/{other_ex}/ask/", status=403,
        message="Make a first attempt at this exercise"),
    own("ask", "by a visitor", who="visitor", status=302),
    own("ask", "by GET", method="GET", status=405, message="does not accept GET"),

    own("answer", "a NUL byte in the body", text("body", "Yes\x00."), message=NUL_REFUSED),
    own("answer", "a body of 5,001 characters", text("body", "b" * 5001),
        message="Keep the answer to 5000 characters (it has 5001)"),
    own("answer", "a blank body", text("body", " \r\n "), message="Write your answer first"),
    own("answer", "htmx with a blank body", text("body", ""), headers={"HX-Request": "true"},
        message="Write your answer first"),
    own("answer", "to another course's question", path="/questions/{other_course_question}/answer/", status=404,
        message=NOT_FOUND),
    own("answer", "to a closed question", path="/questions/{closed_question}/answer/", status=403,
        message="This question is closed"),
    own("answer", "to a huge question id", path="/questions/" + "9" * 20 + "/answer/", status=404, message=NOT_FOUND),

    own("edit", "a NUL byte in the title", edit_fields(title="Hedges\x00?"), message=NUL_REFUSED),
    own("edit", "a NUL byte in the body", edit_fields(body="Re\x00written."), message=NUL_REFUSED),
    own("edit", "a title of 201 characters", edit_fields(title="t" * 201),
        message="Keep the title to 200 characters (it has 201)"),
    own("edit", "a body of 5,001 characters", edit_fields(body="b" * 5001),
        message="Keep the question to 5000 characters (it has 5001)"),
    own("edit", "a blank title", edit_fields(title=""), message="Give your question a title"),
    own("edit", "someone else's question", path="/questions/{public_question}/edit/", status=403,
        message=NOT_THE_AUTHOR),
    own("edit", "by a classmate who reads it", who="classmate", status=403, message=NOT_THE_AUTHOR),
    own("edit", "another course's question", path="/questions/{other_course_question}/edit/", status=404,
        message=NOT_FOUND),

    own("report", "no reason", lambda w: [], message="Say what is wrong with this post"),
    own("report", "a reason of 501 characters", text("reason", "r" * 501), message=OVER_500),
    own("report", "a NUL byte in the reason", text("reason", "Rude\x00."), message=NUL_REFUSED),
    own("report", "one's own question", path="/questions/{student_question}/report/", message="This is your own post"),
    own("report", "a question reported already", path="/questions/{course_question}/report/",
        message="You reported this post already"),
    own("report", "another course's question", path="/questions/{other_course_question}/report/", status=404,
        message=NOT_FOUND),
    own("report", "htmx without a reason", lambda w: [], headers={"HX-Request": "true"},
        message="Say what is wrong with this post"),
    own("report", "by GET", method="GET", status=405, message="does not accept GET"),

    own("hide", "no reason", lambda w: [], message="Give a reason: the post's author reads it"),
    own("hide", "a reason of 501 characters", text("reason", "r" * 501), message=OVER_500),
    own("hide", "a NUL byte in the reason", text("reason", "Off\x00 topic."), message=NUL_REFUSED),
    own("hide", "htmx without a reason", lambda w: [], headers={"HX-Request": "true"},
        message="Give a reason: the post's author reads it"),
    own("hide", "by a student of the course", who="student", status=403,
        message="Only the site's moderators, and the instructors of the course"),
    own("hide", "by another course's instructor", who="other_instructor", status=404, message=NOT_FOUND),
    own("hide", "by the editor, a question of a course", who="editor", status=404, message=NOT_FOUND),

    # The asker marks the answer that helped: one of the question's own, named by its id.
    Case("helpful: another question's answer", "student", HELPFUL, answer_named("public_answer"),
         message=NOT_AN_ANSWER_HERE),
    Case("helpful: a huge answer id", "student", HELPFUL, text("reply", "9" * 20), message=NOT_AN_ANSWER_HERE),
    Case("helpful: a superscript digit as the answer", "student", HELPFUL, text("reply", "\u00b2"),
         message=NOT_AN_ANSWER_HERE),
    Case("helpful: a negative answer id", "student", HELPFUL, text("reply", "-1"), message=NOT_AN_ANSWER_HERE),
    Case("helpful: an answer id with a NUL byte", "student", HELPFUL, text("reply", "1\x00"),
         message=NOT_AN_ANSWER_HERE),
    Case("helpful: no answer", "student", HELPFUL, lambda w: [], message=NOT_AN_ANSWER_HERE),
    Case("helpful: by a reader who did not ask", "classmate", HELPFUL, answer_named("answer_to_student"),
         status=403, message="Only the person who asked"),
    Case("pin: on=2", "editor", PIN, text("on", "2"), message="Send on=1 or on=0"),
    Case("pin: on=-1", "editor", PIN, text("on", "-1"), message="Send on=1 or on=0"),
    Case("pin: on empty", "editor", PIN, text("on", ""), message="Send on=1 or on=0"),
    Case("close: on=yes", "editor", "/questions/{public_question}/close/", text("on", "yes"),
         message="Send on=1 or on=0"),
    Case("pin: by a student", "student", PIN, text("on", "1"), status=403, message="Only the site's moderators"),

    # Searching: what the search box refuses, it says; a course filter names one of the reader's courses.
    Case("search: a NUL byte", "student", "/questions/?q=gap%00first", method="GET", message=NUL_REFUSED),
    Case("search: a NUL byte, logged out", "anonymous", "/questions/?q=%00", method="GET", message=NUL_REFUSED),
    Case("search: 201 characters", "student", "/questions/?q=" + "x" * 201, method="GET",
         message="Search for at most 200 characters"),
    Case("search: a course that is not a slug", "student", "/questions/?course=%00", method="GET",
         message="That is not a course"),
    Case("search: another course", "student", "/questions/?course={other_course}", method="GET", status=404,
         message=NOT_FOUND),
    # A page number that is not one shows a page of questions, never an error.
    *(Case(f"page {number!r} of {name}", who, path + ("&" if "?" in path else "?") + "page=" + number, method="GET",
           status=200)
      for number in ("-1", "1" + "0" * 30, "abc", "%00", "1e3")
      for name, who, path in (("the questions", "student", "/questions/"),
                              ("a search", "student", "/questions/?q=why&course={course}"),
                              ("the lesson's questions", "anonymous", "/questions/on/lesson/{lesson}/"),
                              ("the course's questions", "instructor", "/courses/{course}/questions/"),
                              ("the review queue", "editor", "/questions/review/"))),
    # A course's own exercises (issue 19): the editor's forms, then the exercise's pages for its students.
    own("new exercise", "a passage over the length limit", passage("Networks matter. " + "x" * MAX_CHARACTERS + "."),
        message=f"characters long; the limit is {MAX_CHARACTERS:,}"),
    own("new exercise", "a passage of too many sentences", passage("Go now. " * (MAX_SENTENCES + 1)),
        message=f"sentences; the limit is {MAX_SENTENCES}"),
    own("new exercise", "a passage of one sentence", passage("Networks matter."),
        message="needs at least two sentences"),
    own("new exercise", "no passage", lambda w: [("label_set", "abstract")], message="Paste the passage first"),
    own("new exercise", "a passage of NUL bytes and controls only", passage("\x00\x07\u202e\x00"),
        message="Paste the passage first"),
    own("new exercise", "an unknown label set", passage(PASSAGE, "no-such-set"),
        message="no-such-set is not a set of moves of this guide"),
    own("new exercise", "a NUL byte in the label set", passage(PASSAGE, "abstract\x00"),
        message="is not a set of moves of this guide"),
    own("new exercise", "no label set", lambda w: [("passage", PASSAGE)], message="Choose the moves"),
    own("new exercise", "by a student", who="student", status=404, message=NOT_FOUND),
    own("new exercise", "by another course's instructor", who="other_instructor", status=404, message=NOT_FOUND),
    own("new exercise", "by a visitor", who="visitor", status=302),

    own("import", "a pasted text that is not TOML", text("text", 'slug = "a\n'), message="is not valid TOML"),
    own("import", "a file that is not TOML", raw=upload(b"this is = not [toml"), content_type=MULTIPART,
        message="is not valid TOML"),
    own("import", "a file with a NUL byte", raw=upload(lambda w: toml_with("title = ", "title = \x00")(w).encode()),
        content_type=MULTIPART, message="is not valid TOML"),
    own("import", f"a file over {IMPORT_MAX_BYTES // 1024} KB", raw=upload(b"#" * (IMPORT_MAX_BYTES + 1)),
        content_type=MULTIPART, status=413, message="too large"),
    own("import", "a file that is not named .toml", raw=upload(lambda w: w["own_toml"].encode(), "exercise.txt"),
        content_type=MULTIPART, message="Choose a .toml file"),
    own("import", "a file that is not UTF-8", raw=upload('title = "Café"\n'.encode("latin-1")),
        content_type=MULTIPART, message="not UTF-8 text"),
    own("import", "a file and a pasted text", raw=upload(lambda w: w["own_toml"].encode(), text="slug = 'x'"),
        content_type=MULTIPART, message="Give the file or paste its text, not both"),
    own("import", "nothing", lambda w: [], message="Choose a .toml file, or paste its text"),
    own("import", "a NUL byte in the pasted text", lambda w: [("text", toml_with("title = ", "title = \x00")(w))],
        message=NUL_REFUSED),
    own("import", "a label not in its set", lambda w: [("text", toml_with('label = "', 'label = "no-such-')(w))],
        message="Nothing was imported"),
    own("import", "an unknown label set",
        lambda w: [("text", toml_with('label_set = "abstract"', 'label_set = "no-such-set"')(w))],
        message="Nothing was imported"),
    own("import", "by a student", who="student", status=404, message=NOT_FOUND),
    own("import", "by another course's instructor", who="other_instructor", status=404, message=NOT_FOUND),

    own("edit exercise", "a label not in the set", editor_fields(**{"s1-label": "no-such-label"}),
        message="Sentence 1: no-such-label is not a label of this exercise's set"),
    own("edit exercise", "a label of another set",
        lambda w: editor_fields(**{"s1-label": w["not_an_abstract_move"]})(w),
        message="is not a label of this exercise's set"),
    own("edit exercise", "a NUL byte in a label", editor_fields(**{"s1-label": "about\x00"}),
        message="is not a label of this exercise's set"),
    own("edit exercise", "a signal that is not a word of the sentence", editor_fields(**{"s1-w999": "on"}),
        message="is not a word of sentence 1"),
    own("edit exercise", "a stale digest", editor_fields(digest="0" * 16),
        message="were joined or split after this page was opened"),
    own("edit exercise", "no digest", editor_fields(digest=None), message="sent without its digest"),
    own("edit exercise", "a NUL byte in the digest", lambda w: editor_fields(digest=w["digest"] + "\x00")(w),
        message=NUL_REFUSED),
    own("edit exercise", "a title of 201 characters", editor_fields(title="t" * 201),
        message="The title can be at most 200 characters (it has 201)"),
    own("edit exercise", "an explanation of 2,001 characters", editor_fields(**{"s1-explanation": "e" * 2001}),
        message="can be at most 2000 characters (it has 2001)"),
    own("edit exercise", "a difficulty of 4", editor_fields(difficulty="4"), message="The difficulty is 1, 2 or 3"),
    own("edit exercise", "an action that does not exist", editor_fields(action="publish-now"),
        message="This form does not exist"),
    own("edit exercise", "htmx with a label not in the set", editor_fields(**{"s1-label": "no-such-label"}),
        headers={"HX-Request": "true"}, message="is not a label of this exercise's set"),
    own("edit exercise", "another course's exercise", path=OWN + "{other_own_ex}/edit/", status=404,
        message=NOT_FOUND),
    own("edit exercise", "by a student", who="student", status=404, message=NOT_FOUND),
    own("edit exercise", "by another course's instructor", who="other_instructor", status=404, message=NOT_FOUND),
    own("edit exercise", "by another course's instructor, through their course",
        path="/courses/{other_course}/own/{own_draft}/edit/", who="other_instructor", status=404, message=NOT_FOUND),

    own("join sentences", "a huge sentence index", correct_split(position="9" * 20),
        message=f"less than or equal to {MAX_SENTENCES * 10}"),
    own("join sentences", "the last sentence, with none after it",
        lambda w: correct_split(position=w["sentences"])(w), message="There is no sentence after sentence"),
    own("join sentences", "sentence 0", correct_split(position=0), message="greater than or equal to 1"),
    own("join sentences", "a position that is not a number", correct_split(position="first"),
        message="Enter a whole number"),
    own("join sentences", "a NUL byte in the position", correct_split(position="1\x00"),
        message="Enter a whole number"),
    own("join sentences", "a stale digest", correct_split(digest="0" * 16),
        message="were joined or split after this page was opened"),
    own("join sentences", "an action in capitals", correct_split(action="JOIN"), message="This form does not exist"),
    own("join sentences", "split at a huge sentence index",
        lambda w: correct_split("split", "9" * 20, w["first_words"][2])(w),
        message=f"less than or equal to {MAX_SENTENCES * 10}"),
    own("join sentences", "split past the last sentence",
        lambda w: correct_split("split", MAX_SENTENCES, w["first_words"][2])(w), message="There is no sentence 40"),
    own("join sentences", "split where the sentence has no such words", correct_split("split", 1, "moonlight"),
        message="has no “moonlight” after its first word"),
    own("join sentences", "split without the words", correct_split("split", 1, ""),
        message="Type the words the second sentence begins with"),
    own("join sentences", "split at a NUL byte", correct_split("split", 1, "\x00"),
        message="Type the words the second sentence begins with"),
    own("join sentences", "split at 301 characters", correct_split("split", 1, "w" * 301),
        message="at most 300 characters (it has 301)"),
    own("join sentences", "another course's exercise", path=OWN + "{other_own_ex}/edit/", status=404,
        message=NOT_FOUND),
    own("join sentences", "by a student", who="student", status=404, message=NOT_FOUND),

    own("preview", "an unknown label", preview_fields(**{"sentence-1": "no-such-label"}),
        message="no-such-label is not one of this exercise's labels"),
    own("preview", "a NUL byte in a label", preview_fields(**{"sentence-1": "about\x00"}),
        message="is not one of this exercise's labels"),
    own("preview", "no labels", lambda w: [("version", w["preview_form"]["version"])], message=CHOOSE),
    own("preview", "a stale version", preview_fields(version="0" * 64), message="exercise changed"),
    own("preview", "a sentence that is not the page's", preview_fields(**{"sentence-99999999999999999999": "about"}),
        message="is not a sentence of this exercise"),
    own("preview", "a draft with problems", path=OWN + "{unready_draft}/preview/",
        message="to fix before previewing or publishing"),
    own("preview", "another course's exercise", path=OWN + "{other_own_ex}/preview/", status=404, message=NOT_FOUND),
    own("preview", "by a student", who="student", status=404, message=NOT_FOUND),

    own("publish", "a draft with problems", path=OWN + "{unready_draft}/publish/", message="Not published: fix the"),
    own("publish", "another course's exercise", path=OWN + "{other_own_ex}/publish/", status=404, message=NOT_FOUND),
    own("publish", "by another course's instructor, through their course",
        path="/courses/{other_course}/own/{own_draft}/publish/", who="other_instructor", status=404,
        message=NOT_FOUND),
    own("publish", "by a student", who="student", status=404, message=NOT_FOUND),
    own("publish", "by GET", method="GET", status=405, message="does not accept GET"),

    own("delete exercise", "a published exercise", path=OWN + "{own_ex}/delete/", message="cannot be deleted"),
    own("delete exercise", "another course's exercise", path=OWN + "{other_own_ex}/delete/", status=404,
        message=NOT_FOUND),
    own("delete exercise", "by a student", who="student", status=404, message=NOT_FOUND),
    own("delete exercise", "by another course's instructor", who="other_instructor", status=404, message=NOT_FOUND),

    own("own submit", "an unknown label", own_first_labelled("no-such-label"),
        message="no-such-label is not one of this exercise"),
    own("own submit", "a NUL byte in a label", own_first_labelled("about\x00"), message="is not one of this exercise"),
    own("own submit", "no labels", lambda w: own_answers(w)[:1], message=CHOOSE),
    own("own submit", "a stale version", lambda w: own_answers(w, version="0" * 64), message="exercise changed"),
    own("own submit", "a sentence of the guide's exercise",
        lambda w: [*own_answers(w), (first_sentence(w).field_name, "problem")],
        message="is not a sentence of this exercise"),
    own("own submit", "a draft", path=OWN + "{own_draft}/submit/", status=404, message=NOT_FOUND),
    own("own submit", "another course's exercise", path=OWN + "{other_own_ex}/submit/", status=404,
        message=NOT_FOUND),
    own("own submit", "by another course's student", who="outsider", status=404, message=NOT_FOUND),
    own("own submit", "by a visitor", who="visitor", status=302),
    own("own submit", "by GET", method="GET", status=405, message="does not accept GET"),

    own("own contest", "no reason", lambda w: [("sentence", w["own_first_sentence"].pk)], message=NO_REASON),
    own("own contest", "a reason with a NUL byte",
        lambda w: [("sentence", w["own_first_sentence"].pk), ("reason", "It fits\x00.")], message=NUL_REFUSED),
    own("own contest", "a huge sentence number", lambda w: objection_fields(w, sentence="9" * 20), status=404,
        message=NOT_FOUND),
    own("own contest", "a sentence of the guide's exercise", objection_fields, status=404, message=NOT_FOUND),
    own("own contest", "a classmate's attempt", path=OWN + "{own_ex}/attempts/{classmate_own_attempt}/objections/",
        status=404, message=NOT_FOUND),
    own("own contest", "one's attempt at the guide's exercise",
        path=OWN + "{own_ex}/attempts/{wrong_attempt}/objections/", status=404, message=NOT_FOUND),
    own("own contest", "a huge attempt id", path=OWN + "{own_ex}/attempts/" + "9" * 20 + "/objections/", status=404,
        message=NOT_FOUND),
    own("own contest", "another course's exercise",
        path=OWN + "{other_own_ex}/attempts/{student_own_attempt}/objections/", status=404, message=NOT_FOUND),
    own("own contest", "by the course's instructor", who="instructor", status=404, message=NOT_FOUND),
    own("own contest", "by a visitor", who="visitor", status=302),
    Case("own attempt: a huge attempt id", "student", OWN + "{own_ex}/attempts/" + "9" * 20 + "/", method="GET",
         status=404, message=NOT_FOUND),
    Case("own results: a revision that is not one", "instructor", OWN + "{own_ex}/results/?revision=" + "9" * 20,
         method="GET", message="This exercise has no revision " + "9" * 20),
]
# fmt: on

CASES = [probe(endpoint, attack) for endpoint in ENDPOINTS for attack in ATTACKS] + OWN_CASES


@pytest.fixture(scope="module")
def world(module_rows):
    """Built once for the module (see testing/shared_rows.py); each test's writes are rolled back to it."""
    with module_rows():
        return _world(Factory())


def _world(make):
    users = {name: make.user(name.replace("_", "-")) for name in ("student", "instructor", "other_instructor")}
    outsider, classmate, editor = make.user("outsider"), make.user("classmate"), make.user("editor")
    editor.user_permissions.add(*(permission for _, permission in editor_permissions()))
    course = make.course(users["instructor"], "Writing 101")
    other_course = make.course(users["other_instructor"], "Writing 202")
    other_course.join(outsider)
    course.join(users["student"])
    course.join(classmate)
    exercise = Exercise.objects.get(slug="lee-2016-abstract")
    right_attempt = make.attempt(make.learner(users["student"]), exercise)
    users.update(outsider=outsider, classmate=classmate, editor=editor)
    world = {"users": users, "course": course, "exercise": exercise}
    ids = {
        "ex": exercise.slug,
        "other_ex": Exercise.objects.exclude(pk=exercise.pk).first().slug,
        "course": course.slug,
        "other_course": other_course.slug,
        "code": course.join_code,
        "outsider_id": outsider.pk,
        "classmate_id": classmate.pk,
        "instructor_id": users["instructor"].pk,
        "right_attempt": right_attempt.pk,
        "lesson": Lesson.objects.first().slug,
    }
    world["ids"] = ids | _objections(make, world) | _questions(world, other_course) | _own(world, other_course)
    return world


def _own(world, other_course):
    """The course's own exercises: {own_ex} published, with the student's and the classmate's attempts (all
    wrong, for the course); {own_draft}, complete, never published; {unready_draft}, just pasted (it lacks
    what publishing needs); {other_own_ex}, other_course's, on a passage none of the course's starts as (so its
    slug names none of the course's exercises)."""
    users, course = world["users"], world["course"]
    own_ex = published_exercise(course, users["instructor"])
    draft = written_draft(course, users["instructor"], title="A draft not published yet")
    unready = authoring.start(course, users["instructor"], ABSTRACT, "abstract")
    other_own_ex = published_exercise(other_course, users["other_instructor"], passage=PASSAGE)

    def wrong(user):
        return Factory().attempt(Factory().learner(user), own_ex.current, right=False, course=course)

    abstract_moves = set(Move.objects.filter(move_set__slug="abstract").values_list("slug", flat=True))
    world.update(
        own_ex=own_ex,
        own_first_sentence=own_ex.current.sentences.order_by("position").first(),
        own_toml=authoring.export_toml(own_ex),
        editor_form=editor_post(draft),
        preview_form=preview_post(draft),
        digest=sentences_digest(draft.draft),
        sentences=len(draft.draft["sentences"]),
        first_words=draft.draft["sentences"][0]["text"].split(),
        not_an_abstract_move=Move.objects.exclude(slug__in=abstract_moves).first().slug,
    )
    return {
        "own_ex": own_ex.slug,
        "own_draft": draft.slug,
        "unready_draft": unready.slug,
        "other_own_ex": other_own_ex.slug,
        "student_own_attempt": wrong(users["student"]).pk,
        "classmate_own_attempt": wrong(users["classmate"]).pk,
    }


def _questions(world, other_course):
    """On a lesson: the classmate's question to everyone, with the outsider's answer; the student's own,
    with the classmate's answer; the classmate's to the course (the student reported it already); the
    outsider's to their course; a closed one."""
    users, lesson = world["users"], Lesson.objects.first()

    def ask(author, title, course=None):
        return Question.ask(author, Place.LESSON, lesson, title, "Why is it there?", course=course)

    public = ask(users["classmate"], "Why does the gap come before the aim?")
    student_question = ask(users["student"], "Is a hedge ever a move?")
    course_question = ask(users["classmate"], "A question to the class", course=world["course"])
    course_question.report(users["student"], "Off topic.")
    closed = ask(users["classmate"], "Closed: which tense for methods?")
    closed.set_closed(True)
    return {
        "public_question": public.pk,
        "public_answer": public.answer(users["outsider"], "Because the gap makes the aim needed.").pk,
        "student_question": student_question.pk,
        "answer_to_student": student_question.answer(users["classmate"], "When it softens a claim, no.").pk,
        "course_question": course_question.pk,
        "other_course_question": ask(users["outsider"], "To the other class", course=other_course).pk,
        "closed_question": closed.pk,
    }


def _objections(make, world):
    """Attempts with every sentence wrong, for the course, and objections: the student's wrong attempt is
    contested on its last sentence only (the endpoint contests the first); the classmate's, one rejected
    and one open; the outsider's, made on their own."""
    users, course, exercise = world["users"], world["course"], world["exercise"]

    def wrong(user, for_course=course):
        return make.attempt(make.learner(user), exercise, right=False, course=for_course)

    student_attempt = wrong(users["student"])
    last = student_attempt.answers.select_related("attempt").order_by("-sentence__position").first()
    Objection.objects.raise_for(last, REASON)
    decided = make.objection(wrong(users["classmate"]))
    course.reject_objection(decided, users["instructor"], "It is the method.")
    classmate_attempt = wrong(users["classmate"])
    return {
        "wrong_attempt": student_attempt.pk,
        "contested_sentence": last.sentence_id,
        "classmate_attempt": classmate_attempt.pk,
        "decided_objection": decided.pk,
        "course_objection": make.objection(classmate_attempt).pk,
        "self_study_objection": make.objection(wrong(users["outsider"], for_course=None)).pk,
    }


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


@pytest.mark.parametrize("case", [pytest.param(case, id=case.name) for case in CASES])
def test_hostile_request_is_refused_with_a_message_and_writes_nothing(case, world, record_property):
    record_property("status", case.status)  # the README's hostile-input table groups by it
    before = snapshot()
    response = send(case, world)
    assert response.status_code == case.status, (response.status_code, visible_text(response)[:300])
    if "html" in response.get("Content-Type", ""):
        assert case.message.lower() in visible_text(response).lower()
    assert snapshot() == before


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_the_form_behind_the_probes_is_accepted(endpoint, world):
    """The same browser, sending what the page sends, is let through: the refusals above are about the probes."""
    who, path, form = ENDPOINTS[endpoint]
    response = send(Case(endpoint, who, path, form), world)
    assert response.status_code == ACCEPTED.get(endpoint, 302), (response.status_code, visible_text(response)[:300])


def test_a_nul_byte_in_the_editors_plain_text_is_removed_not_saved(world):
    """The passage and the editor's text are plain text (`drafts.forms.PlainTextField`): a NUL byte is taken
    out, as every control character is, rather than refused as the fields above refuse it."""
    new = send(
        Case("new", "instructor", COURSE + "exercises/new/", passage(PASSAGE.replace("quickly", "quick\x00ly"))), world
    )
    assert new.status_code == 302
    created = CourseExercise.objects.filter(course=world["course"]).latest("pk")
    assert created.draft["sentences"][0]["text"].startswith("Machine translation has improved quickly")

    edit = send(Case("edit", "instructor", EDIT, editor_fields(title="Re\x00titled")), world)
    assert edit.status_code == 302
    assert (
        CourseExercise.objects.get(course=world["course"], slug=world["ids"]["own_draft"]).draft["title"] == "Retitled"
    )


def test_extra_fields_on_signup_grant_nothing(client):
    response = client.post(
        "/accounts/signup/",
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
    user = get_user_model().objects.get(username="newbie")
    assert not user.is_staff and not user.is_superuser and not user.groups.exists()


def test_a_refusal_page_carries_the_security_headers(world):
    response = send(next(case for case in CASES if case.name == "submit: bytes that are not UTF-8"), world)
    assert response.status_code == 400
    assert "Content-Security-Policy" in response and response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
