"""The /write/ pages: Check with and without htmx, the analysis, intents, renaming and deleting."""

import re

import pytest
from django.test import Client
from django.utils.html import escape

from drafts.models import Draft, Revision, RevisionSentence
from drafts.tests.conftest import ABSTRACT

pytestmark = pytest.mark.django_db


def check_url(draft):
    return f"/write/{draft.pk}/check/"


def test_the_page_offers_a_labelled_textarea_and_a_working_title(client):
    response = client.get("/write/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_text">Your abstract:</label>' in html
    assert '<textarea name="text"' in html and 'id="id_text"' in html
    assert '<label for="id_title">Working title (optional):</label>' in html
    assert 'method="post" action="/write/"' in html and 'hx-post="/write/"' in html


def test_the_navigation_names_the_page_and_marks_it_current(client):
    html = client.get("/write/").content.decode()
    assert '<a href="/write/" aria-current="page">Your abstract</a>' in html


def test_a_plain_check_saves_a_draft_and_redirects_to_its_analysis(client, write_as):
    response = write_as(client, title="My SNN paper")
    draft = Draft.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/write/{draft.pk}/#analysis"
    assert draft.title == "My SNN paper" and draft.revision_count == 1
    html = client.get(draft.get_absolute_url()).content.decode()
    assert "What the tagger reads in revision 1" in html
    assert html.count('class="sentence-text" data-move=') == 4


def test_each_sentence_holds_its_move_its_name_and_the_taggers_reason(client, write_as):
    write_as(client)
    html = client.get(Draft.objects.get().get_absolute_url()).content.decode()
    sentences = list(RevisionSentence.objects.all())
    assert len(sentences) == 4
    for sentence in sentences:
        assert f'<mark class="sentence-text" data-move="{sentence.move}">{sentence.text}</mark>' in html
        assert sentence.reason and f"Why: {escape(sentence.reason)}." in html


def test_the_move_is_named_in_words_beside_its_colour(client, write_as, scripted_tagger):
    write_as(client)
    html = client.get(Draft.objects.get().get_absolute_url()).content.decode()
    sentence_two = re.search(r'<li id="sentence-2".*?</li>', html, re.S).group(0)
    assert 'data-move="problem"' in sentence_two and "Move: <strong>The problem</strong>" in sentence_two
    assert "Why: scripted reason for sentence 2." in sentence_two


def test_a_sentence_the_tagger_is_unsure_of_says_so_quietly(client, write_as, scripted_tagger):
    write_as(client, text="Networks matter. Perhaps this one matters more. However, it is slow.")
    html = client.get(Draft.objects.get().get_absolute_url()).content.decode()
    blocks = dict(re.findall(r'<li id="sentence-(\d+)"(.*?)</li>', html, re.S))
    assert ["(not sure)" in blocks[str(position)] for position in (1, 2, 3)] == [False, True, False]


def test_the_move_map_sets_the_learners_strip_beside_the_four_papers(client, write_as):
    write_as(client)
    html = client.get(Draft.objects.get().get_absolute_url()).content.decode()
    assert 'id="strip-yours">Your abstract</span>' in html
    for name in ("Diehl &amp; Cook (2015)", "Lee, Delbruck &amp; Pfeiffer (2016)", "Rueckauer et al. (2017)",
                 "Krizhevsky, Sutskever &amp; Hinton (2012)"):  # fmt: skip
        assert f'>{name}</a><ol class="move-strip"' in html
    # Lee et al.: lead-in, problem, about, about, importance, importance; each box has its name too.
    lee = re.search(r"Lee, Delbruck.*?</ol>", html).group(0)
    assert re.findall(r'data-move="([a-z-]+)"', lee) == [
        "lead-in",
        "problem",
        "about",
        "about",
        "importance",
        "importance",
    ]
    assert lee.count('<span class="visually-hidden">The problem</span>') == 1


def test_an_htmx_check_returns_the_work_fragment_and_pushes_the_drafts_url(client):
    response = client.post("/write/", {"text": ABSTRACT}, headers={"HX-Request": "true"})
    html = response.content.decode()
    draft = Draft.objects.get()
    assert response.status_code == 200
    assert "<html" not in html and html.lstrip().startswith('<div id="work"')
    assert response["HX-Push-Url"] == draft.get_absolute_url()
    assert f'hx-post="{check_url(draft)}"' in html  # the next Check revises this draft
    assert 'id="analysis" tabindex="-1" autofocus' in html
    assert "HX-Request" in response["Vary"]


def test_checking_an_edited_text_saves_the_next_revision_of_the_same_draft(client, write_as):
    write_as(client)
    draft = Draft.objects.get()
    response = client.post(check_url(draft), {"text": ABSTRACT + " We release the code."})
    assert response.status_code == 302 and response["Location"] == f"/write/{draft.pk}/#analysis"
    assert list(draft.revisions.order_by("number").values_list("number", flat=True)) == [1, 2]
    html = client.get(draft.get_absolute_url()).content.decode()
    assert "What the tagger reads in revision 2" in html
    assert f'href="/write/{draft.pk}/revisions/1/">Revision 1</a>' in html


def test_checking_the_same_text_again_stores_nothing(client, write_as):
    write_as(client)
    draft = Draft.objects.get()
    client.post(check_url(draft), {"text": ABSTRACT})
    assert Revision.objects.count() == 1


def test_an_earlier_revision_has_its_own_page_offering_its_text_to_revise(client, write_as):
    write_as(client)
    draft = Draft.objects.get()
    client.post(check_url(draft), {"text": "A different abstract. However, it is short."})
    html = client.get(f"/write/{draft.pk}/revisions/1/").content.decode()
    assert "What the tagger reads in revision 1" in html
    assert "Check saves the text below as revision 3" in html
    assert "Spiking networks hold great promise" in html
    assert client.get(f"/write/{draft.pk}/revisions/3/").status_code == 404


def test_i_meant_this_as_is_stored_beside_the_taggers_answer(client, write_as, scripted_tagger):
    write_as(client)
    draft = Draft.objects.get()
    response = client.post(f"/write/{draft.pk}/revisions/1/sentences/1/intent/", {"move": "problem"})
    assert response.status_code == 302 and response["Location"] == f"/write/{draft.pk}/#sentence-1"
    sentence = RevisionSentence.objects.get(position=1)
    assert (sentence.move, sentence.intended) == ("lead-in", "problem")
    html = client.get(draft.get_absolute_url()).content.decode()
    assert "You meant this as <strong>The problem</strong>; the tagger reads it otherwise" in html


def test_an_htmx_intent_returns_only_that_sentence(client, write_as):
    write_as(client)
    draft = Draft.objects.get()
    url = f"/write/{draft.pk}/revisions/1/sentences/2/intent/"
    response = client.post(url, {"move": "problem"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.strip().startswith('<li id="sentence-2"') and html.count("<li") == 1
    assert 'role="status">Saved.' in html and '<option value="problem" selected>' in html


def test_an_intent_can_be_taken_back_and_a_bad_one_is_refused(client, write_as):
    write_as(client)
    draft = Draft.objects.get()
    url = f"/write/{draft.pk}/revisions/1/sentences/1/intent/"
    client.post(url, {"move": "about"})
    client.post(url, {"move": ""})
    assert RevisionSentence.objects.get(position=1).intended is None
    response = client.post(url, {"move": "<b>nonsense</b>"})
    assert response.status_code == 400
    assert "&lt;b&gt;nonsense&lt;/b&gt; is not one of the available choices" in response.content.decode()
    assert RevisionSentence.objects.get(position=1).intended is None
    assert client.post(f"/write/{draft.pk}/revisions/1/sentences/9/intent/", {"move": "about"}).status_code == 404


def test_a_later_revision_shows_the_intent_given_for_the_same_sentence(client, write_as):
    write_as(client)
    draft = Draft.objects.get()
    client.post(f"/write/{draft.pk}/revisions/1/sentences/4/intent/", {"move": "about"})
    client.post(check_url(draft), {"text": "A new first sentence. " + ABSTRACT})
    carried = RevisionSentence.objects.get(revision__number=2, text=RevisionSentence.objects.get(
        revision__number=1, position=4).text)  # fmt: skip
    assert carried.position == 5 and carried.intended == "about"
    assert RevisionSentence.objects.filter(revision__number=2).exclude(intended=None).count() == 1


def test_drafts_can_be_renamed(client, write_as):
    write_as(client, title="Old")
    draft = Draft.objects.get()
    response = client.post(f"/write/{draft.pk}/rename/", {"rename-title": "  New <title>  "})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "New <title>"
    html = client.get(draft.get_absolute_url()).content.decode()
    assert "New &lt;title&gt;" in html and "New <title>" not in html
    assert client.post(f"/write/{draft.pk}/rename/", {"rename-title": "x" * 121}).status_code == 400
    draft.refresh_from_db()
    assert draft.title == "New <title>"


def test_deleting_asks_first_then_removes_the_draft_and_its_revisions(client, write_as):
    write_as(client, title="Doomed")
    write_as(client, text="Another abstract entirely. It is short.", title="Kept")
    doomed = Draft.objects.get(title="Doomed")
    page = client.get(f"/write/{doomed.pk}/delete/")
    assert page.status_code == 200 and "Delete “Doomed”?" in page.content.decode()
    assert Draft.objects.count() == 2
    response = client.post(f"/write/{doomed.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == "/write/"
    assert list(Draft.objects.values_list("title", flat=True)) == ["Kept"]
    assert Revision.objects.count() == 1 and RevisionSentence.objects.filter(revision__draft=doomed.pk).count() == 0


def test_the_write_page_lists_the_learners_drafts_with_their_move_maps(client, write_as):
    write_as(client, title="First")
    write_as(client, text="Another abstract entirely. However, it lacks a problem.", title="Second")
    html = client.get("/write/").content.decode()
    assert html.index(">Second</a>") < html.index(">First</a>")
    assert html.count('<ol class="move-strip"') == 2


def test_pages_refuse_other_methods(client, write_as):
    write_as(client)
    draft = Draft.objects.get()
    assert client.put("/write/").status_code == 405
    assert client.post(draft.get_absolute_url()).status_code == 405
    assert client.get(check_url(draft)).status_code == 405
    assert client.get(f"/write/{draft.pk}/rename/").status_code == 405
    assert client.get(f"/write/{draft.pk}/revisions/1/sentences/1/intent/").status_code == 405
    assert client.post(f"/write/{draft.pk}/revisions/1/").status_code == 405


def test_draft_pages_are_private_and_never_stored(client, write_as):
    write_as(client)
    draft = Draft.objects.get()
    for url in ("/write/", draft.get_absolute_url(), f"/write/{draft.pk}/revisions/1/", f"/write/{draft.pk}/delete/"):
        cache_control = client.get(url)["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control, url


def test_advice_links_to_the_lesson_that_teaches_it(client, write_as, scripted_tagger):
    write_as(client, text="In this paper, we present a tool. However, existing tools are slow.")
    html = client.get(Draft.objects.get().get_absolute_url()).content.decode()
    assert 'data-advice="problem-after-contribution"' in html
    assert 'data-advice="no-result"' in html
    assert '<a href="/lessons/meta-information/">Read the lesson: Meta information: title and abstract</a>' in html


def test_a_well_ordered_abstract_gets_no_advice(client, write_as, scripted_tagger):
    write_as(client)
    html = client.get(Draft.objects.get().get_absolute_url()).content.decode()
    assert "data-advice=" not in html and "Nothing to flag" in html


def test_a_new_session_starts_with_no_drafts(write_as):
    first, second = Client(), Client()
    write_as(first)
    html = second.get("/write/").content.decode()
    assert "Your drafts" not in html
