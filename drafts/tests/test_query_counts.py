"""The /write/ pages cost the same number of queries however many drafts and revisions a learner has."""

import pytest

from drafts.models import Draft
from drafts.move_maps import abstract_guide
from drafts.tests.conftest import ABSTRACT

pytestmark = pytest.mark.django_db


def revise(client, draft, times):
    for n in range(times):
        assert client.post(f"/write/{draft.pk}/check/", {"text": f"{ABSTRACT} Revision {n}. " * 2}).status_code == 302


@pytest.fixture
def signed_in(client, student):
    client.force_login(student)
    return client


@pytest.fixture(autouse=True)
def _no_throttle(monkeypatch):
    monkeypatch.setattr("drafts.models.THROTTLE_LIMIT", 10_000)


def test_a_drafts_page_costs_eight_queries_with_one_revision_or_many(signed_in, write_as, django_assert_num_queries):
    write_as(signed_in)
    draft = Draft.objects.get()
    abstract_guide()  # the papers' strips are read once per process
    # session, user, draft, latest revision, its sentences, revisions with their move maps, guide digest,
    # the count of new answers to one's questions (the navigation shows it, issue 18)
    with django_assert_num_queries(8):
        signed_in.get(draft.get_absolute_url())
    revise(signed_in, draft, 12)
    with django_assert_num_queries(8):
        response = signed_in.get(draft.get_absolute_url())
    assert response.content.decode().count('<ol class="move-strip"') == 13 + 1 + 4  # revisions, yours, papers


def test_the_write_page_costs_six_queries_with_one_draft_or_many(signed_in, write_as, django_assert_num_queries):
    write_as(signed_in)
    abstract_guide()
    # session, user, guide digest, drafts, their latest revisions,
    # the count of new answers to one's questions (the navigation shows it, issue 18)
    with django_assert_num_queries(6):
        signed_in.get("/write/")
    for n in range(6):
        write_as(signed_in, text=f"{ABSTRACT} Draft {n}.")
    for draft in Draft.objects.all()[:3]:
        revise(signed_in, draft, 3)
    with django_assert_num_queries(6):  # as above: with the count of new answers
        response = signed_in.get("/write/")
    assert response.content.decode().count('<ol class="move-strip"') == 7


def test_an_htmx_check_of_a_long_abstract_costs_a_fixed_number_of_queries(
    signed_in, write_as, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    write_as(signed_in)
    draft = Draft.objects.get()
    abstract_guide()
    counts = []
    for sentences in (4, 40):
        text = " ".join(f"Sentence {n} of this version {sentences}." for n in range(sentences))
        with CaptureQueriesContext(connection) as captured:
            response = signed_in.post(f"/write/{draft.pk}/check/", {"text": text}, headers={"HX-Request": "true"})
        assert response.status_code == 200
        counts.append(len([q for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]))
    assert counts[0] == counts[1], counts
