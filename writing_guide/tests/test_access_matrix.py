"""Who may read and change what: every URL and method of the app, for every role, in one table.

Each cell of EXPECTED is one test. A cell is the status the role must get, or LOGIN (a redirect
to the log-in page). After every refused write the database must be exactly as it was: nobody
changes what is not theirs, even by guessing another learner's, student's or course's id.

Roles:
- anonymous: no session at all.
- visitor: anonymous, but practising: the session holds a learner with an attempt (self-study).
- student: a student of the course.       - other_student: a student of another course only.
- instructor: created the course.         - co_instructor: added to the course as instructor.
- other_instructor: teaches another course only.

The objects the URLs name belong to someone who is not a role ("classmate", a student of the
course with an attempt; "newcomer", a user with no course), so a 200 means the role was let in
by its own standing, not because it owns the object. So do the objections to decide: the
classmate's, on an attempt made for the course (the course's queue); the newcomer's, on an attempt
made on their own (the content editors' queue, /objections/); another course's student's.

The content editor (the permissions of `settings.EDITOR_PERMISSIONS`, as `manage.py grant_editor`
gives them: deciding self-study objections and moderating questions; no course) is not a column:
EDITOR_CELLS gives them, on every row, what other_student gets, but where the permissions or
other_student's own course make a difference (EDITOR_DIFFERS).
"""

import re
from urllib.parse import urlencode

import pytest
from django.forms import BooleanField
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve

from courses import authoring
from courses.authoring_forms import EditorForm
from courses.models import CourseAttempt, CourseExercise, CourseScope
from courses.tests.authoring_support import published_exercise, written_draft
from drafts.models import Revision
from drafts.tagger import Tagged
from exercises.learners import SESSION_KEY
from exercises.management.commands.grant_editor import editor_permissions
from exercises.models import Attempt, Exercise
from lessons.models import Excerpt, Lesson, Move, Paper
from questions.models import Place, PostState, Question
from testing.factory import PASSWORD, Factory
from writing_guide.tests.rows import snapshot

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "visitor", "student", "other_student", "instructor", "co_instructor", "other_instructor")
LOGIN = "login"  # a 302 to the log-in page
EVERYONE_200 = (200,) * 7
EVERYONE_405 = (405,) * 7
MEMBERS_ONLY = (LOGIN, LOGIN, 200, 200, 200, 200, 200)
MEMBERS_405 = (LOGIN, LOGIN, 405, 405, 405, 405, 405)
MEMBERS_404 = (LOGIN, LOGIN, 404, 404, 404, 404, 404)

MEMBERS_403 = (LOGIN, LOGIN, 403, 403, 403, 403, 403)
MEMBERS_302 = (LOGIN, LOGIN, 302, 302, 302, 302, 302)

# fmt: off
# Questions and answers (issue 18). Asked by someone who is not a role, unless the name says whose:
# {public_question} the classmate's, to everyone, on {lesson}, with {public_answer} (newcomer's), {hidden_answer}
# (newcomer's, hidden) and {student_answer} (the student's own); {student_question} the student's own, to
# everyone, with {answer_to_student} (newcomer's); {course_question} the classmate's, to the course, with
# {course_answer}; {other_course_question} other_course's student's, to other_course, with {other_course_answer};
# {held_question} and {hidden_question} newcomer's, to everyone, waiting for review and hidden;
# {held_course_question} the classmate's, to the course, waiting for review. Moderation is the site's
# moderators' (the editor: EDITOR_DIFFERS) and, for a course's posts, the course's instructors'. A question
# one may not see is a 404 whatever one asks of it; one seen but not one's own to change, a 403.
QUESTIONS = {
    #                                                          anon    visitor  student  oth_st  instr  co_ins  oth_ins
    ("GET", "/questions/"):                                   EVERYONE_200,
    ("POST", "/questions/"):                                  EVERYONE_405,
    ("GET", "/questions/?q=zeugma"):                          EVERYONE_200,
    # A course filter names one of the reader's own courses, or it is a 404.
    ("GET", "/questions/?course={course}"):                   (404,    404,     200,     404,    200,   200,    404),
    ("GET", "/questions/?course={other_course}"):             (404,    404,     404,     200,    404,   404,    200),
    ("GET", "/questions/?course=no-such-course"):             (404,) * 7,
    ("GET", "/questions/on/lesson/{lesson}/"):                EVERYONE_200,
    ("POST", "/questions/on/lesson/{lesson}/"):               EVERYONE_405,
    ("GET", "/questions/on/excerpt/{excerpt}/"):              EVERYONE_200,
    ("GET", "/questions/on/exercise/{ex}/"):                  EVERYONE_200,
    ("GET", "/questions/on/paper/{paper}/"):                  (404,) * 7,
    ("GET", "/questions/on/lesson/no-such-lesson/"):          (404,) * 7,
    ("GET", "/questions/on/lesson/{lesson}/ask/"):            EVERYONE_405,
    # Asked to the course: only its members may (anyone signed in may ask everyone).
    ("POST", "/questions/on/lesson/{lesson}/ask/"):           (LOGIN,  LOGIN,   302,     400,    302,   302,    400),
    # On an exercise, after a first attempt at it (the visitor's needs an account first).
    ("POST", "/questions/on/exercise/{ex}/ask/"):             (LOGIN,  LOGIN,   302,     403,    403,   403,    403),
    ("POST", "/questions/on/lesson/no-such-lesson/ask/"):     (404,) * 7,
    ("GET", "/questions/{public_question}/"):                 EVERYONE_200,
    ("POST", "/questions/{public_question}/"):                EVERYONE_405,
    ("GET", "/questions/{course_question}/"):                 (404,    404,     200,     404,    200,   200,    404),
    ("GET", "/questions/{other_course_question}/"):           (404,    404,     404,     200,    404,   404,    200),
    ("GET", "/questions/{held_question}/"):                   (404,) * 7,
    ("GET", "/questions/{hidden_question}/"):                 (404,) * 7,
    # A course's instructors moderate its posts: they see them waiting.
    ("GET", "/questions/{held_course_question}/"):            (404,    404,     404,     404,    200,   200,    404),
    ("GET", "/questions/99999999/"):                          (404,) * 7,
    ("GET", "/questions/{public_question}/answer/"):          EVERYONE_405,
    ("POST", "/questions/{public_question}/answer/"):         MEMBERS_302,
    ("POST", "/questions/{course_question}/answer/"):         (LOGIN,  LOGIN,   302,     404,    302,   302,    404),
    ("POST", "/questions/{other_course_question}/answer/"):   (LOGIN,  LOGIN,   404,     302,    404,   404,    302),
    ("POST", "/questions/{held_question}/answer/"):           MEMBERS_404,
    ("POST", "/questions/{hidden_question}/answer/"):         MEMBERS_404,
    ("POST", "/questions/99999999/answer/"):                  MEMBERS_404,
    # The answer that helped: the asker marks it, or an instructor of the question's course.
    ("GET", "/questions/{public_question}/helpful/"):         MEMBERS_405,
    ("POST", "/questions/{public_question}/helpful/"):        MEMBERS_403,
    ("POST", "/questions/{student_question}/helpful/"):       (LOGIN,  LOGIN,   302,     403,    403,   403,    403),
    ("POST", "/questions/{course_question}/helpful/"):        (LOGIN,  LOGIN,   403,     404,    302,   302,    404),
    ("POST", "/questions/{other_course_question}/helpful/"):  (LOGIN,  LOGIN,   404,     403,    404,   404,    302),
    ("POST", "/questions/{held_question}/helpful/"):          MEMBERS_404,
    # Editing (GET is the form) and deleting (GET asks first): the author only.
    ("GET", "/questions/{student_question}/edit/"):           (LOGIN,  LOGIN,   200,     403,    403,   403,    403),
    ("POST", "/questions/{student_question}/edit/"):          (LOGIN,  LOGIN,   302,     403,    403,   403,    403),
    ("GET", "/questions/{public_question}/edit/"):            MEMBERS_403,
    ("POST", "/questions/{public_question}/edit/"):           MEMBERS_403,
    ("POST", "/questions/{course_question}/edit/"):           (LOGIN,  LOGIN,   403,     404,    403,   403,    404),
    ("POST", "/questions/{other_course_question}/edit/"):     (LOGIN,  LOGIN,   404,     403,    404,   404,    403),
    ("POST", "/questions/{held_question}/edit/"):             MEMBERS_404,
    ("POST", "/questions/{hidden_question}/edit/"):           MEMBERS_404,
    ("POST", "/questions/99999999/edit/"):                    MEMBERS_404,
    ("GET", "/questions/{student_question}/delete/"):         (LOGIN,  LOGIN,   200,     403,    403,   403,    403),
    ("POST", "/questions/{student_question}/delete/"):        (LOGIN,  LOGIN,   302,     403,    403,   403,    403),
    ("GET", "/questions/{public_question}/delete/"):          MEMBERS_403,
    ("POST", "/questions/{public_question}/delete/"):         MEMBERS_403,
    ("POST", "/questions/{course_question}/delete/"):         (LOGIN,  LOGIN,   403,     404,    403,   403,    404),
    ("POST", "/questions/{other_course_question}/delete/"):   (LOGIN,  LOGIN,   404,     403,    404,   404,    403),
    ("POST", "/questions/{held_question}/delete/"):           MEMBERS_404,
    ("POST", "/questions/{hidden_question}/delete/"):         MEMBERS_404,
    ("POST", "/questions/99999999/delete/"):                  MEMBERS_404,
    ("GET", "/questions/answers/{student_answer}/edit/"):     (LOGIN,  LOGIN,   200,     403,    403,   403,    403),
    ("POST", "/questions/answers/{student_answer}/edit/"):    (LOGIN,  LOGIN,   302,     403,    403,   403,    403),
    ("GET", "/questions/answers/{public_answer}/edit/"):      MEMBERS_403,
    ("POST", "/questions/answers/{public_answer}/edit/"):     MEMBERS_403,
    ("POST", "/questions/answers/{hidden_answer}/edit/"):     MEMBERS_404,
    ("POST", "/questions/answers/{course_answer}/edit/"):     (LOGIN,  LOGIN,   403,     404,    403,   403,    404),
    ("POST", "/questions/answers/{other_course_answer}/edit/"): (LOGIN, LOGIN,  404,     403,    404,   404,    403),
    ("POST", "/questions/answers/99999999/edit/"):            MEMBERS_404,
    ("GET", "/questions/answers/{student_answer}/delete/"):   (LOGIN,  LOGIN,   200,     403,    403,   403,    403),
    ("POST", "/questions/answers/{student_answer}/delete/"):  (LOGIN,  LOGIN,   302,     403,    403,   403,    403),
    ("GET", "/questions/answers/{public_answer}/delete/"):    MEMBERS_403,
    ("POST", "/questions/answers/{public_answer}/delete/"):   MEMBERS_403,
    ("POST", "/questions/answers/{hidden_answer}/delete/"):   MEMBERS_404,
    ("POST", "/questions/answers/{course_answer}/delete/"):   (LOGIN,  LOGIN,   403,     404,    403,   403,    404),
    ("POST", "/questions/answers/{other_course_answer}/delete/"): (LOGIN, LOGIN, 404,    403,    404,   404,    403),
    ("POST", "/questions/answers/99999999/delete/"):          MEMBERS_404,
    # Reporting: anyone who sees a post, but never their own (400, nothing written).
    ("GET", "/questions/{public_question}/report/"):          MEMBERS_405,
    ("POST", "/questions/{public_question}/report/"):         MEMBERS_302,
    ("POST", "/questions/{student_question}/report/"):        (LOGIN,  LOGIN,   400,     302,    302,   302,    302),
    ("POST", "/questions/{course_question}/report/"):         (LOGIN,  LOGIN,   302,     404,    302,   302,    404),
    ("POST", "/questions/{other_course_question}/report/"):   (LOGIN,  LOGIN,   404,     302,    404,   404,    302),
    ("POST", "/questions/{held_question}/report/"):           MEMBERS_404,
    ("POST", "/questions/{hidden_question}/report/"):         MEMBERS_404,
    ("POST", "/questions/99999999/report/"):                  MEMBERS_404,
    ("GET", "/questions/answers/{public_answer}/report/"):    MEMBERS_405,
    ("POST", "/questions/answers/{public_answer}/report/"):   MEMBERS_302,
    ("POST", "/questions/answers/{student_answer}/report/"):  (LOGIN,  LOGIN,   400,     302,    302,   302,    302),
    ("POST", "/questions/answers/{hidden_answer}/report/"):   MEMBERS_404,
    ("POST", "/questions/answers/{course_answer}/report/"):   (LOGIN,  LOGIN,   302,     404,    302,   302,    404),
    ("POST", "/questions/answers/{other_course_answer}/report/"): (LOGIN, LOGIN, 404,    302,    404,   404,    302),
    ("POST", "/questions/answers/99999999/report/"):          MEMBERS_404,
    # Hiding, showing (approving a held post, restoring a hidden one), pinning, closing: moderators.
    ("GET", "/questions/{public_question}/hide/"):            MEMBERS_405,
    ("POST", "/questions/{public_question}/hide/"):           MEMBERS_403,
    ("POST", "/questions/{course_question}/hide/"):           (LOGIN,  LOGIN,   403,     404,    302,   302,    404),
    ("POST", "/questions/{other_course_question}/hide/"):     (LOGIN,  LOGIN,   404,     403,    404,   404,    302),
    ("POST", "/questions/{held_question}/hide/"):             MEMBERS_404,
    ("POST", "/questions/{held_course_question}/hide/"):      (LOGIN,  LOGIN,   404,     404,    302,   302,    404),
    ("POST", "/questions/99999999/hide/"):                    MEMBERS_404,
    ("GET", "/questions/answers/{public_answer}/hide/"):      MEMBERS_405,
    ("POST", "/questions/answers/{public_answer}/hide/"):     MEMBERS_403,
    ("POST", "/questions/answers/{hidden_answer}/hide/"):     MEMBERS_404,
    ("POST", "/questions/answers/{course_answer}/hide/"):     (LOGIN,  LOGIN,   403,     404,    302,   302,    404),
    ("POST", "/questions/answers/{other_course_answer}/hide/"): (LOGIN, LOGIN,  404,     403,    404,   404,    302),
    ("POST", "/questions/answers/99999999/hide/"):            MEMBERS_404,
    ("GET", "/questions/{hidden_question}/show/"):            MEMBERS_405,
    ("POST", "/questions/{hidden_question}/show/"):           MEMBERS_404,
    ("POST", "/questions/{held_question}/show/"):             MEMBERS_404,
    ("POST", "/questions/{held_course_question}/show/"):      (LOGIN,  LOGIN,   404,     404,    302,   302,    404),
    ("POST", "/questions/{public_question}/show/"):           MEMBERS_403,
    ("POST", "/questions/{course_question}/show/"):           (LOGIN,  LOGIN,   403,     404,    302,   302,    404),
    ("POST", "/questions/{other_course_question}/show/"):     (LOGIN,  LOGIN,   404,     403,    404,   404,    302),
    ("GET", "/questions/answers/{hidden_answer}/show/"):      MEMBERS_405,
    ("POST", "/questions/answers/{hidden_answer}/show/"):     MEMBERS_404,
    ("POST", "/questions/answers/{public_answer}/show/"):     MEMBERS_403,
    ("POST", "/questions/answers/{course_answer}/show/"):     (LOGIN,  LOGIN,   403,     404,    302,   302,    404),
    ("POST", "/questions/answers/99999999/show/"):            MEMBERS_404,
    ("GET", "/questions/{public_question}/pin/"):             MEMBERS_405,
    ("POST", "/questions/{public_question}/pin/"):            MEMBERS_403,
    ("POST", "/questions/{course_question}/pin/"):            (LOGIN,  LOGIN,   403,     404,    302,   302,    404),
    ("POST", "/questions/{other_course_question}/pin/"):      (LOGIN,  LOGIN,   404,     403,    404,   404,    302),
    ("POST", "/questions/{hidden_question}/pin/"):            MEMBERS_404,
    ("POST", "/questions/99999999/pin/"):                     MEMBERS_404,
    ("GET", "/questions/{public_question}/close/"):           MEMBERS_405,
    ("POST", "/questions/{public_question}/close/"):          MEMBERS_403,
    ("POST", "/questions/{course_question}/close/"):          (LOGIN,  LOGIN,   403,     404,    302,   302,    404),
    ("POST", "/questions/{other_course_question}/close/"):    (LOGIN,  LOGIN,   404,     403,    404,   404,    302),
    ("POST", "/questions/{hidden_question}/close/"):          MEMBERS_404,
    ("POST", "/questions/99999999/close/"):                   MEMBERS_404,
    # The review queue is the site's moderators'; a course's questions page, its instructors'.
    ("GET", "/questions/review/"):                            MEMBERS_403,
    ("POST", "/questions/review/"):                           MEMBERS_405,
    ("GET", "/courses/{course}/questions/"):                  (LOGIN,  LOGIN,   404,     404,    200,   200,    404),
    ("POST", "/courses/{course}/questions/"):                 MEMBERS_405,
    ("GET", "/courses/{other_course}/questions/"):            (LOGIN,  LOGIN,   404,     404,    404,   404,    200),
    ("GET", "/courses/no-such-course/questions/"):            MEMBERS_404,
    # Each account's own choice: nobody else's to read or change.
    ("GET", "/questions/preferences/"):                       MEMBERS_ONLY,
    ("POST", "/questions/preferences/"):                      MEMBERS_302,
}
# fmt: on

# fmt: off
# A course's own exercises (issue 19). {own_ex}: published, of the course, with {student_own_attempt} and
# {classmate_own_attempt} (every sentence wrong, made for the course); {own_draft}: a draft of the course,
# never published, complete enough to publish; {other_own_ex}: published, of other_course. The editor
# (/exercises/new/, /import/, and /edit/, /preview/, /publish/, /delete/, /export.toml under /own/) is the
# course's instructors'; an exercise's pages, its members', once published (a draft's are a 404). To
# anyone else every page is a 404, so that whether the course or the exercise exists is not revealed.
TEACHERS_200 = (LOGIN, LOGIN, 404, 404, 200, 200, 404)
TEACHERS_302 = (LOGIN, LOGIN, 404, 404, 302, 302, 404)
COURSE_200 = (LOGIN, LOGIN, 200, 404, 200, 200, 404)
OTHER_TEACHER_200 = (LOGIN, LOGIN, 404, 404, 404, 404, 200)
OTHER_TEACHER_302 = (LOGIN, LOGIN, 404, 404, 404, 404, 302)
OTHER_COURSE_200 = (LOGIN, LOGIN, 404, 200, 404, 404, 200)
OWN = "/courses/{course}/own/"
OWN_EXERCISES = {
    #                                                          anon    visitor  student  oth_st  instr  co_ins  oth_ins
    ("GET", "/courses/{course}/exercises/new/"):              TEACHERS_200,
    ("POST", "/courses/{course}/exercises/new/"):             TEACHERS_302,
    ("GET", "/courses/{other_course}/exercises/new/"):        OTHER_TEACHER_200,
    ("POST", "/courses/{other_course}/exercises/new/"):       OTHER_TEACHER_302,
    ("POST", "/courses/no-such-course/exercises/new/"):       MEMBERS_404,
    ("GET", "/courses/{course}/exercises/import/"):           TEACHERS_200,
    ("POST", "/courses/{course}/exercises/import/"):          TEACHERS_302,
    ("POST", "/courses/{other_course}/exercises/import/"):    OTHER_TEACHER_302,
    ("POST", "/courses/no-such-course/exercises/import/"):    MEMBERS_404,
    # The list: students see the published ones, instructors the drafts too.
    ("GET", OWN):                                             COURSE_200,
    ("POST", OWN):                                            MEMBERS_405,
    ("GET", "/courses/{other_course}/own/"):                  OTHER_COURSE_200,
    ("GET", "/courses/no-such-course/own/"):                  MEMBERS_404,
    # An exercise's pages: a published exercise of this course, through this course only.
    ("GET", OWN + "{own_ex}/"):                               COURSE_200,
    ("POST", OWN + "{own_ex}/"):                              MEMBERS_405,
    ("GET", OWN + "{own_draft}/"):                            MEMBERS_404,
    ("GET", OWN + "{other_own_ex}/"):                         MEMBERS_404,
    ("GET", "/courses/{other_course}/own/{other_own_ex}/"):   OTHER_COURSE_200,
    ("GET", "/courses/{other_course}/own/{own_ex}/"):         MEMBERS_404,
    # The guide's exercises are not the course's own.
    ("GET", OWN + "{ex}/"):                                   MEMBERS_404,
    ("GET", OWN + "no-such-exercise/"):                       MEMBERS_404,
    ("GET", OWN + "{own_ex}/submit/"):                        MEMBERS_405,
    ("POST", OWN + "{own_ex}/submit/"):                       (LOGIN,  LOGIN,   302,     404,    302,   302,    404),
    ("POST", OWN + "{own_draft}/submit/"):                    MEMBERS_404,
    ("POST", OWN + "{other_own_ex}/submit/"):                 MEMBERS_404,
    ("POST", "/courses/{other_course}/own/{other_own_ex}/submit/"): (LOGIN, LOGIN, 404, 302,  404,   404,    302),
    # An attempt is its learner's alone, as on the guide's exercises.
    ("GET", OWN + "{own_ex}/attempts/{student_own_attempt}/"): (LOGIN, LOGIN,   200,     404,    404,   404,    404),
    ("POST", OWN + "{own_ex}/attempts/{student_own_attempt}/"): MEMBERS_405,
    ("GET", OWN + "{own_ex}/attempts/{classmate_own_attempt}/"): MEMBERS_404,
    ("GET", OWN + "{own_ex}/attempts/{student_attempt}/"):    MEMBERS_404,
    ("GET", OWN + "{other_own_ex}/attempts/{student_own_attempt}/"): MEMBERS_404,
    ("GET", OWN + "{own_draft}/attempts/{student_own_attempt}/"): MEMBERS_404,
    ("GET", OWN + "{own_ex}/attempts/99999999/"):             MEMBERS_404,
    ("GET", OWN + "{own_ex}/attempts/{student_own_attempt}/objections/"): MEMBERS_405,
    ("POST", OWN + "{own_ex}/attempts/{student_own_attempt}/objections/"): (LOGIN, LOGIN, 302, 404, 404, 404, 404),
    ("POST", OWN + "{own_ex}/attempts/{classmate_own_attempt}/objections/"): MEMBERS_404,
    ("POST", OWN + "{other_own_ex}/attempts/{student_own_attempt}/objections/"): MEMBERS_404,
    ("POST", OWN + "{own_ex}/attempts/99999999/objections/"): MEMBERS_404,
    # How the class labelled it: the instructors'.
    ("GET", OWN + "{own_ex}/results/"):                       TEACHERS_200,
    ("POST", OWN + "{own_ex}/results/"):                      MEMBERS_405,
    ("GET", OWN + "{own_draft}/results/"):                    MEMBERS_404,
    ("GET", OWN + "{other_own_ex}/results/"):                 MEMBERS_404,
    ("GET", "/courses/{other_course}/own/{other_own_ex}/results/"): OTHER_TEACHER_200,
    # The editor: a published exercise's draft is edited too (the next revision); another course's, never.
    ("GET", OWN + "{own_ex}/edit/"):                          TEACHERS_200,
    ("POST", OWN + "{own_ex}/edit/"):                         TEACHERS_302,
    ("GET", OWN + "{own_draft}/edit/"):                       TEACHERS_200,
    ("POST", OWN + "{own_draft}/edit/"):                      TEACHERS_302,
    ("GET", OWN + "{other_own_ex}/edit/"):                    MEMBERS_404,
    ("POST", OWN + "{other_own_ex}/edit/"):                   MEMBERS_404,
    ("POST", "/courses/{other_course}/own/{own_draft}/edit/"): MEMBERS_404,
    ("GET", OWN + "no-such-exercise/edit/"):                  MEMBERS_404,
    # A preview posts the labels chosen and shows the feedback (200): it records nothing (see test_access).
    ("GET", OWN + "{own_ex}/preview/"):                       TEACHERS_200,
    ("GET", OWN + "{own_draft}/preview/"):                    TEACHERS_200,
    ("POST", OWN + "{own_draft}/preview/"):                   TEACHERS_200,
    ("GET", OWN + "{other_own_ex}/preview/"):                 MEMBERS_404,
    ("POST", OWN + "{other_own_ex}/preview/"):                MEMBERS_404,
    ("GET", OWN + "{own_draft}/publish/"):                    MEMBERS_405,
    ("POST", OWN + "{own_draft}/publish/"):                   TEACHERS_302,
    # Published already and unchanged: the same revision, said so.
    ("POST", OWN + "{own_ex}/publish/"):                      TEACHERS_302,
    ("POST", OWN + "{other_own_ex}/publish/"):                MEMBERS_404,
    ("POST", "/courses/{other_course}/own/{own_draft}/publish/"): MEMBERS_404,
    # Deleting asks first (GET); only a draft never published is deleted.
    ("GET", OWN + "{own_draft}/delete/"):                     TEACHERS_200,
    ("POST", OWN + "{own_draft}/delete/"):                    TEACHERS_302,
    ("GET", OWN + "{own_ex}/delete/"):                        TEACHERS_200,
    ("POST", OWN + "{own_ex}/delete/"):                       (LOGIN,  LOGIN,   404,     404,    400,   400,    404),
    ("GET", OWN + "{other_own_ex}/delete/"):                  MEMBERS_404,
    ("POST", OWN + "{other_own_ex}/delete/"):                 MEMBERS_404,
    ("GET", OWN + "{own_ex}/export.toml"):                    TEACHERS_200,
    ("GET", OWN + "{own_draft}/export.toml"):                 TEACHERS_200,
    ("POST", OWN + "{own_ex}/export.toml"):                   MEMBERS_405,
    ("GET", OWN + "{other_own_ex}/export.toml"):              MEMBERS_404,
    ("GET", "/courses/{other_course}/own/{other_own_ex}/export.toml"): OTHER_TEACHER_200,
}
# fmt: on

# fmt: off
# Placeholders: {ex} an exercise, {course} the course, {other_course} a course only the other_*
# roles belong to, {code} the course's join code, {classmate} a student of the course,
# {student}/{other_student}/{newcomer} user ids, {*_attempt} attempt ids of their owner,
# {*_inv} invitations to teach: the course's to newcomer, student, other_instructor and a name no
# account has (ghost); other_course's to newcomer (elsewhere). {student_wrong_attempt}, {classmate_wrong_attempt}:
# attempts with every sentence wrong, made for the course (the student's has no objection yet). Objections:
# {course_objection} (open) and {decided_objection} (rejected) by the classmate, {self_study_objection} by
# newcomer, {other_objection} by a student of other_course; the attempts posted to are contested on
# the exercise's first sentence.
EXPECTED = {
    #                                                          anon    visitor  student  oth_st  instr  co_ins  oth_ins
    ("GET", "/healthz"):                                      EVERYONE_200,
    ("POST", "/healthz"):                                     EVERYONE_405,
    ("GET", "/readyz"):                                       EVERYONE_200,
    ("POST", "/readyz"):                                      EVERYONE_405,
    ("GET", "/"):                                             EVERYONE_200,
    ("POST", "/"):                                            EVERYONE_405,
    ("GET", "/lessons/"):                                     EVERYONE_200,
    ("POST", "/lessons/"):                                    EVERYONE_405,
    ("GET", "/lessons/{lesson}/"):                            EVERYONE_200,
    ("POST", "/lessons/{lesson}/"):                           EVERYONE_405,
    ("GET", "/lessons/no-such-lesson/"):                      (404,) * 7,
    ("GET", "/papers/"):                                      EVERYONE_200,
    ("POST", "/papers/"):                                     EVERYONE_405,
    ("GET", "/papers/compare/"):                              EVERYONE_200,
    ("POST", "/papers/compare/"):                             EVERYONE_405,
    ("GET", "/papers/{paper}/"):                              EVERYONE_200,
    ("POST", "/papers/{paper}/"):                             EVERYONE_405,
    ("GET", "/exercises/"):                                   EVERYONE_200,
    ("POST", "/exercises/"):                                  EVERYONE_405,
    ("GET", "/exercises/{ex}/"):                              EVERYONE_200,
    ("POST", "/exercises/{ex}/"):                             EVERYONE_405,
    ("GET", "/exercises/{ex}/submit/"):                       EVERYONE_405,
    ("POST", "/exercises/{ex}/submit/"):                      (302,) * 7,
    # `for` names a course: a page for anyone, recorded for the course only for its students (see below).
    ("GET", "/exercises/{ex}/?for={course}"):                 EVERYONE_200,
    ("GET", "/exercises/{ex}/?for={other_course}"):           EVERYONE_200,
    ("GET", "/exercises/{ex}/?for=no-such-course"):           EVERYONE_200,
    ("GET", "/exercises/{ex}/?for=nul%00byte"):               EVERYONE_200,
    ("POST", "/exercises/no-such-exercise/submit/"):          (404,) * 7,
    # An attempt page shows only its learner's own attempt: instructors read attempts on course pages.
    ("GET", "/exercises/{ex}/attempts/{visitor_attempt}/"):   (404,    200,     404,     404,    404,   404,    404),
    ("GET", "/exercises/{ex}/attempts/{student_attempt}/"):   (404,    404,     200,     404,    404,   404,    404),
    ("GET", "/exercises/{ex}/attempts/{classmate_attempt}/"): (404,) * 7,
    ("GET", "/exercises/{other_ex}/attempts/{student_attempt}/"): (404,) * 7,
    ("POST", "/exercises/{ex}/attempts/{student_attempt}/"):  EVERYONE_405,
    # Contesting a label: only the attempt's own learner, signed in, on a wrong answer (student_attempt is all right).
    ("GET", "/exercises/{ex}/attempts/{student_wrong_attempt}/objections/"): EVERYONE_405,
    ("POST", "/exercises/{ex}/attempts/{student_wrong_attempt}/objections/"): (LOGIN, LOGIN, 302, 404, 404, 404, 404),
    ("POST", "/exercises/{ex}/attempts/{student_attempt}/objections/"): (LOGIN, LOGIN, 400, 404, 404, 404, 404),
    # The visitor's own attempt: contesting needs an account, so log in first.
    ("POST", "/exercises/{ex}/attempts/{visitor_attempt}/objections/"): MEMBERS_404,
    # A classmate's attempt id, guessed: 404, nothing written.
    ("POST", "/exercises/{ex}/attempts/{classmate_wrong_attempt}/objections/"): MEMBERS_404,
    ("POST", "/exercises/{other_ex}/attempts/{student_wrong_attempt}/objections/"): MEMBERS_404,
    ("POST", "/exercises/{ex}/attempts/99999999/objections/"): MEMBERS_404,
    ("GET", "/progress/"):                                    EVERYONE_200,
    ("POST", "/progress/"):                                   EVERYONE_405,
    # A draft (/write/...) is read and changed only by its own learner, as an attempt is: instructors
    # will read students' drafts on course pages. {*_draft} draft ids of their owner, one revision each.
    ("GET", "/write/"):                                       EVERYONE_200,
    ("POST", "/write/"):                                      (302,) * 7,
    ("GET", "/write/{visitor_draft}/"):                       (404,    200,     404,     404,    404,   404,    404),
    ("GET", "/write/{student_draft}/"):                       (404,    404,     200,     404,    404,   404,    404),
    ("GET", "/write/{classmate_draft}/"):                     (404,) * 7,
    ("GET", "/write/99999999/"):                              (404,) * 7,
    ("POST", "/write/{student_draft}/"):                      EVERYONE_405,
    ("GET", "/write/{student_draft}/check/"):                 EVERYONE_405,
    ("POST", "/write/{visitor_draft}/check/"):                (404,    302,     404,     404,    404,   404,    404),
    ("POST", "/write/{student_draft}/check/"):                (404,    404,     302,     404,    404,   404,    404),
    ("POST", "/write/{classmate_draft}/check/"):              (404,) * 7,
    ("GET", "/write/{student_draft}/revisions/1/"):           (404,    404,     200,     404,    404,   404,    404),
    ("GET", "/write/{student_draft}/revisions/2/"):           (404,) * 7,
    ("GET", "/write/{classmate_draft}/revisions/1/"):         (404,) * 7,
    ("POST", "/write/{student_draft}/revisions/1/"):          EVERYONE_405,
    ("GET", "/write/{student_draft}/revisions/1/sentences/1/intent/"): EVERYONE_405,
    ("POST", "/write/{student_draft}/revisions/1/sentences/1/intent/"): (404, 404, 302,  404,    404,   404,    404),
    ("POST", "/write/{classmate_draft}/revisions/1/sentences/1/intent/"): (404,) * 7,
    ("GET", "/write/{student_draft}/rename/"):                EVERYONE_405,
    ("POST", "/write/{student_draft}/rename/"):               (404,    404,     302,     404,    404,   404,    404),
    ("POST", "/write/{classmate_draft}/rename/"):             (404,) * 7,
    ("GET", "/write/{student_draft}/delete/"):                (404,    404,     200,     404,    404,   404,    404),
    ("GET", "/write/{classmate_draft}/delete/"):              (404,) * 7,
    ("POST", "/write/{visitor_draft}/delete/"):               (404,    302,     404,     404,    404,   404,    404),
    ("POST", "/write/{student_draft}/delete/"):               (404,    404,     302,     404,    404,   404,    404),
    ("POST", "/write/{classmate_draft}/delete/"):             (404,) * 7,
    ("GET", "/accounts/signup/"):                             EVERYONE_200,
    ("POST", "/accounts/signup/"):                            (302,) * 7,
    ("GET", "/accounts/login/"):                              EVERYONE_200,
    ("POST", "/accounts/login/"):                             (302,) * 7,
    ("GET", "/accounts/logout/"):                             EVERYONE_405,
    ("POST", "/accounts/logout/"):                            (302,) * 7,
    ("GET", "/accounts/password/"):                           MEMBERS_ONLY,
    ("POST", "/accounts/password/"):                          (LOGIN,  LOGIN,   302,     302,    302,   302,    302),
    ("GET", "/accounts/"):                                    MEMBERS_ONLY,
    ("POST", "/accounts/"):                                   (LOGIN,  LOGIN,   302,     302,    302,   302,    302),
    # Password reset is for people who cannot log in, so it is open to everyone, as are its answers.
    ("GET", "/accounts/password/reset/"):                     EVERYONE_200,
    ("POST", "/accounts/password/reset/"):                    (302,) * 7,
    ("GET", "/accounts/password/reset/sent/"):                EVERYONE_200,
    ("POST", "/accounts/password/reset/sent/"):               EVERYONE_405,
    ("GET", "/accounts/password/reset/MQ/not-a-token/"):      EVERYONE_200,
    ("POST", "/accounts/password/reset/MQ/not-a-token/"):     EVERYONE_200,
    ("GET", "/accounts/password/reset/done/"):                EVERYONE_200,
    ("POST", "/accounts/password/reset/done/"):               EVERYONE_405,
    # Where log-in leads: a page picked by role (see courses/tests/test_landing.py), so a redirect for every account.
    ("GET", "/start/"):                                       (LOGIN,  LOGIN,   302,     302,    302,   302,    302),
    ("POST", "/start/"):                                      MEMBERS_405,
    ("GET", "/courses/"):                                     MEMBERS_ONLY,
    ("POST", "/courses/"):                                    MEMBERS_405,
    ("GET", "/courses/new/"):                                 MEMBERS_ONLY,
    ("POST", "/courses/new/"):                                (LOGIN,  LOGIN,   302,     302,    302,   302,    302),
    # A join code is open to everyone: logged out, the right code leads to its join link, which names
    # the course and offers to log in or sign up (joining itself still needs an account).
    ("GET", "/courses/join/"):                                EVERYONE_200,
    ("POST", "/courses/join/"):                               (302,) * 7,
    ("GET", "/courses/join/{code}/"):                         EVERYONE_200,
    ("POST", "/courses/join/{code}/"):                        (LOGIN,  LOGIN,   302,     302,    302,   302,    302),
    ("GET", "/courses/join/WRONGCODE2/"):                     (404,) * 7,
    ("POST", "/courses/join/WRONGCODE2/"):                    (LOGIN,  LOGIN,   404,     404,    404,   404,    404),
    ("GET", "/courses/{course}/"):                            (LOGIN,  LOGIN,   200,     404,    200,   200,    404),
    ("POST", "/courses/{course}/"):                           (LOGIN,  LOGIN,   405,     405,    405,   405,    405),
    ("GET", "/courses/{other_course}/"):                      (LOGIN,  LOGIN,   404,     200,    404,   404,    200),
    ("GET", "/courses/no-such-course/"):                      (LOGIN,  LOGIN,   404,     404,    404,   404,    404),
    # "Make a new code" asks first: GET is the confirmation page, POST makes the code.
    ("GET", "/courses/{course}/code/"):                       (LOGIN,  LOGIN,   404,     404,    200,   200,    404),
    ("GET", "/courses/{other_course}/code/"):                 (LOGIN,  LOGIN,   404,     404,    404,   404,    200),
    ("POST", "/courses/{course}/code/"):                      (LOGIN,  LOGIN,   404,     404,    302,   302,    404),
    ("POST", "/courses/{other_course}/code/"):                (LOGIN,  LOGIN,   404,     404,    404,   404,    302),
    ("GET", "/courses/{course}/instructors/"):                (LOGIN,  LOGIN,   405,     405,    405,   405,    405),
    ("POST", "/courses/{course}/instructors/"):               (LOGIN,  LOGIN,   404,     404,    302,   302,    404),
    # Invitations to teach: only the invitee answers one (POST), only the course's instructors withdraw
    # one (GET asks first). Someone else's invitation, or one through another course, is 404.
    ("GET", "/courses/invitations/{newcomer_inv}/accept/"): MEMBERS_405,
    ("POST", "/courses/invitations/{newcomer_inv}/accept/"): (LOGIN, LOGIN, 404,  404,    404,   404,    404),
    ("POST", "/courses/invitations/{student_inv}/accept/"): (LOGIN, LOGIN, 302,   404,    404,   404,    404),
    ("POST", "/courses/invitations/{other_instructor_inv}/accept/"): (LOGIN, LOGIN, 404, 404, 404, 404, 302),
    ("POST", "/courses/invitations/99999999/accept/"):        (LOGIN,  LOGIN,   404,     404,    404,   404,    404),
    ("GET", "/courses/invitations/{newcomer_inv}/decline/"): MEMBERS_405,
    ("POST", "/courses/invitations/{newcomer_inv}/decline/"): (LOGIN, LOGIN, 404, 404,    404,   404,    404),
    ("POST", "/courses/invitations/{student_inv}/decline/"): (LOGIN, LOGIN, 302,  404,    404,   404,    404),
    ("POST", "/courses/invitations/{other_instructor_inv}/decline/"): (LOGIN, LOGIN, 404, 404, 404, 404, 302),
    ("GET", "/courses/{course}/invitations/{newcomer_inv}/withdraw/"): (LOGIN, LOGIN, 404, 404, 200, 200, 404),
    ("POST", "/courses/{course}/invitations/{newcomer_inv}/withdraw/"): (LOGIN, LOGIN, 404, 404, 302, 302, 404),
    ("GET", "/courses/{course}/invitations/{ghost_inv}/withdraw/"): (LOGIN, LOGIN, 404, 404, 200, 200, 404),
    ("POST", "/courses/{course}/invitations/{ghost_inv}/withdraw/"): (LOGIN, LOGIN, 404, 404, 302, 302, 404),
    ("GET", "/courses/{course}/invitations/{elsewhere_inv}/withdraw/"): (LOGIN, LOGIN, 404, 404, 404, 404, 404),
    ("POST", "/courses/{course}/invitations/{elsewhere_inv}/withdraw/"): (LOGIN, LOGIN, 404, 404, 404, 404, 404),
    ("GET", "/courses/{other_course}/invitations/{elsewhere_inv}/withdraw/"): (LOGIN, LOGIN, 404, 404, 404, 404, 200),
    ("POST", "/courses/{course}/invitations/99999999/withdraw/"): (LOGIN, LOGIN,  404,     404,    404,   404,    404),
    ("GET", "/courses/{course}/assignments/"):                (LOGIN,  LOGIN,   404,     404,    200,   200,    404),
    ("POST", "/courses/{course}/assignments/"):               (LOGIN,  LOGIN,   404,     404,    302,   302,    404),
    ("GET", "/courses/{course}/exercises/{ex}/"):             (LOGIN,  LOGIN,   404,     404,    200,   200,    404),
    ("POST", "/courses/{course}/exercises/{ex}/"):            (LOGIN,  LOGIN,   405,     405,    405,   405,    405),
    ("GET", "/courses/{course}/exercises/no-such-exercise/"): (LOGIN,  LOGIN,   404,     404,    404,   404,    404),
    ("GET", "/courses/{course}/exercises/{ex}/?attempts=best"): (LOGIN, LOGIN,  404,     404,    200,   200,    404),
    ("GET", "/courses/{course}/exercises/{ex}/?attempts=all"): (LOGIN, LOGIN,   404,     404,    200,   200,    404),
    ("GET", "/courses/{course}/exercises/{ex}/?attempts=most"): (LOGIN, LOGIN,  404,     404,    400,   400,    404),
    # A student may read their own page of a course, never a classmate's.
    ("GET", "/courses/{course}/students/{classmate}/"):       (LOGIN,  LOGIN,   404,     404,    200,   200,    404),
    ("GET", "/courses/{course}/students/{student}/"):         (LOGIN,  LOGIN,   200,     404,    200,   200,    404),
    ("GET", "/courses/{course}/students/{other_student}/"):   (LOGIN,  LOGIN,   404,     404,    404,   404,    404),
    ("GET", "/courses/{course}/students/{newcomer}/"):        (LOGIN,  LOGIN,   404,     404,    404,   404,    404),
    ("GET", "/courses/{other_course}/students/{other_student}/"): (LOGIN, LOGIN, 404,    200,    404,   404,    200),
    ("POST", "/courses/{course}/students/{classmate}/"):      (LOGIN,  LOGIN,   405,     405,    405,   405,    405),
    # Removing asks first: GET is the confirmation page (for a student of the course only).
    ("GET", "/courses/{course}/students/{classmate}/remove/"): (LOGIN, LOGIN,   404,     404,    200,   200,    404),
    ("GET", "/courses/{course}/students/{other_student}/remove/"): (LOGIN, LOGIN, 404,   404,    404,   404,    404),
    ("GET", "/courses/{course}/students/{co_instructor}/remove/"): (LOGIN, LOGIN, 404,   404,    404,   404,    404),
    ("POST", "/courses/{course}/students/{classmate}/remove/"): (LOGIN, LOGIN,  404,     404,    302,   302,    404),
    # Removing, through one's own course, a student of another course changes nothing.
    ("POST", "/courses/{course}/students/{other_student}/remove/"): (LOGIN, LOGIN, 404,  404,    404,   404,    404),
    ("POST", "/courses/{course}/students/{co_instructor}/remove/"): (LOGIN, LOGIN, 404,  404,    404,   404,    404),
    ("POST", "/courses/{course}/students/99999999/remove/"):  (LOGIN,  LOGIN,   404,     404,    404,   404,    404),
    ("GET", "/courses/{course}/export/progress.csv"):         (LOGIN,  LOGIN,   404,     404,    200,   200,    404),
    ("POST", "/courses/{course}/export/progress.csv"):        (LOGIN,  LOGIN,   405,     405,    405,   405,    405),
    ("GET", "/courses/{course}/export/answers.csv"):          (LOGIN,  LOGIN,   404,     404,    200,   200,    404),
    ("POST", "/courses/{course}/export/answers.csv"):         (LOGIN,  LOGIN,   405,     405,    405,   405,    405),
    ("GET", "/courses/{other_course}/export/answers.csv"):    (LOGIN,  LOGIN,   404,     404,    404,   404,    200),
    # A course's objections: its instructors read and decide them, through this course only.
    ("GET", "/courses/{course}/objections/"):                 (LOGIN,  LOGIN,   404,     404,    200,   200,    404),
    ("POST", "/courses/{course}/objections/"):                MEMBERS_405,
    ("GET", "/courses/{other_course}/objections/"):           (LOGIN,  LOGIN,   404,     404,    404,   404,    200),
    ("GET", "/courses/{course}/objections/{course_objection}/decide/"): MEMBERS_405,
    ("POST", "/courses/{course}/objections/{course_objection}/decide/"): (LOGIN, LOGIN, 404, 404, 302, 302, 404),
    # Decided already: refused, nothing written.
    ("POST", "/courses/{course}/objections/{decided_objection}/decide/"): (LOGIN, LOGIN, 404, 404, 400, 400, 404),
    # Another course's objection, or a self-study one, through this course; this course's through another.
    ("POST", "/courses/{course}/objections/{other_objection}/decide/"): MEMBERS_404,
    ("POST", "/courses/{course}/objections/{self_study_objection}/decide/"): MEMBERS_404,
    ("POST", "/courses/{other_course}/objections/{course_objection}/decide/"): MEMBERS_404,
    ("POST", "/courses/{other_course}/objections/{other_objection}/decide/"): (LOGIN, LOGIN, 404, 404, 404, 404, 302),
    ("POST", "/courses/{course}/objections/99999999/decide/"): MEMBERS_404,
    # Self-study objections: the content editors only (EDITOR_DIFFERS); for anyone else a 403 page that
    # says where a course's objections are decided, whatever the objection.
    ("GET", "/objections/"):                                  (LOGIN,  LOGIN,   403,     403,    403,   403,    403),
    ("POST", "/objections/"):                                 (LOGIN,  LOGIN,   403,     403,    403,   403,    403),
    ("GET", "/objections/{self_study_objection}/decide/"):    (LOGIN,  LOGIN,   403,     403,    403,   403,    403),
    ("POST", "/objections/{self_study_objection}/decide/"):   (LOGIN,  LOGIN,   403,     403,    403,   403,    403),
    ("POST", "/objections/{course_objection}/decide/"):       (LOGIN,  LOGIN,   403,     403,    403,   403,    403),
    ("POST", "/objections/99999999/decide/"):                 (LOGIN,  LOGIN,   403,     403,    403,   403,    403),
    **QUESTIONS,
    **OWN_EXERCISES,
}
# fmt: on

# What the content editor gets where it differs from other_student's cell: other_student's own course
# and page, and the self-study queue, which the permission opens (and nothing else: not a course's).
EDITOR_DIFFERS = {
    ("GET", "/courses/{other_course}/"): 404,
    ("GET", "/courses/{other_course}/students/{other_student}/"): 404,
    ("GET", "/objections/"): 200,
    ("POST", "/objections/"): 405,
    ("GET", "/objections/{self_study_objection}/decide/"): 405,
    ("POST", "/objections/{self_study_objection}/decide/"): 302,
    # A course's objection is its instructors' to decide, not the editors'.
    ("POST", "/objections/{course_objection}/decide/"): 404,
    ("POST", "/objections/99999999/decide/"): 404,
    # Questions: the editor moderates every question and answer asked to everyone, in every state, and
    # none of a course's (other_student's course is not theirs, nor any other).
    ("GET", "/questions/?course={other_course}"): 404,
    ("GET", "/questions/{other_course_question}/"): 404,
    ("GET", "/questions/{held_question}/"): 200,
    ("GET", "/questions/{hidden_question}/"): 200,
    ("POST", "/questions/{other_course_question}/answer/"): 404,
    ("POST", "/questions/{held_question}/answer/"): 302,
    ("POST", "/questions/{hidden_question}/answer/"): 302,
    ("POST", "/questions/{other_course_question}/helpful/"): 404,
    ("POST", "/questions/{held_question}/helpful/"): 403,
    ("POST", "/questions/{other_course_question}/edit/"): 404,
    ("POST", "/questions/{held_question}/edit/"): 403,
    ("POST", "/questions/{hidden_question}/edit/"): 403,
    ("POST", "/questions/{other_course_question}/delete/"): 404,
    ("POST", "/questions/{held_question}/delete/"): 403,
    ("POST", "/questions/{hidden_question}/delete/"): 403,
    ("POST", "/questions/answers/{hidden_answer}/edit/"): 403,
    ("POST", "/questions/answers/{other_course_answer}/edit/"): 404,
    ("POST", "/questions/answers/{hidden_answer}/delete/"): 403,
    ("POST", "/questions/answers/{other_course_answer}/delete/"): 404,
    ("POST", "/questions/{other_course_question}/report/"): 404,
    # Moderators have a held or hidden post already: a report of it is refused, nothing written.
    ("POST", "/questions/{held_question}/report/"): 400,
    ("POST", "/questions/{hidden_question}/report/"): 400,
    ("POST", "/questions/answers/{hidden_answer}/report/"): 400,
    ("POST", "/questions/answers/{other_course_answer}/report/"): 404,
    ("POST", "/questions/{public_question}/hide/"): 302,
    ("POST", "/questions/{other_course_question}/hide/"): 404,
    ("POST", "/questions/{held_question}/hide/"): 302,
    ("POST", "/questions/answers/{public_answer}/hide/"): 302,
    ("POST", "/questions/answers/{hidden_answer}/hide/"): 302,
    ("POST", "/questions/answers/{other_course_answer}/hide/"): 404,
    ("POST", "/questions/{hidden_question}/show/"): 302,
    ("POST", "/questions/{held_question}/show/"): 302,
    ("POST", "/questions/{public_question}/show/"): 302,
    ("POST", "/questions/{other_course_question}/show/"): 404,
    ("POST", "/questions/answers/{hidden_answer}/show/"): 302,
    ("POST", "/questions/answers/{public_answer}/show/"): 302,
    ("POST", "/questions/{public_question}/pin/"): 302,
    ("POST", "/questions/{other_course_question}/pin/"): 404,
    ("POST", "/questions/{hidden_question}/pin/"): 302,
    ("POST", "/questions/{public_question}/close/"): 302,
    ("POST", "/questions/{other_course_question}/close/"): 404,
    ("POST", "/questions/{hidden_question}/close/"): 302,
    ("GET", "/questions/review/"): 200,
    # A course's own exercises: other_student's course's pages are not the editor's.
    ("GET", "/courses/{other_course}/own/"): 404,
    ("GET", "/courses/{other_course}/own/{other_own_ex}/"): 404,
    ("POST", "/courses/{other_course}/own/{other_own_ex}/submit/"): 404,
}
OTHER_STUDENT = ROLES.index("other_student")
EDITOR_CELLS = [
    (method, url, "editor", EDITOR_DIFFERS.get((method, url), row[OTHER_STUDENT]))
    for (method, url), row in EXPECTED.items()
]
CELLS = [
    (method, url, role, row[i]) for (method, url), row in EXPECTED.items() for i, role in enumerate(ROLES)
] + EDITOR_CELLS
SUCCESS = {200, 302}
# Forms that succeed without writing: a preview grades the labels chosen, and records nothing.
WRITES_NOTHING = ("/preview/",)
NOT_A_COURSE_PAGE = ("/courses/new/", "/courses/join/")


def test_the_table_has_a_status_for_every_role_of_every_row():
    assert all(len(row) == len(ROLES) for row in EXPECTED.values())


def test_every_difference_of_the_editor_names_a_row():
    assert set(EDITOR_DIFFERS) <= set(EXPECTED)


def _route_names(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _route_names(pattern.url_patterns)
        else:
            yield pattern.name


def test_every_route_of_the_site_has_a_row_for_get_and_for_post():
    """A new URL gets its rows here: each route, read and written (where it refuses one, the 405 is its row)."""
    rows = {(method, resolve(re.sub(r"\{\w+\}", "1", url.split("?")[0])).url_name) for method, url in EXPECTED}
    routes = {(method, name) for name in _route_names(get_resolver().url_patterns) for method in ("GET", "POST")}
    assert routes - rows == set()


@pytest.fixture(scope="module")
def world(module_rows):
    """Built once for the module (see testing/shared_rows.py); each test's writes are rolled back to it."""
    with module_rows():
        return _world(Factory())


def _world(make):
    """Two courses, their members, one attempt each for the visitor, the student and a classmate, and
    objections to decide in the course, in the other course and on one's own."""
    users = {name: make.user(name.replace("_", "-")) for name in ROLES[2:]}
    users["editor"] = make.user("editor")
    users["editor"].user_permissions.add(*(permission for _, permission in editor_permissions()))
    classmate, newcomer, other_classmate = make.user("classmate"), make.user("newcomer"), make.user("other-classmate")
    course = make.course(users["instructor"], "Writing 101")
    other_course = make.course(users["other_instructor"], "Writing 202")
    course.add_instructor(users["co_instructor"])
    course.join(users["student"])
    course.join(classmate)
    other_course.join(users["other_student"])
    other_course.join(other_classmate)
    exercise = Exercise.objects.get(slug="lee-2016-abstract")
    other_exercise = Exercise.objects.exclude(pk=exercise.pk).first()
    visitor = make.learner()
    invited_by = users["instructor"]
    ids = {
        "ex": exercise.slug,
        "other_ex": other_exercise.slug,
        "course": course.slug,
        "other_course": other_course.slug,
        "code": course.join_code,
        "lesson": Lesson.objects.first().slug,
        "excerpt": Excerpt.objects.first().slug,
        "paper": Paper.objects.first().slug,
        "classmate": classmate.pk,
        "newcomer": newcomer.pk,
        "student": users["student"].pk,
        "other_student": users["other_student"].pk,
        "co_instructor": users["co_instructor"].pk,
        "visitor_attempt": make.attempt(visitor, exercise).pk,
        "student_attempt": make.attempt(make.learner(users["student"]), exercise).pk,
        "classmate_attempt": make.attempt(make.learner(classmate), exercise).pk,
        "newcomer_inv": course.invite("newcomer", invited_by).pk,
        "student_inv": course.invite("student", invited_by).pk,
        "other_instructor_inv": course.invite("other-instructor", invited_by).pk,
        "ghost_inv": course.invite("nobody-by-this-name", invited_by).pk,
        "elsewhere_inv": other_course.invite("newcomer", users["other_instructor"]).pk,
    }
    ids.update(_drafts(visitor, make.learner(users["student"]), make.learner(classmate)))
    ids.update(_objections(make, exercise, course, other_course, users, classmate, newcomer, other_classmate))
    ids.update(_questions(course, other_course, users, classmate, newcomer, other_classmate))
    own, own_attempts = _own_exercises(make, course, other_course, users, classmate)
    ids.update({key: course_exercise.slug for key, course_exercise in own.items()})
    ids.update({key: attempt.pk for key, attempt in own_attempts.items()})
    return {
        "users": users,
        "visitor": visitor,
        "ids": ids,
        "course": course,
        "other_course": other_course,
        "exercise": exercise,
        # By the placeholder the URLs name them with, {own_ex}...
        "own_forms": {f"{{{key}}}": own_forms(course_exercise) for key, course_exercise in own.items()},
        "own_toml": authoring.export_toml(own["own_ex"]),
    }


# A passage no exercise of the course starts with: an exercise's slug is made of its first words.
PASSAGE = (
    "Machine translation has improved quickly in recent years. However, low-resource languages still lack "
    "parallel data. We propose a method that mines parallel sentences from comparable corpora."
)


def _own_exercises(make, course, other_course, users, classmate):
    """The course's own exercises (see OWN_EXERCISES' placeholders): one published, a draft never
    published, and one published by other_course (on another passage: the same slug would name the
    course's own); and attempts at the first by the student and by the classmate, every sentence wrong,
    made for the course."""
    own_ex = published_exercise(course, users["instructor"])
    exercises = {
        "own_ex": own_ex,
        "own_draft": written_draft(course, users["instructor"], title="A draft not published yet"),
        "other_own_ex": published_exercise(other_course, users["other_instructor"], passage=PASSAGE),
    }

    def wrong(user):
        return make.attempt(make.learner(user), own_ex.current, right=False, course=course)

    return exercises, {"student_own_attempt": wrong(users["student"]), "classmate_own_attempt": wrong(classmate)}


def own_forms(course_exercise):
    """What the pages of `course_exercise` post, read once: the editor's form, the preview's and, once
    published, the exercise's answers and an objection to its first sentence."""
    forms = {"editor": editor_post(course_exercise), "preview": preview_post(course_exercise)}
    if course_exercise.current is not None:
        forms["answers"] = Factory().answers(course_exercise.current)
        forms["objection"] = {"sentence": first_sentence(course_exercise.current).pk, "reason": "It fits: see why."}
    return forms


def editor_post(course_exercise):
    """The editor's form as its page sends it (every field as shown, the ticked boxes, the signal words
    ticked), with a new title: what an instructor saves."""
    draft = course_exercise.draft
    form = EditorForm(draft, Move.objects.filter(move_set__slug=draft["label_set"]).order_by("order"))
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field, BooleanField):
            data.update({name: "on"} if value else {})
        elif value is not None:
            data[name] = value
    data.update({word.name: "on" for row in form.rows for word in row.words if word.ticked})
    return {**data, "title": "Retitled in the editor"}


def preview_post(course_exercise):
    """The preview's answer form with every sentence right: the preview names its sentences by their place
    (`preview_sentences`), its rows being made anew for each request."""
    _errors, data = authoring.check(course_exercise)
    sentences = course_exercise.draft["sentences"]
    post = {"version": data["version"], "preview_sentences": ",".join(str(n) for n in range(1, len(sentences) + 1))}
    return post | {f"sentence-{n}": sentence["label"] for n, sentence in enumerate(sentences, start=1)}


def _objections(make, exercise, course, other_course, users, classmate, newcomer, other_classmate):
    """Attempts with every sentence wrong, and objections on their first sentence (see EXPECTED's placeholders)."""

    # The factory's wrong answers, read once: five attempts made by `make.attempt` cost 50 more queries a cell.
    labels = {label.slug: label for label in exercise.label_set.moves.all()}
    wrong_labels = make.answers(exercise, right=False)
    choices = {sentence.pk: labels[wrong_labels[sentence.field_name]] for sentence in exercise.sentences.all()}

    def wrong(user, for_course=None):
        scope = CourseScope(for_course) if for_course is not None else None
        return Attempt.objects.record(make.learner(user).pk, exercise, exercise.grade(choices, scope), scope)

    decided = make.objection(wrong(classmate, course))
    course.reject_objection(decided, users["instructor"], "It is the method, not the result.")
    classmate_wrong_attempt = wrong(classmate, course)
    return {
        "student_wrong_attempt": wrong(users["student"], course).pk,
        "classmate_wrong_attempt": classmate_wrong_attempt.pk,
        "decided_objection": decided.pk,
        "course_objection": make.objection(classmate_wrong_attempt).pk,
        "self_study_objection": make.objection(wrong(newcomer)).pk,
        "other_objection": make.objection(wrong(other_classmate, other_course)).pk,
    }


COURSE_QUESTION_TITLE = "Is a zeugma in a course abstract a move of its own?"


def _questions(course, other_course, users, classmate, newcomer, other_classmate):
    """Questions and answers on a lesson, in every audience and state (see QUESTIONS' placeholders)."""
    lesson, student = Lesson.objects.first(), users["student"]

    def ask(author, title, course=None, state=PostState.VISIBLE):
        question = Question.ask(author, Place.LESSON, lesson, title, "Why is it there?", course=course)
        if state != PostState.VISIBLE:
            # Set directly: held as a new account's first post would be, hidden as a moderator leaves it.
            reason = "Off topic." if state == PostState.HIDDEN else ""
            Question.objects.filter(pk=question.pk).update(state=state, hidden_reason=reason)
        return question

    public = ask(classmate, "Why does the gap come before the aim?")
    hidden_answer = public.answer(newcomer, "Not an answer.")
    hidden_answer.hide(users["editor"], "Off topic.")
    student_question = ask(student, "Is a hedge ever a move?")
    course_question = ask(classmate, COURSE_QUESTION_TITLE, course=course)
    other_course_question = ask(other_classmate, "Zeugma in Writing 202: asked to the class", course=other_course)
    return {
        "public_question": public.pk,
        "public_answer": public.answer(newcomer, "Because the gap makes the aim needed.").pk,
        "hidden_answer": hidden_answer.pk,
        "student_answer": public.answer(student, "The reader needs the problem first.").pk,
        "student_question": student_question.pk,
        "answer_to_student": student_question.answer(newcomer, "When it softens a claim, no.").pk,
        "course_question": course_question.pk,
        "course_answer": course_question.answer(classmate, "I think it is part of the result.").pk,
        "other_course_question": other_course_question.pk,
        "other_course_answer": other_course_question.answer(other_classmate, "Not here.").pk,
        "held_question": ask(newcomer, "Held: the first post of a new account", state=PostState.HELD).pk,
        "hidden_question": ask(newcomer, "Hidden: a question a moderator hid", state=PostState.HIDDEN).pk,
        "held_course_question": ask(classmate, "Held: asked to the course", course=course, state=PostState.HELD).pk,
    }


def _drafts(visitor, student, classmate):
    """A draft of one revision for each: {visitor_draft}, {student_draft}, {classmate_draft}."""
    answer = [Tagged("Networks matter.", "lead-in", 0.9, "why"), Tagged("However, it is slow.", "problem", 0.5, "why")]
    text = " ".join(tagged.text for tagged in answer)
    owners = {"visitor_draft": visitor, "student_draft": student, "classmate_draft": classmate}
    return {key: Revision.objects.record(learner.pk, None, text, answer).draft_id for key, learner in owners.items()}


def client_for(role, world):
    client = Client()
    if role == "visitor":
        session = client.session
        session[SESSION_KEY] = world["visitor"].pk
        session.save()
    elif role != "anonymous":
        client.force_login(world["users"][role])
    return client


def first_sentence(exercise):
    return exercise.sentences.order_by("position").first()


# The answer each question's "helpful" form names: one of its own.
HELPFUL = {
    "{public_question}": "public_answer",
    "{student_question}": "answer_to_student",
    "{course_question}": "course_answer",
    "{other_course_question}": "other_course_answer",
}


def question_post(url, world):
    """The questions' forms, each at its most far-reaching: asked to the course, answered as instructor."""
    if url.endswith("/ask/"):
        return {"title": "Why is the aim last?", "body": "It reads *late*.", "audience": world["course"].slug}
    if url.endswith("/answer/"):
        return {"body": "Because the gap calls for it.", "as_instructor": "on"}
    if url.endswith("/helpful/"):
        answer = HELPFUL.get(url.split("/")[2], "public_answer")
        return {"reply": world["ids"][answer]}
    if url.endswith("/edit/"):
        return {"title": "Rewritten by someone else", "body": "Rewritten."}
    if url.endswith(("/report/", "/hide/")):
        return {"reason": "Rude to the asker."}
    if url.endswith(("/pin/", "/close/")):
        return {"on": "1"}
    return {}  # the preferences (no email), a deletion, a show


def own_exercise_post(url, world):
    """The forms of a course's own exercises: a new one from a passage, an import of an exported file, and
    the forms of the exercise the URL names (see `own_forms`); a publish, a deletion send nothing more."""
    if url.endswith("/exercises/new/"):
        return {"passage": PASSAGE, "label_set": "abstract"}
    if url.endswith("/exercises/import/"):
        return {"text": world["own_toml"]}
    forms = world["own_forms"].get(url.split("/")[4], {})  # /courses/{course}/own/{own_ex}/...
    endings = {"/submit/": "answers", "/objections/": "objection", "/edit/": "editor", "/preview/": "preview"}
    return next((forms.get(form, {}) for ending, form in endings.items() if url.endswith(ending)), {})


def valid_post(url, role, world):
    """What the page's own form would send, so a refusal is about who asks, not what they send."""
    if "/own/" in url or url.endswith(("/exercises/new/", "/exercises/import/")):
        return own_exercise_post(url, world)
    if url.startswith("/questions/"):
        return question_post(url, world)
    if url.startswith("/write/"):
        return {"text": "A new version. However, it is short.", "rename-title": "Renamed", "move": "about"}
    if url.endswith("/submit/"):
        # As opened from the course's page: recorded for the course for its students only (see below).
        return {**Factory().answers(world["exercise"]), "for": world["course"].slug}
    if url.endswith("/objections/") and url.startswith("/exercises/"):
        return {"sentence": first_sentence(world["exercise"]).pk, "reason": "My label fits: it says what was done."}
    # The decision that writes the most (a label accepted, answers regraded), so a refusal is seen to hold.
    if url.startswith("/objections/"):
        return {"decision": "accept-everyone", "reply": "It fits, for everyone."}
    if "/objections/" in url:
        return {"decision": "accept", "reply": "It fits, in this course."}
    if url == "/accounts/signup/":
        return {"username": "brand-new", "password1": "a-fresh-pass-phrase-77", "password2": "a-fresh-pass-phrase-77"}
    if url == "/accounts/login/":
        return {"username": "student", "password": PASSWORD}
    if url == "/accounts/":
        return {"email": "someone@example.org"}
    if url == "/accounts/password/reset/":
        return {"email": "someone@example.org"}
    if url == "/accounts/password/":
        return {
            "old_password": PASSWORD,
            "new_password1": "a-fresh-pass-phrase-77",
            "new_password2": "a-fresh-pass-phrase-77",
        }
    if url == "/courses/new/":
        return {"title": "A new course"}
    if url == "/courses/join/":
        return {"code": world["course"].join_code}
    if url.endswith("/instructors/"):
        return {"username": "newcomer"}
    if url.endswith("/assignments/"):
        exercise = world["exercise"]
        # Every other exercise is taken away, which the page asks to confirm.
        return {f"assign-{exercise.pk}": "on", f"due-{exercise.pk}": "2030-01-31", "confirm": "yes"}
    return {}


@pytest.mark.parametrize(("method", "url", "role", "expected"), CELLS, ids=[f"{m} {u} as {r}" for m, u, r, _ in CELLS])
def test_access(method, url, role, expected, world):
    client = client_for(role, world)
    path = url.format(**world["ids"])
    before = snapshot()
    if method == "GET":
        response = client.get(path)
    else:
        response = client.post(path, valid_post(url, role, world))

    if expected == LOGIN:
        assert response.status_code == 302, (path, role, response.status_code)
        assert response["Location"].startswith("/accounts/login/?next=")
    else:
        assert response.status_code == expected, (path, role, response.status_code)
    if expected not in SUCCESS or method == "GET" or url.endswith(WRITES_NOTHING):
        assert snapshot() == before, f"{method} {path} as {role} changed rows"
    if response.status_code == 200 and (
        (path.startswith("/courses/") and path != "/courses/" and not path.startswith(NOT_A_COURSE_PAGE))
        or path.startswith("/objections/")
    ):
        # Course pages carry class data, a queue learners' answers: no browser or proxy may keep a copy.
        assert "no-store" in response["Cache-Control"]
    if response.status_code == 200 and path.startswith("/write/"):
        # A learner's own writing: private, and never stored.
        assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    if response.status_code == 200 and path.startswith("/questions/"):
        # Lists hold course questions and the reader's own held posts; the preferences, an account's choice.
        assert "no-store" in response.get("Cache-Control", ""), path


# Outside the course, its question is in no list, search or page: the search page echoes what was
# searched, so the title searched for is looked for as a result (its link, and the count found).
OUTSIDE_THE_COURSE = ("anonymous", "visitor", "other_student", "other_instructor", "editor")


def pages_listing_questions(world):
    lesson = world["ids"]["lesson"]
    return {
        "search by the title": ("/questions/?" + urlencode({"q": COURSE_QUESTION_TITLE}), {}),
        "search by a word of it": ("/questions/?q=zeugma", {}),
        "every question": ("/questions/", {}),
        "the lesson's questions": (f"/questions/on/lesson/{lesson}/", {}),
        "the lesson's questions, loaded in place": (f"/questions/on/lesson/{lesson}/", {"HTTP_HX_REQUEST": "true"}),
    }


@pytest.mark.parametrize("role", OUTSIDE_THE_COURSE)
def test_a_course_question_shows_in_no_list_or_search_outside_the_course(role, world):
    client = client_for(role, world)
    link = f'href="/questions/{world["ids"]["course_question"]}/"'
    for name, (path, headers) in pages_listing_questions(world).items():
        response = client.get(path, **headers)
        html = response.content.decode()
        assert response.status_code == 200, name
        assert link not in html, f"{name} links the course question for {role}"
        assert "asked to your course Writing 101" not in html, name
        if "title" in name:
            assert "0 questions with" in html, name
        else:
            assert COURSE_QUESTION_TITLE not in html, f"{name} shows the course question's title to {role}"


@pytest.mark.parametrize("role", ("student", "instructor", "co_instructor"))
def test_the_course_finds_its_question_in_every_list_and_search(role, world):
    client = client_for(role, world)
    link = f'href="/questions/{world["ids"]["course_question"]}/"'
    for name, (path, headers) in pages_listing_questions(world).items():
        html = client.get(path, **headers).content.decode()
        assert link in html, f"{name} leaves the course question out for {role}"


# Submitting with `for` naming a course records the attempt for that course only when the user is one
# of its students and it assigns the exercise; anything else is self-study (no CourseAttempt), never a 4xx.
# role, the `for` sent, whether the exercise is one the course does not assign (a bank exercise).
FOR_ANOTHER_SCOPE = [
    ("student", "{other_course}", False),
    ("student", "no-such-course", False),
    ("student", "nul\x00byte", False),
    ("student", "x" * 5000, False),
    ("student", "{course}", True),
    ("other_student", "{course}", False),
    ("instructor", "{course}", False),
    ("co_instructor", "{course}", False),
    ("other_instructor", "{course}", False),
    ("editor", "{course}", False),
    ("visitor", "{course}", False),
    ("anonymous", "{course}", False),
]


def submit_for(role, token, world, exercise=None):
    exercise = exercise or world["exercise"]
    data = {**Factory().answers(exercise), "for": token.format(**world["ids"])}
    return client_for(role, world).post(f"/exercises/{exercise.slug}/submit/", data)


def test_a_student_submitting_for_their_course_records_the_attempt_for_it(world):
    response = submit_for("student", "{course}", world)
    assert response.status_code == 302
    attempt = Attempt.objects.filter(learner__user=world["users"]["student"]).latest("pk")
    assert CourseAttempt.objects.get(attempt=attempt).course == world["course"]


@pytest.mark.parametrize(
    ("role", "token", "unassigned"),
    FOR_ANOTHER_SCOPE,
    ids=[f"{r} for {t[:20]!r}{' (unassigned)' * u}" for r, t, u in FOR_ANOTHER_SCOPE],
)
def test_submitting_for_a_course_that_is_not_ones_own_records_self_study(role, token, unassigned, world):
    exercise = Exercise.objects.filter(exemplar=False).first() if unassigned else None
    if unassigned:
        assert not world["course"].assignments.filter(exercise=exercise).exists()
    attempts, linked = Attempt.objects.count(), CourseAttempt.objects.count()

    response = submit_for(role, token, world, exercise)

    assert response.status_code == 302
    assert Attempt.objects.count() == attempts + 1
    assert CourseAttempt.objects.count() == linked


def test_the_rows_compared_after_each_cell_see_a_write(world):
    """The cells above say "nothing changed" by comparing snapshots: a change must show in one."""
    before = snapshot()
    Attempt.objects.filter(pk=world["ids"]["classmate_attempt"]).update(correct=0)
    assert snapshot()["attempts"] != before["attempts"]


def test_the_rows_compared_after_each_cell_see_a_course_exercise_edited_or_published(world):
    """The new tables are in the snapshot: a draft edited, a revision published (and its `Exercise`) show."""
    draft = CourseExercise.objects.get(course=world["course"], slug=world["ids"]["own_draft"])
    before = snapshot()
    draft.draft["title"] = "Edited behind the editor's back"
    draft.save()
    edited = snapshot()
    assert edited["course_exercises"] != before["course_exercises"]

    authoring.publish(draft, world["users"]["instructor"])

    published = snapshot()
    # A revision, and its `Exercise`, which the guide's bank does not list.
    assert published["exercise_revisions"] != edited["exercise_revisions"]
    assert published["exercises"] != edited["exercises"]
