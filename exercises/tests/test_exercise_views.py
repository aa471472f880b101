import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from exercises.models import Answer, Attempt, Exercise, Learner
from lessons.models import Move

pytestmark = pytest.mark.django_db


def submit_url(exercise):
    return reverse("exercise_submit", args=[exercise.slug])


def test_the_page_offers_a_labelled_radio_group_per_sentence(client, exercise):
    html = client.get(exercise.get_absolute_url()).content.decode()
    sentences = list(exercise.sentences.all())
    assert html.count("<fieldset") == len(sentences)
    assert html.count("<legend>") == len(sentences)
    for sentence in sentences:
        for label in exercise.label_set.moves.all():
            assert f'name="{sentence.field_name}" value="{label.slug}"' in html
    assert f'value="{exercise.version}"' in html


def test_every_exercise_page_answers(client):
    exercises = list(Exercise.objects.all())
    assert len(exercises) >= 9
    for exercise in exercises:
        assert client.get(exercise.get_absolute_url()).status_code == 200


def test_the_page_and_the_submit_refuse_other_methods(client, exercise):
    assert client.post(exercise.get_absolute_url()).status_code == 405
    assert client.put(exercise.get_absolute_url()).status_code == 405
    assert client.get(submit_url(exercise)).status_code == 405
    assert client.delete(submit_url(exercise)).status_code == 405


def test_a_plain_post_redirects_to_the_attempts_page_with_the_feedback(client, make, exercise):
    response = client.post(submit_url(exercise), make.answers(exercise, right=False))
    attempt = Attempt.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/exercises/{exercise.slug}/attempts/{attempt.pk}/#feedback"
    html = client.get(attempt.get_absolute_url()).content.decode()
    assert html.count('data-verdict="wrong"') == exercise.sentences.count()
    assert "Feedback on attempt 1" in html
    assert "Try again" in html


def test_an_htmx_submit_costs_six_queries_when_signed_in(client, make, student, exercise):
    client.force_login(student)
    answers = make.answers(exercise)
    client.post(submit_url(exercise), answers, headers={"HX-Request": "true"})
    with CaptureQueriesContext(connection) as captured:
        response = client.post(submit_url(exercise), answers, headers={"HX-Request": "true"})
    # The test's own transaction turns the attempt's atomic block into a savepoint; in production
    # it is the outermost transaction, which issues no statement of its own.
    statements = [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]
    # session, exercise, (PostgreSQL: lock the learner,) insert attempt, insert answers, earlier attempts,
    # how many first attempts the others made (fewer than 5 here: their answers are not read)
    assert len(statements) == 6 + connection.features.has_select_for_update, statements
    assert "Feedback on attempt 2" in response.content.decode()


def test_htmx_submit_returns_only_the_feedback_fragment(client, make, exercise):
    response = client.post(submit_url(exercise), make.answers(exercise), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and html.lstrip().startswith('<div id="work"')
    assert html.count('data-verdict="right"') == exercise.sentences.count()


def test_feedback_highlights_the_signal_words_and_explains(client, make, exercise):
    html = client.post(submit_url(exercise), make.answers(exercise), headers={"HX-Request": "true"}).content.decode()
    sentence = exercise.sentences.exclude(signals=[]).first()
    assert f'<mark class="signal">{sentence.signals[0]}</mark>' in html
    assert sentence.explanation_html in html


def test_the_learner_sees_earlier_attempts_with_scores(client, make, exercise):
    client.post(submit_url(exercise), make.answers(exercise, right=False))
    client.post(submit_url(exercise), make.answers(exercise))
    html = client.get(exercise.get_absolute_url()).content.decode()
    assert "Attempt 2</a>: 6 of 6 (100%)" in html
    assert "Attempt 1</a>: 0 of 6 (0%)" in html


def test_the_attempt_page_shows_each_answer_in_the_passages_order(client, make, exercise):
    client.post(submit_url(exercise), make.answers(exercise, right=False))
    attempt = Attempt.objects.get()
    html = client.get(attempt.get_absolute_url()).content.decode()
    positions = [int(n) for n in re.findall(r'<li id="sentence-(\d+)" class="sentence-feedback', html)]
    assert positions == sorted(positions) == list(range(1, exercise.sentences.count() + 1))
    assert html.count("Not quite") == len(positions)


def test_an_answer_whose_label_left_the_exercises_set_still_shows_on_its_attempt_page(client, make, exercise):
    # Read without joins from the exercise's content, the page falls back to the joins for such an answer.
    client.post(submit_url(exercise), make.answers(exercise))
    answer = Answer.objects.select_related("attempt").first()
    elsewhere = Move.objects.exclude(move_set=exercise.label_set).first()
    Answer.objects.filter(pk=answer.pk).update(chosen=elsewhere)
    html = client.get(answer.attempt.get_absolute_url()).content.decode()
    assert f"You chose <strong>{elsewhere.name}</strong>" in html


def test_another_learners_attempt_is_404(client, make, exercise):
    attempt = make.attempt(make.learner(), exercise)
    assert client.get(attempt.get_absolute_url()).status_code == 404


def test_a_signed_in_users_attempt_is_not_visible_to_another_user(client, make, student, other_student, exercise):
    attempt = make.attempt(make.learner(student), exercise)
    client.force_login(other_student)
    assert client.get(attempt.get_absolute_url()).status_code == 404
    client.force_login(student)
    assert client.get(attempt.get_absolute_url()).status_code == 200


def test_an_attempt_under_the_wrong_exercise_is_404(client, make, exercise):
    client.post(submit_url(exercise), make.answers(exercise))
    attempt = Attempt.objects.get()
    assert client.get(f"/exercises/diehl-2015-abstract/attempts/{attempt.pk}/").status_code == 404


class TestBadAnswers:
    """Every bad answer is refused with status 400 and nothing stored. The form's own checks give the form
    back with a message and the choices kept; a field sent twice is refused before the view, by the
    middleware's page."""

    def post(self, client, exercise, data, htmx=False):
        headers = {"HX-Request": "true"} if htmx else {}
        response = client.post(submit_url(exercise), data, headers=headers)
        assert response.status_code == 400
        assert Attempt.objects.count() == 0 and Answer.objects.count() == 0 and Learner.objects.count() == 0
        return response.content.decode()

    def test_a_missing_sentence(self, client, make, exercise):
        data = make.answers(exercise)
        first = exercise.sentences.first()
        del data[first.field_name]
        assert "Choose a label for sentence 1." in self.post(client, exercise, data)

    def test_choices_are_kept(self, client, make, exercise):
        data = make.answers(exercise)
        del data[exercise.sentences.first().field_name]
        html = self.post(client, exercise, data)
        second = exercise.sentences.all()[1]
        assert re.search(rf'name="{second.field_name}" value="{data[second.field_name]}"[^>]* checked>', html)
        assert html.count(" checked") == exercise.sentences.count() - 1

    def test_two_learners_refused_one_after_the_other_each_see_their_own_errors_and_choices(self, make, exercise):
        # The forms share the exercise's fields (exercises.forms): what each shows is still its own.
        first, second = exercise.sentences.all()[:2]
        pages = []
        for missing, kept in ((first, second), (second, first)):
            data = make.answers(exercise, label_slug="problem")
            del data[missing.field_name]
            pages.append((self.post(Client(), exercise, data), missing, kept))
        for html, missing, kept in pages:
            assert f"Choose a label for sentence {missing.position}." in html
            assert f"Choose a label for sentence {kept.position}." not in html
            assert re.search(rf'name="{kept.field_name}" value="problem"[^>]* checked>', html)
            assert not re.search(rf'name="{missing.field_name}" value="[^"]+"[^>]* checked>', html)

    def test_an_unknown_label(self, client, make, exercise):
        data = make.answers(exercise)
        data[exercise.sentences.first().field_name] = "background"
        assert "background is not one of this exercise&#x27;s labels" in self.post(client, exercise, data)

    def test_a_sentence_of_another_exercise(self, client, make, exercise):
        data = make.answers(exercise)
        other = Exercise.objects.get(slug="diehl-2015-abstract").sentences.first()
        data[other.field_name] = "lead-in"
        assert f"{other.field_name} is not a sentence of this exercise" in self.post(client, exercise, data)

    def test_a_non_number(self, client, make, exercise):
        data = {**make.answers(exercise), "sentence-abc": "lead-in"}
        assert "sentence-abc does not name a sentence by its number" in self.post(client, exercise, data)

    def test_a_repeated_field(self, client, make, exercise):
        data = make.answers(exercise)
        field = exercise.sentences.first().field_name
        data[field] = [data[field], "problem"]
        html = self.post(client, exercise, data)
        # MalformedRequestMiddleware answers, for every form of the site: its bare page, not the exercise form.
        assert f"<h1>Bad request</h1><p>The field {field} was sent 2 times; send it once.</p>" in html
        assert "answer-form" not in html and exercise.title not in html

    def test_a_stale_form_after_the_exercise_changed_can_be_sent_again_as_the_page_now_is(self, client, make, exercise):
        data = {**make.answers(exercise), "version": "0123456789abcdef"}
        html = self.post(client, exercise, data)
        assert "This exercise changed after you opened it" in html
        assert f'name="version" value="{exercise.version}"' in html
        resent = {**data, "version": re.search(r'name="version" value="(\w+)"', html).group(1)}
        assert client.post(submit_url(exercise), resent).status_code == 302

    def test_a_missing_version(self, client, make, exercise):
        data = make.answers(exercise)
        del data["version"]
        assert "missing its version" in self.post(client, exercise, data)

    def test_htmx_gets_the_form_fragment_back(self, client, make, exercise):
        data = make.answers(exercise)
        del data[exercise.sentences.first().field_name]
        html = self.post(client, exercise, data, htmx=True)
        assert "<html" not in html and 'role="alert"' in html


def test_exercise_list_groups_by_part_and_shows_the_best_score(client, make, exercise):
    client.post(submit_url(exercise), make.answers(exercise))
    html = client.get(reverse("exercises")).content.decode()
    assert '<h2 id="part-meta">Meta information</h2>' in html
    assert "Your best: <strong>100%</strong> over 1 attempt." in html


def test_the_exercise_page_query_count_does_not_grow_with_attempts(client, make, exercise, django_assert_num_queries):
    client.post(submit_url(exercise), make.answers(exercise))
    learner = Learner.objects.get()
    for _ in range(4):
        make.attempt(learner, exercise)
    client.get(exercise.get_absolute_url())  # the process caches the sentences and labels
    # session (which knows the learner), exercise, attempts
    with django_assert_num_queries(3):
        client.get(exercise.get_absolute_url())
    for _ in range(45):
        make.attempt(learner, exercise)
    with django_assert_num_queries(3):
        client.get(exercise.get_absolute_url())


def test_with_the_content_caches_off_the_page_reads_its_content_every_time(
    client, exercise, settings, django_assert_num_queries
):
    settings.CONTENT_CACHES = False  # as CONTENT_CACHES=0 sets both
    settings.CACHES = {**settings.CACHES, "fragments": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    # exercise, its sentences, labels, lesson, excerpt, next exercise, the labels accepted for everyone,
    # and its part for the header (no learner: no attempts to read)
    for _ in range(2):
        with django_assert_num_queries(8):
            client.get(exercise.get_absolute_url())


def test_the_page_lists_the_ten_latest_attempts_and_counts_the_rest(client, make, exercise):
    client.post(submit_url(exercise), make.answers(exercise))
    learner = Learner.objects.get()
    for _ in range(11):
        make.attempt(learner, exercise)
    html = client.get(exercise.get_absolute_url()).content.decode()
    assert html.count("Attempt ") - html.count("Feedback on attempt") == 10
    assert "Attempt 12</a>" in html and "Attempt 3</a>" in html and "Attempt 2</a>" not in html
    assert "And 2 earlier attempts" in html


def test_the_note_for_a_wrong_label_is_rendered_markdown_not_asterisks(client, make, exercise):
    sentence = next(s for s in exercise.sentences.select_related("label") if s.feedback_html)
    wrong_slug = next(iter(sentence.feedback_html))
    answers = make.answers(exercise)
    answers[sentence.field_name] = wrong_slug
    html = client.post(submit_url(exercise), answers, headers={"HX-Request": "true"}).content.decode()
    note = html[html.index('class="wrong-feedback"') :]
    note = note[: note.index("</p>")]
    assert "<em>" in note
    assert "*" not in note


def test_maths_in_a_sentence_is_mathml_in_the_form_and_in_the_feedback(client, make):
    wta = Exercise.objects.get(slug="lee-2016-wta")
    sentence = wta.sentences.get(text__contains="$V_{th}$")
    form = client.get(wta.get_absolute_url()).content.decode()
    feedback = client.post(submit_url(wta), make.answers(wta), headers={"HX-Request": "true"}).content.decode()
    for html in (form, feedback):
        assert "$V_{th}$" not in html
        assert "<msub><mi>V</mi>" in html
    assert sentence.text_html in form
    assert sentence.highlighted_html in feedback
