"""Answers to a learner's questions: a count for the navigation and the progress page, and an email
for each new answer when the asker chose it (off by default), through the site's email settings
(the ones password resets use)."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string

from courses.models import Membership
from exercises.account_views import EMAIL_OFF
from questions.models import PostState, Preferences, Reply
from writing_guide.compiled import SAMPLE_ID, CompiledQuery


def unseen_answers(user_id):
    """Visible answers by others to the questions of account `user_id` that it has not read yet, on
    questions it can still read: asked to everyone, or to a course it still belongs to (one it left
    is out of its sight, so out of the count too)."""
    if user_id is None:
        return Reply.objects.none()
    in_audience = Q(question__course__isnull=True) | Exists(
        Membership.objects.filter(course=OuterRef("question__course"), user_id=user_id)
    )
    return Reply.objects.filter(in_audience, question__author_id=user_id, seen_by_asker=False, state=PostState.VISIBLE)


_unseen_ids = CompiledQuery(lambda user_id: unseen_answers(user_id).order_by().values_list("pk"), SAMPLE_ID)


def unseen_count(user_id):
    """How many of `unseen_answers(user_id)` there are: every signed-in page shows it, so its SQL is
    compiled once per process (the ORM took longer to build it than the database to answer)."""
    return len(_unseen_ids.rows(int(user_id))) if user_id is not None else 0


def any_unseen_answer(user_id):
    """For `lessons.pages`: one of `unseen_answers(user_id)`'s ids, if there is any."""
    return unseen_answers(user_id).order_by().values_list("pk")


def reader_state(request, unseen_answer):
    """A reader's pages are kept only while no answer waits unread (they show the count, and the progress
    page the latest): "" then, None while one waits."""
    return None if unseen_answer is not None else ""


def mark_seen(question, user):
    """`user` read `question`: if it is theirs, its answers are no longer new to them."""
    if user.is_authenticated and question.author_id == user.pk:
        Reply.objects.filter(question=question, seen_by_asker=False).update(seen_by_asker=True)


def email_is_on():
    return settings.EMAIL_BACKEND != EMAIL_OFF


def notify_asker(reply, question_url):
    """Email the asker about `reply` once the transaction commits, if they asked for it, have an
    email address, and the site can send email. Never for their own answer or a held one."""
    question = reply.question
    asker = question.author
    if reply.author_id == asker.pk or reply.state != PostState.VISIBLE or not asker.email or not email_is_on():
        return
    if not Preferences.objects.filter(user=asker, email_answers=True).exists():
        return
    context = {"question": question, "reply": reply, "url": question_url}
    subject = render_to_string("questions/answer_email_subject.txt", context).strip()
    body = render_to_string("questions/answer_email.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, None, [asker.email], fail_silently=True))
