"""The exercise editor's pages (issue 19): an instructor pastes a passage, corrects its split, labels it
with the tagger's help, previews it as a student and publishes revisions; exports and imports it.
`courses.authoring` itself is tested in test_authoring.py."""

import re
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from courses import authoring
from courses.models import CourseExercise, ExerciseRevision
from exercises.models import Answer, Attempt, Exercise, Learner, Sentence, Verdict

pytestmark = pytest.mark.django_db

ABSTRACT = (
    "Machine translation has improved quickly in recent years. However, low-resource languages still lack "
    "parallel data. In this paper, we propose a method that mines parallel sentences from comparable corpora. "
    "Our results show gains of up to 5 BLEU points, which matters for millions of speakers."
)
HTMX = {"HX-Request": "true"}


def url(name, course, course_exercise=None):
    args = [course.slug] + ([course_exercise.slug] if course_exercise is not None else [])
    return reverse(name, args=args)


def new_exercise(client, course, passage=ABSTRACT, label_set="abstract"):
    response = client.post(url("course_exercise_new", course), {"passage": passage, "label_set": label_set})
    assert response.status_code == 302, response.content.decode()
    return CourseExercise.objects.get(course=course, slug=response["Location"].split("/")[-3])


class EditorFields(HTMLParser):
    """What a browser sends when the editor's main form is submitted as the page shows it."""

    def __init__(self):
        super().__init__()
        self.data, self.inside, self.textarea = {}, False, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = "editor-form" in (attrs.get("class") or "")
        if not self.inside or "form" in attrs:  # a control of another form (join, split)
            return
        if tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in ("radio", "checkbox"):
                if "checked" in attrs:
                    self.data[attrs["name"]] = attrs.get("value", "on")
            else:
                self.data[attrs["name"]] = attrs.get("value", "")
        elif tag == "textarea":
            self.textarea = attrs["name"]
            self.data[self.textarea] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea] += data.removeprefix("\n") if not self.data[self.textarea] else data


def editor_data(client, course, course_exercise, **changes):
    """The editor's form as shown, with `changes` (None removes a field)."""
    html = client.get(url("course_exercise_edit", course, course_exercise)).content.decode()
    parser = EditorFields()
    parser.feed(html)
    data = {**parser.data, **changes}
    return {key: value for key, value in data.items() if value is not None}


def complete(client, course, course_exercise, **changes):
    """Fill in everything publishing needs, through the editor, and save."""
    fields = {
        "title": "Moves of an abstract on low-resource translation",
        "source": "Doe, J. (2024). Mining parallel sentences. Journal of Examples, 1, 1-10.",
        "paper_licence": "CC BY 4.0",
        "paper_url": "https://doi.org/10.1234/example",
    }
    for n in range(1, len(CourseExercise.objects.get(pk=course_exercise.pk).draft["sentences"]) + 1):
        fields[f"s{n}-confirmed"] = "on"
        fields[f"s{n}-explanation"] = f"Sentence {n} does its job: *see* its signal words."
    fields.update(changes)
    response = client.post(
        url("course_exercise_edit", course, course_exercise), editor_data(client, course, course_exercise, **fields)
    )
    assert response.status_code == 302, response.content.decode()
    course_exercise.refresh_from_db()
    assert authoring.check(course_exercise)[0] == []
    return course_exercise


def attributes_of(html, element_id):
    """The attributes of the element whose id is `element_id`."""
    tag = re.search(rf'<[a-z]+\b[^>]*\bid="{re.escape(element_id)}"[^>]*>', html).group(0)
    return dict(re.findall(r'([a-z-]+)="([^"]*)"', tag))


def last_message(response):
    return str(list(response.wsgi_request._messages)[-1])


@pytest.fixture
def teaching(client, instructor, course):
    client.force_login(instructor)
    return course


@pytest.fixture
def draft(client, teaching):
    return new_exercise(client, teaching)


# Step one: the passage.


def test_the_new_page_asks_only_for_the_passage_and_its_label_set(client, teaching):
    response = client.get(url("course_exercise_new", teaching))
    html = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert '<textarea name="passage"' in html
    assert re.search(r'<input type="radio" name="label_set" value="abstract"[^>]*checked', html)
    for slug, name in authoring.label_set_choices():
        assert f'value="{slug}"' in html and name in html
    assert re.findall(r'<(?:input|textarea|select)[^>]*name="([^"]+)"', html).count("title") == 0


def test_pasting_an_abstract_splits_it_and_marks_the_taggers_labels_as_suggestions(client, teaching):
    course_exercise = new_exercise(client, teaching)
    sentences = course_exercise.draft["sentences"]
    assert [sentence["text"] for sentence in sentences][:2] == [
        "Machine translation has improved quickly in recent years.",
        "However, low-resource languages still lack parallel data.",
    ]
    assert len(sentences) == 4 and course_exercise.created_by.username == "instructor"
    assert all(
        sentence["suggestion"]["label"] == sentence["label"] and not sentence["confirmed"] for sentence in sentences
    )
    html = client.get(url("course_exercise_edit", teaching, course_exercise)).content.decode()
    assert html.count('<fieldset class="sentence-editor"') == 4
    assert "<legend>Sentence 4</legend>" in html
    assert re.search(r"Suggested by the tagger: <strong>The problem</strong>, \d+% sure: ", html)
    assert 'name="s2-confirmed"' in html
    # Not yet confirmed: a problem, named beside the label, linked from the summary.
    assert "check it, then tick “confirmed”" in html
    assert 'href="#id_s2-label_0">Sentence 2, right label</a>' in html
    assert re.search(
        r'<input type="radio" name="s2-label" value="problem"[^>]*aria-describedby="[^"]*s2-label-problems', html
    )


def test_a_label_set_the_tagger_does_not_know_gets_no_suggestions(client, teaching):
    course_exercise = new_exercise(client, teaching, label_set="end")
    assert all(
        "suggestion" not in sentence and sentence["label"] == "" for sentence in course_exercise.draft["sentences"]
    )
    html = client.get(url("course_exercise_edit", teaching, course_exercise)).content.decode()
    assert "Suggested by the tagger" not in html and "-confirmed" not in html


@pytest.mark.parametrize(
    "passage, label_set, message",
    [
        ("One sentence only.", "abstract", "at least two sentences"),
        ("", "abstract", "Paste the passage first"),
        ("A sentence here. " * 41, "abstract", "the limit is 40"),
        ("Long words. " + "x" * 5001, "abstract", "the limit is 5,000"),
        (ABSTRACT, "no-such-set", "not a set of moves"),
    ],
)
def test_a_passage_out_of_bounds_is_refused_and_nothing_is_written(client, teaching, passage, label_set, message):
    response = client.post(url("course_exercise_new", teaching), {"passage": passage, "label_set": label_set})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CourseExercise.objects.exists()


def test_a_course_holds_at_most_50_exercises_of_its_own(client, teaching, instructor, settings):
    assert settings.COURSE_EXERCISES_MAX == 50
    CourseExercise.objects.bulk_create(
        CourseExercise(course=teaching, slug=f"draft-{n}", draft={}, created_by=instructor) for n in range(50)
    )
    response = client.post(url("course_exercise_new", teaching), {"passage": ABSTRACT, "label_set": "abstract"})
    assert response.status_code == 409
    assert "50 exercises of its own" in response.content.decode()
    assert "the most it can have" in client.get(url("course_exercise_new", teaching)).content.decode()
    exported = authoring.export_toml(CourseExercise(course=teaching, slug="x", draft=_publishable_draft()))
    response = client.post(url("course_exercise_import", teaching), {"text": exported})
    assert response.status_code == 409
    assert CourseExercise.objects.filter(course=teaching).count() == 50


# Correcting the split.


def test_joining_makes_a_sentence_and_the_next_one_sentence(client, teaching, draft):
    edit = url("course_exercise_edit", teaching, draft)
    digest = editor_data(client, teaching, draft)["digest"]
    response = client.post(edit, {"action": "join", "position": "2", "digest": digest})
    assert response.status_code == 302 and response["Location"] == f"{edit}#sentence-2"
    draft.refresh_from_db()
    texts = [sentence["text"] for sentence in draft.draft["sentences"]]
    assert texts[1] == (
        "However, low-resource languages still lack parallel data. In this paper, we propose a method that "
        "mines parallel sentences from comparable corpora."
    )
    assert len(texts) == 3 and "suggestion" not in draft.draft["sentences"][1]


def test_splitting_makes_two_sentences_where_the_typed_words_begin(client, teaching, draft):
    edit = url("course_exercise_edit", teaching, draft)
    digest = editor_data(client, teaching, draft)["digest"]
    response = client.post(edit, {"action": "split", "position": "4", "at": "which  matters", "digest": digest})
    assert response.status_code == 302
    draft.refresh_from_db()
    texts = [sentence["text"] for sentence in draft.draft["sentences"]]
    assert texts[3:] == ["Our results show gains of up to 5 BLEU points,", "which matters for millions of speakers."]


def test_an_htmx_join_returns_the_editor_alone(client, teaching, draft):
    digest = editor_data(client, teaching, draft)["digest"]
    response = client.post(
        url("course_exercise_edit", teaching, draft),
        {"action": "join", "position": "1", "digest": digest},
        headers=HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200 and response["Vary"].count("HX-Request") == 1
    assert html.lstrip().startswith('<div id="editor"') and "<html" not in html
    assert html.count('<fieldset class="sentence-editor"') == 3
    # The notice of what was done takes the focus (the editor is new: it would fall to the page's body).
    assert 'role="status" tabindex="-1" autofocus>Sentences 1 and 2 are one sentence now: label it again.</p>' in html


@pytest.mark.parametrize(
    "posted, message",
    [
        ({"action": "split", "position": "2", "at": "nowhere in it"}, "has no “nowhere in it”"),
        ({"action": "split", "position": "2", "at": "However,"}, "after its first word"),
        ({"action": "split", "position": "2", "at": ""}, "Type the words"),
        ({"action": "split", "position": "1", "at": "on has improved"}, "has no “on has improved”"),  # inside a word
        ({"action": "join", "position": "4"}, "no sentence after sentence 4"),
        ({"action": "join", "position": "9"}, "no sentence after sentence 9"),
        ({"action": "join", "position": "x"}, "whole number"),
        ({"action": "join", "position": "1", "digest": "0123456789abcdef"}, "reload the editor"),
    ],
)
def test_a_correction_that_cannot_be_made_is_refused_with_400(client, teaching, draft, posted, message):
    before = CourseExercise.objects.get(pk=draft.pk).draft
    data = {"digest": editor_data(client, teaching, draft)["digest"], **posted}
    response = client.post(url("course_exercise_edit", teaching, draft), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert CourseExercise.objects.get(pk=draft.pk).draft == before


# Saving and checking.


def test_saving_stores_the_draft_and_shows_each_problem_beside_its_field(client, teaching, draft):
    edit = url("course_exercise_edit", teaching, draft)
    data = editor_data(client, teaching, draft, title="A title", paper_url="not a link", **{"s1-confirmed": "on"})
    response = client.post(edit, data)
    assert response.status_code == 302 and response["Location"] == f"{edit}#editor-problems"
    draft.refresh_from_db()
    assert draft.draft["title"] == "A title" and draft.draft["paper"]["url"] == "not a link"
    assert draft.draft["sentences"][0]["confirmed"] and not draft.draft["sentences"][1]["confirmed"]
    html = client.get(edit).content.decode()
    assert "Draft saved." in html
    # Each problem: beside its field (by id, in words), described by it, and linked from the summary.
    for field_id, slot, name in [
        ("id_source", "source", "Source"),
        ("id_paper_licence", "paper_licence", "Licence"),
        ("id_paper_url", "paper_url", "Link to the paper"),
        ("id_s1-explanation", "s1-explanation", "Sentence 1, explanation"),
        ("id_s2-label_0", "s2-label", "Sentence 2, right label"),
    ]:
        assert f'<a href="#{field_id}">{name}</a>' in html
        assert f'<p class="field-problem" id="{slot}-problems"><strong>To fix before publishing:</strong>' in html
        field = attributes_of(html, field_id)
        assert f"{slot}-problems" in field["aria-describedby"].split() and field["aria-invalid"] == "true"
    assert "not a link" in html.split('id="paper_url-problems">')[1].split("</p>")[0]
    assert 'href="#id_s1-label_0"' not in html  # sentence 1 is confirmed
    assert 'id="title-problems"' not in html and "aria-invalid" not in attributes_of(html, "id_title")


def test_an_htmx_save_returns_the_editor_with_its_problems_and_no_message_for_later(client, teaching, draft):
    edit = url("course_exercise_edit", teaching, draft)
    response = client.post(edit, editor_data(client, teaching, draft, title="Saved by htmx"), headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith('<div id="editor"')
    assert (
        'role="status" tabindex="-1">Draft saved.</p>' in html
        and 'id="editor-problems" tabindex="-1" role="alert" autofocus' in html
    )
    assert CourseExercise.objects.get(pk=draft.pk).draft["title"] == "Saved by htmx"
    assert "Draft saved." not in client.get(edit).content.decode()


def test_choosing_another_label_than_the_suggestion_counts_as_confirmed(client, teaching, draft):
    data = editor_data(client, teaching, draft, **{"s1-label": "problem", "s2-label": "problem"})
    client.post(url("course_exercise_edit", teaching, draft), data)
    draft.refresh_from_db()
    first, second = draft.draft["sentences"][:2]
    assert first["label"] == "problem" and first["confirmed"]
    assert second["label"] == "problem" and not second["confirmed"]  # the tagger's label, not ticked


def test_ticked_words_make_signals_that_are_always_in_the_sentence(client, teaching, draft):
    # Sentence 2: However(0) low-resource(1) languages(2) still(3) lack(4) parallel(5) data(6).
    # Sentence 4: Our(0) results(1) show(2) gains(3) of(4) up(5) to(6) 5(7) BLEU(8) points(9) which(10) matters(11)...
    ticks = {"s2-w0": "on", "s2-w3": "on", "s2-w4": "on", "s4-w9": "on", "s4-w10": "on", "s4-w11": "on"}
    client.post(url("course_exercise_edit", teaching, draft), editor_data(client, teaching, draft, **ticks))
    draft.refresh_from_db()
    second, fourth = draft.draft["sentences"][1], draft.draft["sentences"][3]
    assert second["signals"] == ["However", "still lack"]
    assert fourth["signals"] == ["points, which matters"]  # the punctuation between ticked words is kept
    assert all(signal in sentence["text"] for sentence in draft.draft["sentences"] for signal in sentence["signals"])
    # Shown again ticked, and said in words.
    data = editor_data(client, teaching, draft)
    assert {key for key in data if re.fullmatch(r"s\d+-w\d+", key)} == set(ticks)
    html = client.get(url("course_exercise_edit", teaching, draft)).content.decode()
    assert "Signals: “However”, “still lack”." in html
    unticked = '<input type="checkbox" name="s2-w1" id="id_s2-w1" aria-describedby="s2-signals-help">'
    assert f'{unticked}<label for="id_s2-w1">low-resource</label>' in html


def test_a_ticked_word_that_is_not_a_word_of_the_sentence_is_ignored(client, teaching, draft):
    client.post(url("course_exercise_edit", teaching, draft), editor_data(client, teaching, draft, **{"s1-w99": "on"}))
    draft.refresh_from_db()
    assert draft.draft["sentences"][0]["signals"] == []


def test_feedback_is_asked_for_each_wrong_label_and_kept(client, teaching, draft):
    html = client.get(url("course_exercise_edit", teaching, draft)).content.decode()
    # Sentence 2 is labelled "problem": feedback for the three other labels.
    assert re.findall(r'name="s2-feedback-([a-z-]+)"', html) == ["lead-in", "about", "importance"]
    assert "If a student chooses The problem" not in html.split('id="sentence-2"')[1].split('id="sentence-3"')[0]
    data = editor_data(client, teaching, draft, **{"s2-feedback-about": "No: *still lack* names a gap."})
    client.post(url("course_exercise_edit", teaching, draft), data)
    draft.refresh_from_db()
    assert draft.draft["sentences"][1]["feedback"] == {"about": "No: *still lack* names a gap."}


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"s1-label": "no-such-label"}, "no-such-label is not a label of this exercise"),
        ({"s1-label": "future"}, "future is not a label of this exercise"),
        ({"title": "t" * 201}, "at most 200 characters"),
        ({"s1-explanation": "e" * 2001}, "at most 2000 characters"),
        ({"s1-feedback-about": "f" * 1001}, "at most 1000 characters"),
        ({"instructions": "i" * 3001}, "at most 3000 characters"),
        ({"difficulty": "7"}, "1, 2 or 3, not 7"),
        ({"digest": None}, "without its digest"),
        ({"digest": "0123456789abcdef"}, "joined or split after this page was opened"),
        ({"action": "publish-everything"}, "This form does not exist"),
    ],
)
def test_malformed_input_is_refused_with_400_and_the_draft_is_unchanged(client, teaching, draft, changes, message):
    before = CourseExercise.objects.get(pk=draft.pk).draft
    data = editor_data(client, teaching, draft, **{"paper_title": "Not to be saved", **changes})
    response = client.post(url("course_exercise_edit", teaching, draft), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html and ("Nothing was saved" in html)
    assert CourseExercise.objects.get(pk=draft.pk).draft == before


def test_a_refused_field_is_shown_as_sent_with_its_error_beside_it(client, teaching, draft):
    data = editor_data(client, teaching, draft, title="t" * 201)
    html = client.post(url("course_exercise_edit", teaching, draft), data, headers=HTMX).content.decode()
    assert html.lstrip().startswith('<div id="editor"')
    title = attributes_of(html, "id_title")
    assert title["value"] == "t" * 201
    assert title["aria-describedby"] == "id_title_helptext id_title_error" and title["aria-invalid"] == "true"
    assert '<p class="field-error" id="id_title_error"><strong>Not saved:</strong>' in html


# Preview.


def test_the_preview_shows_the_exercise_as_students_see_it_and_writes_nothing(client, teaching, draft):
    complete(client, teaching, draft, **{"s2-feedback-about": "Not the contribution: *still lack* names a gap."})

    def counts():
        return (Exercise.everywhere.count(), Sentence.objects.count(), Attempt.objects.count(), Learner.objects.count())

    before = counts()
    preview = url("course_exercise_preview", teaching, draft)
    response = client.get(preview)
    html = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "Preview: this is what your students see; nothing you submit here is recorded" in html
    assert "Moves of an abstract on low-resource translation" in html and "Read the passage first" in html
    assert f'action="{preview}"' in html and "Your attempts" not in html
    assert counts() == before
    # Every sentence answered "about": sentence 2's feedback for that wrong label is shown.
    data = _answers_from(html, "about")
    response = client.post(preview, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Feedback on your preview: 1 of 4 right (25%)" in html
    assert (
        "<strong>Why not What the paper is about:</strong> Not the contribution: <em>still lack</em> names a gap."
        in html
    )
    assert "I think my label fits" not in html and "contest" not in html and "Sign up" not in html
    assert "How your class" not in html and "Questions on this exercise" not in html
    assert counts() == before
    assert "learner" not in "".join(client.session.keys())


def test_an_htmx_answer_in_the_preview_returns_the_feedback_alone(client, teaching, draft):
    complete(client, teaching, draft)
    preview = url("course_exercise_preview", teaching, draft)
    data = _answers_from(client.get(preview).content.decode(), "lead-in")
    response = client.post(preview, data, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith('<div id="work"')
    assert "Feedback on your preview: 1 of 4 right (25%)" in html
    assert not Attempt.objects.exists()


def test_the_preview_grades_each_answer_by_its_sentences_place_though_its_rows_are_new(client, teaching, draft):
    complete(client, teaching, draft)
    preview = url("course_exercise_preview", teaching, draft)
    data = _answers_from(client.get(preview).content.decode(), "lead-in")
    shown = data["preview_sentences"].split(",")
    data[f"sentence-{shown[1]}"] = "problem"
    # The next preview's rows get other ids: on SQLite publishing takes the ids the rolled-back rows had,
    # on PostgreSQL a sequence never gives an id twice.
    client.post(url("course_exercise_publish", teaching, draft))
    html = client.post(preview, data).content.decode()
    assert "Feedback on your preview: 2 of 4 right (50%)" in html


def test_an_incomplete_answer_in_the_preview_is_refused_like_a_students(client, teaching, draft):
    complete(client, teaching, draft)
    preview = url("course_exercise_preview", teaching, draft)
    data = _answers_from(client.get(preview).content.decode(), "lead-in")
    data.pop(next(key for key in data if key.startswith("sentence-")))
    response = client.post(preview, data)
    assert response.status_code == 400
    assert "Choose a label for sentence 1." in response.content.decode()


def test_the_preview_of_an_incomplete_draft_lists_its_problems_linking_to_the_editor(client, teaching, draft):
    before = Exercise.everywhere.count()
    response = client.get(url("course_exercise_preview", teaching, draft))
    html = response.content.decode()
    edit = url("course_exercise_edit", teaching, draft)
    assert response.status_code == 200
    assert "to fix before previewing or publishing" in html
    assert f'<a href="{edit}#id_source">Source</a>' in html and f'<a href="{edit}#id_s1-label_0">' in html
    assert "Preview: this is what your students see" not in html
    assert Exercise.everywhere.count() == before


def test_instructors_markdown_reaches_the_preview_sanitised(client, teaching, draft):
    complete(client, teaching, draft, **{"s1-explanation": "Fine <script>alert(1)</script> **bold**"})
    preview = url("course_exercise_preview", teaching, draft)
    html = client.post(preview, _answers_from(client.get(preview).content.decode(), "lead-in")).content.decode()
    assert "<strong>bold</strong>" in html and "<script>alert" not in html


def _answers_from(html, label):
    """The preview's answer form with every sentence labelled `label`."""
    data = {
        "version": re.search(r'name="version" value="([^"]+)"', html).group(1),
        "preview_sentences": re.search(r'name="preview_sentences" value="([^"]*)"', html).group(1),
    }
    for name in dict.fromkeys(re.findall(r'name="(sentence-\d+)"', html)):
        data[name] = label
    return data


# Publishing.


def test_publishing_makes_revision_1_then_2_after_an_edit_and_none_when_nothing_changed(client, teaching, draft):
    complete(client, teaching, draft)
    publish = url("course_exercise_publish", teaching, draft)
    response = client.post(publish, follow=False)
    assert response.status_code == 302 and response["Location"] == url("course_own_exercises", teaching)
    draft.refresh_from_db()
    first = draft.current
    assert [r.number for r in draft.revisions.all()] == [1]
    assert not first.listed and first.home == f"/courses/{teaching.slug}/own/{draft.slug}/"
    assert first.title == draft.title == "Moves of an abstract on low-resource translation"
    assert last_message(response) == f"Published revision 1 of “{first.title}”: your students now do it."
    # Publishing again unchanged makes nothing new.
    response = client.post(publish)
    assert last_message(response) == "Nothing changed since revision 1: your students still do it."
    assert ExerciseRevision.objects.count() == 1
    # After an edit: revision 2, the exercise students do now.
    client.post(url("course_exercise_edit", teaching, draft), editor_data(client, teaching, draft, title="Renamed"))
    client.post(publish)
    draft.refresh_from_db()
    assert [r.number for r in draft.revisions.all()] == [2, 1]
    assert draft.current.title == "Renamed" and draft.current != first
    assert Exercise.everywhere.get(pk=first.pk).title == "Moves of an abstract on low-resource translation"
    html = client.get(url("course_exercise_edit", teaching, draft)).content.decode()
    assert "Revision 2 is what your students do." in html and "Publish revision 3" in html


def test_the_editor_says_when_the_draft_differs_from_the_published_revision(client, teaching, draft):
    complete(client, teaching, draft)
    client.post(url("course_exercise_publish", teaching, draft))
    client.post(url("course_exercise_edit", teaching, draft), editor_data(client, teaching, draft, title="Changed"))
    html = client.get(url("course_exercise_edit", teaching, draft)).content.decode()
    assert "this draft has changes not yet published" in html


def test_publishing_an_incomplete_draft_is_refused_with_its_problems(client, teaching, draft):
    response = client.post(url("course_exercise_publish", teaching, draft))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Not published: fix the" in html and '<a href="#id_source">Source</a>' in html
    assert not ExerciseRevision.objects.exists() and CourseExercise.objects.get(pk=draft.pk).current is None


def test_earlier_answers_are_regraded_only_when_the_instructor_asks(client, teaching, draft, make, student):
    complete(client, teaching, draft)
    publish = url("course_exercise_publish", teaching, draft)
    edit = url("course_exercise_edit", teaching, draft)
    client.post(publish)
    first = CourseExercise.objects.get(pk=draft.pk).current
    assert "Also regrade earlier answers" not in client.get(edit).content.decode()  # nobody answered yet
    attempt = make.attempt(make.learner(student), first, label_slug="problem")  # sentence 2 right only
    assert "Also regrade earlier answers against the new right labels" in client.get(edit).content.decode()

    def verdicts():
        answers = Answer.objects.filter(attempt=attempt).order_by("sentence__position")
        return list(answers.values_list("verdict", flat=True))

    assert verdicts() == [Verdict.WRONG, Verdict.RIGHT, Verdict.WRONG, Verdict.WRONG]
    # Sentence 1's right label becomes "problem": not regraded unless asked.
    client.post(edit, editor_data(client, teaching, draft, **{"s1-label": "problem"}))
    response = client.post(publish)
    assert verdicts() == [Verdict.WRONG, Verdict.RIGHT, Verdict.WRONG, Verdict.WRONG]
    assert "regraded" not in last_message(response)
    # Sentence 3 too, and this time regrade: both earlier answers of "problem" become right.
    client.post(edit, editor_data(client, teaching, draft, **{"s3-label": "problem", "s3-confirmed": "on"}))
    response = client.post(publish, {"regrade": "on"})
    assert verdicts() == [Verdict.RIGHT, Verdict.RIGHT, Verdict.RIGHT, Verdict.WRONG]
    notice = last_message(response)
    assert notice.startswith("Published revision 3") and notice.endswith(
        "2 earlier answers regraded against its right labels."
    )


# Export and import.


def test_export_then_import_gives_the_same_exercise(client, teaching, draft, make, instructor):
    complete(
        client,
        teaching,
        draft,
        **{"s2-w4": "on", "s2-feedback-about": "A gap, not a contribution.", "field": "Linguistics"},
    )
    response = client.get(url("course_exercise_export", teaching, draft))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{draft.slug}.toml"'
    assert "no-store" in response["Cache-Control"]
    exported = response.content.decode()
    other = make.course(instructor, "Writing 102")
    upload = SimpleUploadedFile("exercise.toml", exported.encode(), content_type="application/toml")
    response = client.post(url("course_exercise_import", other), {"file": upload})
    assert response.status_code == 302
    imported = CourseExercise.objects.get(course=other)
    assert response["Location"] == url("course_exercise_edit", other, imported)
    # Pasted into the same course, it gets a slug of its own.
    response = client.post(url("course_exercise_import", teaching), {"text": exported})
    again = CourseExercise.objects.get(course=teaching, slug=f"{draft.slug}-2")
    original = authoring.check(draft)[1]
    for copy in (imported, again):
        errors, data = authoring.check(copy)
        assert errors == []
        assert _apart_from_slug(data) == _apart_from_slug(original)
    assert authoring.check(imported)[1]["slug"] == draft.slug


def _apart_from_slug(data):
    # The version digests the slug too.
    return {key: value for key, value in data.items() if key not in ("slug", "version")}


def test_an_import_with_problems_lists_every_one_and_writes_nothing(client, teaching):
    text = (
        'slug = "broken"\ntitle = ""\npart = "meta"\nlabel_set = "abstract"\ninstructions = "Label."\nsource = "S."\n'
    )
    text += '\n[[sentences]]\ntext = "One."\nlabel = "nope"\nexplanation = "E."\n\n[[sentences]]\ntext = "Two."\n'
    response = client.post(url("course_exercise_import", teaching), {"text": text})
    html = response.content.decode()
    assert response.status_code == 400
    assert "<code>title</code>" in html and "`title` is empty" in html
    assert not CourseExercise.objects.exists()
    response = client.post(url("course_exercise_import", teaching), {"text": "this is = = not toml"})
    assert response.status_code == 400 and "not valid TOML" in response.content.decode()


@pytest.mark.parametrize(
    "posted, message",
    [
        ({}, "Choose a .toml file, or paste its text"),
        ({"file": ("exercise.txt", b'slug = "x"')}, "Choose a .toml file"),
        ({"file": ("exercise.toml", b"\xff\xfe bad")}, "not UTF-8"),
        ({"file": ("exercise.toml", b'slug = "x"'), "text": 'slug = "x"'}, "not both"),
    ],
)
def test_an_import_that_is_not_one_file_of_text_is_refused(client, teaching, posted, message):
    data = {key: SimpleUploadedFile(*value) if key == "file" else value for key, value in posted.items()}
    response = client.post(url("course_exercise_import", teaching), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not CourseExercise.objects.exists()


def _publishable_draft():
    return {
        "slug": "x",
        "title": "T",
        "part": "meta",
        "label_set": "abstract",
        "instructions": "Label.",
        "source": "S.",
        "difficulty": 2,
        "field": "",
        "paper": {"title": "", "licence": "CC BY 4.0", "url": "https://example.org/"},
        "sentences": [
            {"text": t, "label": "lead-in", "also_accepted": [], "explanation": "E.", "signals": [], "feedback": {}}
            for t in ("One thing.", "Another thing.")
        ],
    }


# Delete.


def test_a_draft_never_published_can_be_deleted_after_a_confirmation(client, teaching, draft):
    delete = url("course_exercise_delete", teaching, draft)
    html = client.get(delete).content.decode()
    assert f'<form method="post" action="{delete}"' in html and CourseExercise.objects.filter(pk=draft.pk).exists()
    response = client.post(delete)
    assert response.status_code == 302 and response["Location"] == url("course_own_exercises", teaching)
    assert not CourseExercise.objects.filter(pk=draft.pk).exists()


def test_a_published_exercise_cannot_be_deleted(client, teaching, draft):
    complete(client, teaching, draft)
    client.post(url("course_exercise_publish", teaching, draft))
    delete = url("course_exercise_delete", teaching, draft)
    assert "its revisions hold your students' attempts" in client.get(delete).content.decode()
    response = client.post(delete)
    assert response.status_code == 400 and "cannot be deleted" in response.content.decode()
    assert CourseExercise.objects.filter(pk=draft.pk).exists() and ExerciseRevision.objects.count() == 1


# Who may, and how.


def _pages(course, course_exercise):
    own = ["course_exercise_edit", "course_exercise_preview", "course_exercise_delete", "course_exercise_export"]
    pages = [("get", url(name, course, course_exercise)) for name in own]
    pages += [("post", url(name, course, course_exercise)) for name in [*own[:3], "course_exercise_publish"]]
    pages += [
        (method, url(name, course))
        for name in ("course_exercise_new", "course_exercise_import")
        for method in ("get", "post")
    ]
    return pages


@pytest.mark.parametrize("who", ["student", "other instructor", "stranger"])
def test_only_the_courses_instructors_reach_the_editor(client, teaching, draft, make, student, who):
    teaching.join(student)
    other = make.user("other-instructor")
    make.course(other, "Another course")
    user = {"student": student, "other instructor": other, "stranger": make.user("someone")}[who]
    client.force_login(user)
    for method, address in _pages(teaching, draft):
        assert getattr(client, method)(address).status_code == 404, (method, address)
    assert CourseExercise.objects.get(pk=draft.pk).draft["title"] == ""


def test_a_co_instructor_may_edit(client, teaching, draft, make):
    colleague = make.user("colleague")
    teaching.add_instructor(colleague)
    client.force_login(colleague)
    assert client.get(url("course_exercise_edit", teaching, draft)).status_code == 200


def test_a_visitor_who_is_not_logged_in_is_sent_to_log_in(client, teaching, draft):
    client.logout()
    for method, address in _pages(teaching, draft):
        response = getattr(client, method)(address)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), address


def test_an_exercise_of_another_course_is_not_found_through_this_one(client, teaching, make, instructor):
    theirs = new_exercise(client, make.course(instructor, "Writing 102"))
    assert client.get(f"/courses/{teaching.slug}/own/{theirs.slug}/edit/").status_code == 404


def test_pages_refuse_the_methods_they_do_not_take(client, teaching, draft):
    assert client.get(url("course_exercise_publish", teaching, draft)).status_code == 405
    assert client.post(url("course_exercise_export", teaching, draft)).status_code == 405
    assert client.put(url("course_exercise_edit", teaching, draft)).status_code == 405


def test_every_page_is_kept_by_no_cache(client, teaching, draft):
    for address in [url("course_exercise_new", teaching), url("course_exercise_import", teaching)] + [
        url(name, teaching, draft)
        for name in ("course_exercise_edit", "course_exercise_preview", "course_exercise_delete")
    ]:
        response = client.get(address)
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"], address


# What the pages cost.


def _long_passage(sentences):
    return " ".join(f"Sentence number {n} says something about the topic of the paper." for n in range(sentences))


@pytest.mark.parametrize("sentences", [2, 30])
def test_the_editor_costs_the_same_queries_however_many_sentences(
    client, teaching, django_assert_max_num_queries, sentences
):
    course_exercise = new_exercise(client, teaching, _long_passage(sentences))
    assert len(course_exercise.draft["sentences"]) == sentences
    edit = url("course_exercise_edit", teaching, course_exercise)
    # session, user, course and role, the exercise, its moves, check (parts, excerpts, moves), the latest
    # revision, whether it was answered (once there is one), the nav's count of new answers
    with django_assert_max_num_queries(11):
        assert client.get(edit).status_code == 200


@pytest.mark.parametrize("sentences", [2, 30])
def test_the_preview_costs_the_same_queries_however_many_sentences(
    client, teaching, django_assert_max_num_queries, sentences
):
    course_exercise = new_exercise(client, teaching, _long_passage(sentences), label_set="end")
    data = {f"s{n}-label": "restate" for n in range(1, sentences + 1)}
    data |= {f"s{n}-explanation": "E." for n in range(1, sentences + 1)}
    complete(client, teaching, course_exercise, **data)
    # session, user, course, exercise, check (3); the revision's rows: part, label set, moves, lesson, two inserts;
    # the page: sentences, labels, lesson, excerpt, accepted labels, the nav; the savepoint and its rollback (3)
    with django_assert_max_num_queries(22):
        assert client.get(url("course_exercise_preview", teaching, course_exercise)).status_code == 200


def test_a_long_passage_fits_in_one_post(client, teaching):
    """The editor of the longest passage, every field sent, stays within the site's limits on a form."""
    course_exercise = new_exercise(client, teaching, _long_passage(40))
    data = editor_data(client, teaching, course_exercise)
    data |= {f"s{n}-w{k}": "on" for n in range(1, 41) for k in range(2)}
    response = client.post(url("course_exercise_edit", teaching, course_exercise), data)
    assert response.status_code == 302, response.content.decode()[:300]
