"""Revisions: numbered 1, 2, ... per draft, throttled per learner, and never lost or doubled by concurrent Checks."""

import threading
from datetime import timedelta

import pytest
from django.db import close_old_connections, connection
from django.utils import timezone

from drafts.models import THROTTLE_LIMIT, Draft, DraftGone, Revision, RevisionSentence, Throttled
from drafts.tagger import Tagged
from drafts.tests.conftest import ABSTRACT

pytestmark = pytest.mark.django_db


def tagged(text):
    return [Tagged(text, "about", 0.8, "a reason")]


def test_revisions_are_numbered_per_draft(make):
    learner = make.learner()
    first = Revision.objects.record(learner.pk, None, "One.", tagged("One."))
    second = Revision.objects.record(learner.pk, None, "Two.", tagged("Two."))
    again = Revision.objects.record(learner.pk, first.draft_id, "One, revised.", tagged("One, revised."))
    assert (first.number, second.number, again.number) == (1, 1, 2)
    assert Draft.objects.get(pk=first.draft_id).revision_count == 2


def test_a_check_of_someone_elses_draft_stores_nothing(make):
    owner, other = make.learner(), make.learner()
    revision = Revision.objects.record(owner.pk, None, "Mine.", tagged("Mine."))
    with pytest.raises(DraftGone):
        Revision.objects.record(other.pk, revision.draft_id, "Yours.", tagged("Yours."))
    assert Revision.objects.count() == 1


def test_the_eleventh_check_in_a_minute_is_throttled_with_a_wait(make):
    learner = make.learner()
    draft_id = None
    for n in range(THROTTLE_LIMIT):
        draft_id = Revision.objects.record(learner.pk, draft_id, f"Text {n}.", tagged(f"Text {n}.")).draft_id
    with pytest.raises(Throttled) as refused:
        Revision.objects.record(learner.pk, draft_id, "One too many.", tagged("One too many."))
    assert 1 <= refused.value.retry_after <= 60
    # New drafts count too: the limit is per learner.
    with pytest.raises(Throttled):
        Revision.objects.record(learner.pk, None, "A new draft.", tagged("A new draft."))
    assert Revision.objects.count() == THROTTLE_LIMIT and Draft.objects.count() == 1
    # Another learner is not held back.
    Revision.objects.record(make.learner().pk, None, "Someone else.", tagged("Someone else."))


def test_the_throttle_frees_up_as_revisions_age(make):
    learner = make.learner()
    draft_id = None
    for n in range(THROTTLE_LIMIT):
        draft_id = Revision.objects.record(learner.pk, draft_id, f"Text {n}.", tagged(f"Text {n}.")).draft_id
    Revision.objects.filter(number=1).update(created=timezone.now() - timedelta(seconds=61))
    assert Revision.objects.record(learner.pk, draft_id, "Now allowed.", tagged("Now allowed.")).number == 11


def test_a_throttled_check_answers_429_with_retry_after_and_keeps_the_text(client, write_as):
    write_as(client)
    draft = Draft.objects.get()
    for n in range(THROTTLE_LIMIT - 1):
        assert client.post(f"/write/{draft.pk}/check/", {"text": f"{ABSTRACT} Version {n}."}).status_code == 302
    response = client.post(f"/write/{draft.pk}/check/", {"text": "My latest words, kept."})
    html = response.content.decode()
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert f"You have pressed Check {THROTTLE_LIMIT} times in the last minute" in html
    assert "My latest words, kept." in html
    assert Revision.objects.count() == THROTTLE_LIMIT


def test_an_htmx_check_that_is_throttled_answers_429(client, write_as):
    write_as(client)
    draft = Draft.objects.get()
    Revision.objects.filter(draft=draft).update(created=timezone.now())
    for n in range(THROTTLE_LIMIT - 1):
        client.post(f"/write/{draft.pk}/check/", {"text": f"{ABSTRACT} Version {n}."})
    response = client.post(f"/write/{draft.pk}/check/", {"text": "Again."}, headers={"HX-Request": "true"})
    assert response.status_code == 429 and response.has_header("Retry-After")


def test_a_new_revision_records_what_the_tagger_said_for_each_sentence(make):
    learner = make.learner()
    answer = [Tagged("First.", "lead-in", 0.95, "it opens"), Tagged("However, second.", "problem", 0.5, "a turn")]
    revision = Revision.objects.record(learner.pk, None, "First. However, second.", answer)
    rows = list(
        RevisionSentence.objects.filter(revision=revision).values_list(
            "position", "text", "move", "confidence", "reason", "intended"
        )
    )
    assert rows == [
        (1, "First.", "lead-in", 0.95, "it opens", None),
        (2, "However, second.", "problem", 0.5, "a turn", None),
    ]
    assert revision.moves == ["lead-in", "problem"] and revision.word_count == 3


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="threads need a database that lets writers wait; SQLite's BEGIN IMMEDIATE serialises them (see record)",
)
# serialized_rollback: the flush after leaves no content types behind for the next serialized test to meet twice.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_checks_of_one_draft_never_lose_or_double_a_revision(make):
    learner = make.learner()
    draft_id = Revision.objects.record(learner.pk, None, "Start.", tagged("Start.")).draft_id
    writers = THROTTLE_LIMIT - 1
    barrier = threading.Barrier(writers)
    errors = []

    def check(n):
        try:
            barrier.wait(timeout=10)
            Revision.objects.record(learner.pk, draft_id, f"Version {n}.", tagged(f"Version {n}."))
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(repr(error))
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=check, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(Revision.objects.filter(draft_id=draft_id).values_list("number", flat=True))
    assert numbers == list(range(1, writers + 2))
    assert Draft.objects.get(pk=draft_id).revision_count == writers + 1
    assert RevisionSentence.objects.filter(revision__draft_id=draft_id).count() == writers + 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="threads against the ORM: PostgreSQL only (see above)")
# serialized_rollback: the flush after leaves no content types behind for the next serialized test to meet twice.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_checks_never_pass_the_throttle(make):
    learner = make.learner()
    writers = THROTTLE_LIMIT + 5
    barrier = threading.Barrier(writers)
    outcomes = []

    def check(n):
        try:
            barrier.wait(timeout=10)
            Revision.objects.record(learner.pk, None, f"Draft {n}.", tagged(f"Draft {n}."))
            outcomes.append("stored")
        except Throttled:
            outcomes.append("throttled")
        finally:
            connection.close()

    threads = [threading.Thread(target=check, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["stored"] * THROTTLE_LIMIT + ["throttled"] * 5
    assert Revision.objects.count() == THROTTLE_LIMIT
