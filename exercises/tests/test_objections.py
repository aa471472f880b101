"""Contesting a label (issue 17): "I think my label fits" under a wrong answer's feedback, its status on
the attempt and on the progress page, and every way a contest is refused with nothing written."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from exercises.models import OBJECTIONS_PER_HOUR, Answer, Exercise, Objection, ObjectionStatus, Verdict

pytestmark = pytest.mark.django_db

REASON = "Both moves are here: the sentence names the problem and says why it matters."


@pytest.fixture
def wrong_attempt(make, student, exercise):
    """The student's attempt with every sentence labelled "problem": right on sentence 2 alone."""
    return make.attempt(make.learner(student), exercise, label_slug="problem")


def contest_url(attempt):
    return reverse("contest", args=[attempt.exercise.slug, attempt.pk])


def wrong_answer(attempt, position=1):
    return Answer.objects.select_related("sentence").get(attempt=attempt, sentence__position=position)


def contest(client, attempt, position=1, reason=REASON, htmx=False):
    data = {"sentence": wrong_answer(attempt, position).sentence_id, "reason": reason}
    return client.post(contest_url(attempt), data, headers={"HX-Request": "true"} if htmx else {})


def feedback_item(html, position):
    """The `<li>` of one sentence's feedback."""
    start = html.index(f'<li id="sentence-{position}"')
    return html[start : html.index('<li id="sentence-', start + 1) if position < 6 else None]


def test_a_wrong_sentence_offers_the_reason_box_to_a_signed_in_learner(client, student, wrong_attempt):
    client.force_login(student)
    html = client.get(wrong_attempt.get_absolute_url()).content.decode()
    item = feedback_item(html, 1)
    assert "<summary>I think my label fits</summary>" in item
    assert f'action="{contest_url(wrong_attempt)}"' in item and f'hx-post="{contest_url(wrong_attempt)}"' in item
    assert f'name="sentence" value="{wrong_answer(wrong_attempt).sentence_id}"' in item
    assert '<label for="reason-1">' in item and 'id="reason-1" name="reason"' in item
    assert 'maxlength="1000"' in item
    # Sentence 2 was right: nothing to contest there.
    assert "I think my label fits" not in feedback_item(html, 2)


def test_a_plain_post_contests_a_wrong_sentence_and_goes_back_to_it(client, student, wrong_attempt):
    client.force_login(student)
    response = contest(client, wrong_attempt, position=3)
    assert response.status_code == 302
    assert response["Location"] == f"{wrong_attempt.get_absolute_url()}#sentence-3"
    objection = Objection.objects.get()
    assert objection.reason == REASON and objection.status == ObjectionStatus.OPEN
    assert objection.answer == wrong_answer(wrong_attempt, 3) and objection.chosen.slug == "problem"
    item = feedback_item(client.get(response["Location"]).content.decode(), 3)
    assert "Your objection is waiting for a decision." in item and "I think my label fits" not in item


def test_an_htmx_contest_returns_the_feedback_fragment_with_the_status(client, student, wrong_attempt):
    client.force_login(student)
    response = contest(client, wrong_attempt, htmx=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and html.lstrip().startswith('<div id="work"')
    item = feedback_item(html, 1)
    assert "Your objection is waiting for a decision." in item and 'role="status"' in item
    assert Objection.objects.count() == 1


@pytest.mark.parametrize("htmx", [False, True])
def test_the_reason_is_required(client, student, wrong_attempt, htmx):
    client.force_login(student)
    response = contest(client, wrong_attempt, reason="   ", htmx=htmx)
    assert response.status_code == 400
    assert Objection.objects.count() == 0
    item = feedback_item(response.content.decode(), 1)
    assert "Write why your label fits" in item
    assert '<details class="contest" open>' in item and 'aria-invalid="true"' in item


def test_a_reason_over_a_thousand_characters_is_refused_and_kept(client, student, wrong_attempt):
    client.force_login(student)
    response = contest(client, wrong_attempt, reason="x" * 1001, htmx=True)
    assert response.status_code == 400
    assert Objection.objects.count() == 0
    item = feedback_item(response.content.decode(), 1)
    assert "Keep your reason to 1000 characters (it has 1001)." in item
    assert f">{'x' * 1001}</textarea>" in item
    client.post(contest_url(wrong_attempt), {"sentence": wrong_answer(wrong_attempt).sentence_id, "reason": "x" * 1000})
    assert Objection.objects.get().reason == "x" * 1000


def test_a_reason_is_shown_as_text_never_as_html(client, student, wrong_attempt):
    client.force_login(student)
    reason = "<script>alert('fits')</script> <b>bold</b>\nsecond line"
    assert contest(client, wrong_attempt, reason=reason).status_code == 302
    html = client.get(wrong_attempt.get_absolute_url()).content.decode()
    assert "<script>alert" not in html and "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(&#x27;fits&#x27;)&lt;/script&gt; &lt;b&gt;bold&lt;/b&gt;<br>second line" in html
    progress = client.get(reverse("progress")).content.decode()
    assert "<script>alert" not in progress and "&lt;script&gt;alert" in progress


@pytest.mark.parametrize("position", [2, 4])  # right, and (after the decision below) accepted
def test_a_right_or_accepted_answer_cannot_be_contested(client, student, instructor, wrong_attempt, position):
    client.force_login(student)
    if position == 4:
        Answer.objects.filter(pk=wrong_answer(wrong_attempt, 4).pk).accept(by=instructor, reason="fits")
    response = contest(client, wrong_attempt, position=position, htmx=True)
    assert response.status_code == 400
    assert Objection.objects.count() == 0
    item = feedback_item(response.content.decode(), position)
    assert "This answer counts as right already: there is nothing to contest." in item
    assert "I think my label fits" not in item


def test_a_second_open_objection_on_the_same_sentence_is_refused_with_a_clear_message(client, student, wrong_attempt):
    client.force_login(student)
    contest(client, wrong_attempt)
    response = contest(client, wrong_attempt, reason="Another try.")
    assert response.status_code == 400
    assert Objection.objects.count() == 1
    item = feedback_item(response.content.decode(), 1)
    assert "You have an objection on this sentence waiting for a decision already." in item
    assert "Your objection is waiting for a decision." in item


def test_another_learners_attempt_cannot_be_contested(client, make, student, other_student, wrong_attempt):
    client.force_login(other_student)
    make.attempt(make.learner(other_student), wrong_attempt.exercise, right=False)  # they have a learner
    assert contest(client, wrong_attempt).status_code == 404
    assert Objection.objects.count() == 0


def test_a_sentence_outside_the_attempt_is_404(client, student, wrong_attempt):
    client.force_login(student)
    elsewhere = Exercise.objects.exclude(pk=wrong_attempt.exercise_id).first().sentences.first()
    for sentence in (elsewhere.pk, "", "first"):
        response = client.post(contest_url(wrong_attempt), {"sentence": sentence, "reason": REASON})
        assert response.status_code == 404
    assert Objection.objects.count() == 0


def test_an_anonymous_visitor_is_sent_to_log_in_and_nothing_is_written(client, make, exercise):
    client.post(reverse("exercise_submit", args=[exercise.slug]), make.answers(exercise, label_slug="problem"))
    attempt = Answer.objects.get(sentence__position=1).attempt
    html = client.get(attempt.get_absolute_url()).content.decode()
    item = feedback_item(html, 1)
    assert "Sign in to contest this label" in item and "<form" not in item
    assert f'href="/accounts/login/?next={attempt.get_absolute_url()}%23sentence-1"' in item
    response = contest(client, attempt)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")
    assert Objection.objects.count() == 0


def submitted(client, make, exercise, label_slug="problem"):
    """The feedback of an htmx submit, and the attempt it made."""
    headers = {"HX-Request": "true"}
    if "csrftoken" in client.cookies:
        headers["X-CSRFToken"] = client.cookies["csrftoken"].value
    response = client.post(
        reverse("exercise_submit", args=[exercise.slug]), make.answers(exercise, label_slug=label_slug), headers=headers
    )
    assert response.status_code == 200
    html = response.content.decode()
    return html, Answer.objects.select_related("attempt__exercise").order_by("-pk").first().attempt


def test_learners_who_chose_the_same_labels_each_contest_their_own_attempt(make, student, other_student, exercise):
    # The second learner's feedback items are the first's, kept (exercises.feedback): but for the
    # attempt's address and the token, which are theirs.
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    for client, user in ((first, student), (second, other_student)):
        client.force_login(user)
        client.get(exercise.get_absolute_url())  # the CSRF cookie
    _, first_attempt = submitted(first, make, exercise)
    html, second_attempt = submitted(second, make, exercise)
    item = feedback_item(html, 1)
    assert f'action="{contest_url(second_attempt)}"' in item and f'hx-post="{contest_url(second_attempt)}"' in item
    assert contest_url(first_attempt) not in html
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', item).group(1)
    data = {"csrfmiddlewaretoken": token, "sentence": wrong_answer(second_attempt).sentence_id, "reason": REASON}
    assert second.post(contest_url(second_attempt), data).status_code == 302
    assert Objection.objects.get().answer.attempt == second_attempt


def test_visitors_who_chose_the_same_labels_are_each_sent_back_to_their_own_attempt(make, exercise):
    pages = [submitted(Client(), make, exercise) for _ in range(2)]
    for html, attempt in pages:
        assert f'href="/accounts/login/?next={attempt.get_absolute_url()}%23sentence-1"' in feedback_item(html, 1)
    assert pages[0][1].get_absolute_url() not in pages[1][0]


def test_contesting_refuses_get(client, student, wrong_attempt):
    client.force_login(student)
    assert client.get(contest_url(wrong_attempt)).status_code == 405


def test_the_twenty_first_objection_in_an_hour_waits(client, make, student):
    learner = make.learner(student)
    attempts = [make.attempt(learner, exercise, right=False) for exercise in Exercise.objects.all()[:5]]
    wrong = [answer for attempt in attempts for answer in attempt.answers.filter(verdict=Verdict.WRONG)]
    assert len(wrong) > OBJECTIONS_PER_HOUR
    for answer in wrong[:OBJECTIONS_PER_HOUR]:
        Objection.objects.raise_for(answer, REASON)
    client.force_login(student)
    last = wrong[OBJECTIONS_PER_HOUR]
    url = reverse("contest", args=[last.attempt.exercise.slug, last.attempt_id])
    response = client.post(url, {"sentence": last.sentence_id, "reason": REASON})
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert Objection.objects.count() == OBJECTIONS_PER_HOUR


@pytest.mark.parametrize(
    ("accept", "status"),
    [(True, "Your objection was accepted."), (False, "Your objection was not accepted.")],
)
def test_the_decision_and_its_reply_show_on_the_attempt_and_the_progress_page(
    client, make, student, instructor, wrong_attempt, accept, status
):
    objection = make.objection(wrong_attempt, REASON)  # on sentence 1
    Objection.objects.filter(pk=objection.pk).decide(
        accept=accept,
        by=instructor,
        reply="Fair point <em>here</em>.\nThanks.",
        regrade=Answer.objects.filter(pk=objection.answer_id),
    )
    client.force_login(student)
    item = feedback_item(client.get(wrong_attempt.get_absolute_url()).content.decode(), 1)
    assert status in item
    assert "Fair point &lt;em&gt;here&lt;/em&gt;.<br>Thanks." in item
    assert ('data-verdict="accepted"' in item) is accept
    assert "<strong>Accepted</strong>" in item if accept else "Not quite" in item
    progress = client.get(reverse("progress")).content.decode()
    section = progress[progress.index('<h2 id="your-objections">') :]
    assert f"{wrong_attempt.get_absolute_url()}#sentence-1" in section
    title = escape(wrong_attempt.exercise.title)
    assert f"{title}, sentence 1</a>: you argued for <strong>The problem</strong>" in section
    assert ("<strong>Accepted</strong>" if accept else "<strong>Not accepted</strong>") in section
    assert "Fair point &lt;em&gt;here&lt;/em&gt;.<br>Thanks." in section


def test_the_progress_page_lists_open_objections_newest_first(client, make, student, wrong_attempt):
    first = make.objection(wrong_attempt, "The first.")
    second = Objection.objects.raise_for(wrong_answer(wrong_attempt, 3), "The second.")
    client.force_login(student)
    html = client.get(reverse("progress")).content.decode()
    assert html.index(f'data-objection="{second.pk}"') < html.index(f'data-objection="{first.pk}"')
    assert html.count("<strong>Waiting for a decision</strong>") == 2
    assert "latest of" not in html


def test_without_objections_the_progress_page_has_no_section_for_them(client, make, student, wrong_attempt):
    client.force_login(student)
    assert "Your objections" not in client.get(reverse("progress")).content.decode()


def test_the_progress_page_costs_the_same_queries_with_one_objection_or_many(
    client, make, student, django_assert_num_queries
):
    learner = make.learner(student)
    attempts = [make.attempt(learner, exercise, right=False) for exercise in Exercise.objects.all()[:6]]
    wrong = [answer for attempt in attempts for answer in attempt.answers.filter(verdict=Verdict.WRONG)]
    Objection.objects.raise_for(wrong[0], "The first.")
    client.force_login(student)
    client.get(reverse("progress"))  # the session learns the learner's id
    # session, user, the guide's version with the reader's state (learner, an unread answer: one SELECT,
    # lessons.pages); stats per exercise, label stats, whether there is an objection, the objections (with their count),
    # the count of new answers to one's questions (the navigation shows it, issue 18); the exercises and
    # labels are content, read once per guide version
    with django_assert_num_queries(8):
        client.get(reverse("progress"))
    # Past the hourly limit: made as if raised over several hours.
    Objection.objects.bulk_create(
        Objection(answer=a, learner=learner, sentence_id=a.sentence_id, chosen_id=a.chosen_id, reason=f"No. {n}")
        for n, a in enumerate(wrong[1:30], start=2)
    )
    with django_assert_num_queries(8):  # as above: the new objections moved the learner's version
        html = client.get(reverse("progress")).content.decode()
    assert html.count("data-objection=") == 20
    assert "your 20 latest of 30" in html


def test_the_attempt_page_costs_the_same_queries_with_one_objection_or_five(client, make, student, wrong_attempt):
    client.force_login(student)
    client.get(wrong_attempt.get_absolute_url())
    with CaptureQueriesContext(connection) as none:
        client.get(wrong_attempt.get_absolute_url())
    Objection.objects.raise_for(wrong_answer(wrong_attempt, 1), REASON)
    with CaptureQueriesContext(connection) as one:
        client.get(wrong_attempt.get_absolute_url())
    for position in (3, 4, 5, 6):
        Objection.objects.raise_for(wrong_answer(wrong_attempt, position), REASON)
    with CaptureQueriesContext(connection) as five:
        html = client.get(wrong_attempt.get_absolute_url()).content.decode()
    # Without objections a lookup finds none and they are not read (most attempts); with any, one query reads them all.
    assert len(five.captured_queries) == len(one.captured_queries) == len(none.captured_queries) + 1
    assert html.count("Your objection is waiting for a decision.") == 5
