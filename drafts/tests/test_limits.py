"""Bad input and limits: a clear message and a 4xx, nothing stored; hostile text stays literal."""

import pytest

from drafts.forms import MAX_CHARACTERS, MAX_SENTENCES, plain_text
from drafts.models import Draft, Revision, RevisionSentence
from drafts.tests.conftest import ABSTRACT
from exercises.models import Learner

pytestmark = pytest.mark.django_db

EMPTY_MESSAGE = "Write or paste your abstract first"


def nothing_stored():
    return not (Draft.objects.exists() or Revision.objects.exists() or RevisionSentence.objects.exists())


@pytest.mark.parametrize(
    "text",
    ["", "   \n\t  ", "\x00\x01\x02", "\u202e\u2066 \x7f\x9f"],
    ids=["empty", "whitespace", "control characters", "invisible controls"],
)
def test_empty_text_gets_a_clear_message_and_400(client, text):
    response = client.post("/write/", {"text": text})
    assert response.status_code == 400
    assert EMPTY_MESSAGE in response.content.decode()
    assert nothing_stored() and not Learner.objects.exists()


@pytest.mark.parametrize("text", ["...", "1. 2. 3.", "?! -- ;;"])
def test_text_with_no_sentence_gets_a_clear_message_and_400(client, text):
    response = client.post("/write/", {"text": text})
    assert response.status_code == 400
    assert "We found no sentence in your text" in response.content.decode()
    assert nothing_stored()


def test_a_text_over_the_character_limit_is_refused_and_nothing_stored(client):
    text = ("A word " * 800)[: MAX_CHARACTERS + 1]
    response = client.post("/write/", {"text": text})
    assert response.status_code == 400
    assert "the limit is 5,000" in response.content.decode()
    assert nothing_stored()


def test_a_text_at_the_character_limit_is_checked(client):
    sentence = "Short sentences help every reader. "
    text = (sentence * 200)[:MAX_CHARACTERS]
    text = text[: text.rfind(".") + 1]
    text = " ".join(text.split(". ")[:MAX_SENTENCES])
    assert len(text) <= MAX_CHARACTERS
    assert client.post("/write/", {"text": text}).status_code == 302


def test_a_text_over_the_sentence_limit_is_refused_and_nothing_stored(client):
    text = " ".join(f"Sentence number {n} is here." for n in range(MAX_SENTENCES + 1))
    assert len(text) < MAX_CHARACTERS
    response = client.post("/write/", {"text": text})
    assert response.status_code == 400
    assert f"Your text has {MAX_SENTENCES + 1} sentences; the limit is {MAX_SENTENCES}" in response.content.decode()
    assert nothing_stored()


def test_exactly_the_sentence_limit_is_checked(client):
    text = " ".join(f"Sentence number {n} is here." for n in range(MAX_SENTENCES))
    assert client.post("/write/", {"text": text}).status_code == 302
    assert RevisionSentence.objects.count() == MAX_SENTENCES


def test_an_htmx_check_with_bad_input_returns_the_form_with_its_errors(client):
    response = client.post("/write/", {"text": " "}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 400
    assert html.lstrip().startswith('<div id="work"') and 'role="alert"' in html and EMPTY_MESSAGE in html


def test_a_refused_revision_of_an_existing_draft_leaves_it_as_it_was(client, write_as):
    write_as(client)
    draft = Draft.objects.get()
    response = client.post(f"/write/{draft.pk}/check/", {"text": "x. " * 3000})
    assert response.status_code == 400
    assert Revision.objects.count() == 1
    # The page still shows the latest analysis under the error.
    assert "What the tagger reads in revision 1" in response.content.decode()


def test_a_title_over_its_limit_is_refused(client):
    response = client.post("/write/", {"text": ABSTRACT, "title": "t" * 121})
    assert response.status_code == 400 and nothing_stored()


HOSTILE = "<script>alert(1)</script> is **bold** and [a link](javascript:alert(1)). Also <img src=x onerror=alert(1)>."


def test_hostile_text_is_stored_as_written_and_shown_escaped_never_rendered(client):
    client.post("/write/", {"text": HOSTILE, "title": "<b>title</b>"})
    draft = Draft.objects.get()
    revision = draft.revisions.get()
    assert revision.text == HOSTILE and draft.title == "<b>title</b>"
    for url in (draft.get_absolute_url(), "/write/", f"/write/{draft.pk}/revisions/1/", f"/write/{draft.pk}/delete/"):
        html = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in html and "<img src=x" not in html and "<b>title</b>" not in html
        assert "&lt;b&gt;title&lt;/b&gt;" in html
    html = client.get(draft.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; is **bold** and [a link](javascript:alert(1))." in html
    assert "<strong>bold</strong>" not in html and 'href="javascript' not in html
    # And in the textarea, for the next revision.
    assert "&lt;script&gt;alert(1)&lt;/script&gt; is **bold**" in html.split("<textarea", 1)[1].split("</textarea>")[0]


def test_hostile_text_in_an_htmx_fragment_is_escaped_too(client):
    html = client.post("/write/", {"text": HOSTILE}, headers={"HX-Request": "true"}).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_plain_text_keeps_lines_and_words_and_drops_only_controls():
    assert plain_text("  One.\r\nTwo.\rThree.\tFour\x00.\u202e  ") == "One.\nTwo.\nThree. Four."
    assert plain_text("e\u0301") == "é"
