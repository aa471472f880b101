"""Drafts belong to their learner exactly as attempts do: private, and merged into an account on sign-up or log-in."""

import pytest
from django.test import Client

from drafts.models import Draft, Revision
from drafts.tests.conftest import ABSTRACT
from exercises.learners import SESSION_KEY
from exercises.models import Attempt, Learner
from testing.factory import PASSWORD

pytestmark = pytest.mark.django_db


def draft_urls(draft):
    base = f"/write/{draft.pk}/"
    return {
        ("GET", base), ("GET", f"{base}revisions/1/"), ("GET", f"{base}delete/"), ("POST", f"{base}check/"),
        ("POST", f"{base}rename/"), ("POST", f"{base}delete/"), ("POST", f"{base}revisions/1/sentences/1/intent/"),
    }  # fmt: skip


def test_nobody_else_can_read_or_change_a_visitors_draft(write_as, student):
    owner, stranger = Client(), Client()
    write_as(owner, title="Private")
    draft = Draft.objects.get()
    signed_in = Client()
    signed_in.force_login(student)
    for client in (stranger, signed_in):
        for method, url in draft_urls(draft):
            data = {"text": "Changed. However, badly.", "rename-title": "Mine now", "move": "about"}
            response = client.get(url) if method == "GET" else client.post(url, data)
            assert response.status_code == 404, (method, url)
            assert "Private" not in response.content.decode()
    draft.refresh_from_db()
    assert draft.title == "Private" and draft.revision_count == 1
    assert draft.revisions.get().sentences.exclude(intended=None).count() == 0


def test_a_students_draft_is_theirs_on_every_device(write_as, student):
    laptop, phone = Client(), Client()
    laptop.force_login(student)
    phone.force_login(student)
    write_as(laptop, title="Thesis abstract")
    draft = Draft.objects.get()
    assert draft.learner.user == student
    assert phone.get(draft.get_absolute_url()).status_code == 200
    assert "Thesis abstract" in phone.get("/write/").content.decode()


def test_signing_up_moves_the_visitors_drafts_into_the_new_account(write_as):
    visitor = Client()
    write_as(visitor, title="Before sign-up")
    password = "a-fresh-pass-phrase-77"
    response = visitor.post("/accounts/signup/", {"username": "newbie", "password1": password, "password2": password})
    assert response.status_code == 302
    draft = Draft.objects.get()
    assert draft.learner.user.username == "newbie"
    assert visitor.get(draft.get_absolute_url()).status_code == 200


def test_logging_in_merges_the_visitors_drafts_into_the_accounts_own(write_as, make, student, exercise):
    # The account already has a learner with an attempt and a draft of its own.
    mine = make.learner(student)
    make.attempt(mine, exercise)
    elsewhere = Client()
    elsewhere.force_login(student)
    write_as(elsewhere, title="From the account")
    # Meanwhile, logged out, the same person practises and writes in another browser.
    visitor = Client()
    visitor.post(f"/exercises/{exercise.slug}/submit/", make.answers(exercise))
    write_as(visitor, title="From the visit")
    visiting_draft = Draft.objects.get(title="From the visit")
    revision = visiting_draft.revisions.get()
    visitor.post(f"/write/{visiting_draft.pk}/revisions/1/sentences/1/intent/", {"move": "problem"})
    anonymous_id = visitor.session[SESSION_KEY]

    response = visitor.post("/accounts/login/", {"username": "student", "password": PASSWORD})

    assert response.status_code == 302
    assert not Learner.objects.filter(pk=anonymous_id).exists()
    assert set(Draft.objects.filter(learner=mine).values_list("title", flat=True)) == {
        "From the account",
        "From the visit",
    }
    assert Attempt.objects.filter(learner=mine).count() == 2
    # Nothing lost on the way: the revision, its sentences and the intent came along.
    assert Revision.objects.get(pk=revision.pk).sentences.get(position=1).intended == "problem"
    assert visitor.get(visiting_draft.get_absolute_url()).status_code == 200
    assert elsewhere.get(visiting_draft.get_absolute_url()).status_code == 200


def test_claim_moves_drafts_even_for_a_visitor_with_no_attempts(make, student):
    mine = make.learner(student)
    anonymous = make.learner()
    Draft.objects.create(learner=anonymous, title="Only a draft")
    assert Learner.objects.claim(anonymous.pk, student) == mine.pk
    assert Draft.objects.get().learner_id == mine.pk


def test_a_visitor_whose_learner_is_gone_starts_a_new_one_when_checking(client, write_as):
    session = client.session
    session[SESSION_KEY] = 987654
    session.save()
    response = write_as(client)
    assert response.status_code == 302
    draft = Draft.objects.get()
    assert client.session[SESSION_KEY] == draft.learner_id != 987654
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_the_draft_list_shows_only_ones_own_drafts(write_as):
    mine, theirs = Client(), Client()
    write_as(mine, title="Mine")
    write_as(theirs, text=ABSTRACT + " Theirs.", title="Theirs")
    html = mine.get("/write/").content.decode()
    assert ">Mine</a>" in html and "Theirs" not in html


def test_the_purge_keeps_a_visitor_who_wrote_a_draft_recently(write_as, settings):
    from datetime import timedelta
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    settings.ANONYMOUS_RETENTION_DAYS = 30
    writer = Client()
    write_as(writer, title="Still working")
    idle_learner = Learner.objects.create()
    Learner.objects.update(created=timezone.now() - timedelta(days=45))
    call_command("purge_anonymous", stdout=StringIO())
    assert Draft.objects.filter(title="Still working").exists()
    assert not Learner.objects.filter(pk=idle_learner.pk).exists()
    Draft.objects.update(updated=timezone.now() - timedelta(days=40))
    call_command("purge_anonymous", stdout=StringIO())
    assert not Draft.objects.exists()
