"""A reload shows at once: every content cache (the rendered fragments, an exercise's sentences and labels,
the move maps) is keyed on the guide's version, which every load rewrites.

Each test warms the caches of this process first, then loads changed files. The same reload under
gunicorn, in every worker, is tested in writing_guide/tests/test_reloading_in_every_worker.py.
"""

import re

import pytest
from django.conf import settings

from exercises.loader import load_guide
from exercises.models import Attempt, Exercise
from exercises.tests import guide_changes as changes
from lessons.models import Lesson, Paper

pytestmark = pytest.mark.django_db

FIELD = re.compile(r'name="(sentence-\d+)"')


def assert_exercise_page_is_current(client, make):
    """The page offers the sentences the database holds, under their ids, and a right answer is accepted."""
    exercise = Exercise.objects.get(slug=changes.SLUG)
    sentences = list(exercise.sentences.all())
    html = client.get(changes.EXERCISE_URL).content.decode()
    assert set(FIELD.findall(html)) == {sentence.field_name for sentence in sentences}
    assert " ".join(sentence.text_html for sentence in sentences) in html  # the passage
    for sentence in sentences:
        assert f'<span class="sentence-text" hx-disable>{sentence.text_html}</span>' in html  # the form
    response = client.post(changes.SUBMIT_URL, make.answers(exercise), headers={"HX-Request": "true"})
    assert response.status_code == 200, response.content.decode()[:500]
    assert f"{len(sentences)} of {len(sentences)} right" in response.content.decode()
    # The next load may drop a sentence; answers pointing at it would make that load refuse.
    Attempt.objects.filter(exercise=exercise).delete()
    return html


def submit_with_the_wrong_label(client, make):
    """Every sentence right but the second, labelled WRONG_LABEL; returns the feedback (htmx)."""
    exercise = Exercise.objects.get(slug=changes.SLUG)
    answers = make.answers(exercise)
    second = exercise.sentences.get(position=2)
    answers[second.field_name] = changes.WRONG_LABEL
    response = client.post(changes.SUBMIT_URL, answers, headers={"HX-Request": "true"})
    assert response.status_code == 200, response.content.decode()[:500]
    Attempt.objects.filter(exercise=exercise).delete()
    return response.content.decode()


def test_loading_the_old_files_again_serves_the_sentences_under_their_new_ids(client, make, tmp_path):
    # Load A, show the page, load B (a sentence dropped), load A again: the files and each exercise's
    # digest are back to A's, but the dropped sentence came back under a new id. A cache keyed on a
    # digest of the files would serve A's old ids: a stale field, and every right answer refused.
    changed = changes.changed_guide(tmp_path)
    assert_exercise_page_is_current(client, make)
    load_guide(changed)
    load_guide(settings.FIXTURES_DIR)
    assert_exercise_page_is_current(client, make)
    load_guide(changed)  # and once more, the page shown between the loads
    assert_exercise_page_is_current(client, make)


def test_a_change_shows_at_once_on_the_lesson_paper_and_exercise_pages(client, make, tmp_path):
    pages = {url: client.get(url).content.decode() for url in (changes.LESSON_URL, changes.PAPER_URL)}
    pages[changes.EXERCISE_URL] = assert_exercise_page_is_current(client, make)
    for url, html in pages.items():
        assert changes.OLD_WORDS in html and changes.NEW_PART not in html, url
    assert f"Exercise · {changes.OLD_PART}" in pages[changes.EXERCISE_URL]
    assert changes.NEW_FEEDBACK not in submit_with_the_wrong_label(client, make)

    load_guide(changes.changed_guide(tmp_path))

    for url in (changes.LESSON_URL, changes.PAPER_URL):
        html = client.get(url).content.decode()
        assert changes.NEW_WORDS in html and changes.OLD_WORDS not in html, url
        assert changes.NEW_PART in html, url
    assert f"Lesson 3 · {changes.NEW_PART}" in client.get(changes.LESSON_URL).content.decode()
    assert changes.NEW_LESSON_SENTENCE in client.get(changes.LESSON_URL).content.decode()
    assert f'<span class="layout-name">{changes.NEW_PART}</span>' in client.get(changes.PAPER_URL).content.decode()
    html = assert_exercise_page_is_current(client, make)  # the form: 5 sentences, under their ids
    assert f"Exercise · {changes.NEW_PART}" in html  # the header
    assert changes.NEW_WORDS in html and changes.OLD_WORDS not in html  # the passage and the form
    assert len(set(FIELD.findall(html))) == changes.SENTENCES_AFTER
    assert changes.NEW_FEEDBACK in submit_with_the_wrong_label(client, make)  # the feedback


def test_a_change_shows_at_once_on_a_readers_exercise_list_and_progress(client, make, student, tmp_path):
    # The bank's listing and the labels are kept per guide version (exercises.models, exercises.progress).
    other = Exercise.objects.exclude(slug=changes.SLUG).filter(label_set__name=changes.OLD_LABEL_SET).first()
    make.attempt(make.learner(student), other, right=False)
    pages = {url: client.get(url).content.decode() for url in ("/exercises/", "/progress/")}
    client.force_login(student)
    pages |= {f"{url} signed in": client.get(url).content.decode() for url in ("/exercises/", "/progress/")}
    for page, html in pages.items():
        if page.startswith("/exercises/"):
            assert changes.OLD_PART in html and changes.OLD_TITLE.replace("'", "&#x27;") in html, page
        if page == "/progress/ signed in":
            assert f"({changes.OLD_LABEL_SET.lower()})" in html

    load_guide(changes.changed_guide(tmp_path))

    for signed_in in (True, False):
        if not signed_in:
            client.logout()
        listed = client.get("/exercises/").content.decode()
        assert changes.NEW_PART in listed and changes.OLD_PART not in listed
        assert changes.NEW_TITLE.replace("'", "&#x27;") in listed and "moves of an abstract" in listed
    client.force_login(student)
    progress = client.get("/progress/").content.decode()
    assert f"({changes.NEW_LABEL_SET.lower()})" in progress and changes.OLD_LABEL_SET.lower() not in progress


def test_an_unchanged_reload_renews_the_guide_version_and_keeps_open_forms_valid(client, make):
    exercise = Exercise.objects.get(slug=changes.SLUG)
    open_form = make.answers(exercise)  # what a page opened before the load sends
    load_guide(settings.FIXTURES_DIR)
    reloaded = Exercise.objects.get(slug=changes.SLUG)
    assert reloaded.version == exercise.version
    assert reloaded.guide_version != exercise.guide_version
    # One value, written once per load on every row a page reads it from.
    versions = {
        *Exercise.objects.values_list("guide_version", flat=True),
        *Lesson.objects.values_list("guide_version", flat=True),
        *Paper.objects.values_list("guide_version", flat=True),
    }
    assert versions == {reloaded.guide_version}
    assert client.post(changes.SUBMIT_URL, open_form).status_code == 302
