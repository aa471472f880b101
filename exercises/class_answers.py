"""How the others answered: for each sentence, how many learners chose each label on their first attempt.

Within a course, the course's first attempts; on one's own, every learner's (`exercises.scopes`).
Shown only when at least `MINIMUM_PEERS` other learners answered, never with names. At most two
queries whatever the size of the class: one reads the learner's own first answers with the number of
first attempts, the second tallies everyone's answers, and is skipped when the tally of that many
attempts is cached.
"""

from dataclasses import dataclass

from django.core.cache import caches
from django.db import connection
from django.db.models import Subquery

from exercises.models import Answer, Verdict
from exercises.scopes import MINIMUM_PEERS

# The tally of a given number of first attempts changes only when a learner is deleted (and
# another answers): the cache keeps it an hour at most.
TALLY_SECONDS = 60 * 60
# `_mine_and_total`'s compiled SQL, per scope and exercise; emptied when it holds this many.
COMPILED_MAX = 1024
_compiled = {}
_LEARNER = -7_654_321  # stands for the learner's id in the compiled SQL: no learner has a negative id


@dataclass(frozen=True)
class LabelShare:
    label: object  # a Move
    count: int
    percent: int
    verdict: str  # what choosing it earns: right, accepted or wrong (`Verdict`)

    @property
    def is_right(self):
        return self.verdict == Verdict.RIGHT


@dataclass(frozen=True)
class ClassAnswers:
    peers: int  # how many other learners' first attempts are counted
    peers_name: str  # "all learners", or the course's name
    key: str = ""  # of the tally these come from (scope, exercise, guide version, first attempts)
    everyone: dict = None  # {sentence id: {label id: first answers}}, the learner's own included
    mine: dict = None  # {sentence id: the label id of the learner's own first answer}
    labels: tuple = ()  # the label set's, in its order

    def fragment_key(self, result):
        """What one sentence's rendered shares depend on besides `key`: the learner's own first answer
        (left out of the counts) and this attempt's (marked "your label")."""
        sentence_id = result.sentence.pk
        return f"{self.key}:{sentence_id}:{(self.mine or {}).get(sentence_id)}:{result.chosen.pk}:{result.verdict}"

    @property
    def shown(self):
        return self.peers >= MINIMUM_PEERS

    @property
    def minimum(self):
        return MINIMUM_PEERS

    def shares(self, result):
        """The `LabelShare` of each label for `result`'s sentence, in the label set's order, the learner's
        own first answer left out. A generator: made only if the page renders them, which it does not
        when the sentence's fragment is cached."""
        sentence_id = result.sentence.pk
        counts, own = (self.everyone or {}).get(sentence_id, {}), (self.mine or {}).get(sentence_id)
        for label in self.labels:
            count = counts.get(label.pk, 0) - (label.pk == own)
            percent = round(100 * count / self.peers) if self.peers else 0
            yield LabelShare(label, count, percent, _verdict(result, label))


def class_answers(scope, exercise, learner_id):
    """The `ClassAnswers` of `exercise` in `scope` as the learner sees them: every other learner's first
    attempt, the learner's own left out.

    One query reads the learner's first answers in the scope together with the number of first
    attempts there; a second tallies everyone's answers when that tally is not cached yet."""
    mine_rows = _mine_and_total(scope, exercise, learner_id)
    if mine_rows:
        my_first_id, total = mine_rows[0][0], mine_rows[0][3]
    else:  # no first attempt of the learner's in this scope: everyone counted is another learner
        my_first_id, total = None, scope.first_attempts(exercise).count()
    peers = total - (1 if my_first_id is not None else 0)
    if peers < MINIMUM_PEERS:
        return ClassAnswers(peers, scope.peers_name)
    key = f"{scope.cache_key()}:{exercise.pk}:{exercise.guide_version}:{total}"
    everyone = caches["tallies"].get(key)
    if everyone is None:
        everyone = Answer.objects.filter(attempt__in=scope.first_attempts(exercise)).tally()
        caches["tallies"].set(key, everyone, TALLY_SECONDS)
    mine = {sentence_id: chosen_id for _, sentence_id, chosen_id, _ in mine_rows}
    return ClassAnswers(peers, scope.peers_name, key, everyone, mine, exercise.page_content().labels)


def _mine_and_total(scope, exercise, learner_id):
    """Rows (attempt, sentence, chosen label, number of first attempts in the scope) of the learner's
    first attempt in `scope`; none if there is none.

    Building and compiling this query cost 1.8 ms a submit, twenty times what running it costs, and
    it differs between learners only in the learner's id: its SQL is compiled once per scope and
    exercise (in this process) with a stand-in for the id, and run with the learner's."""
    key = (scope.cache_key(), exercise.pk)
    compiled = _compiled.get(key)
    if compiled is None:
        sql, params = _mine_and_total_query(scope, exercise, _LEARNER).query.sql_with_params()
        if list(params).count(_LEARNER) != 1:  # not the shape this relies on: the ORM every time
            return list(_mine_and_total_query(scope, exercise, learner_id))
        if len(_compiled) >= COMPILED_MAX:
            _compiled.clear()
        compiled = _compiled[key] = (sql, tuple(params))
    sql, params = compiled
    with connection.cursor() as cursor:
        cursor.execute(sql, [learner_id if param == _LEARNER else param for param in params])
        return cursor.fetchall()


def _mine_and_total_query(scope, exercise, learner_id):
    return (
        Answer.objects.filter(attempt_id=Subquery(scope.first_attempt_of(exercise, learner_id)[:1]))
        .order_by()  # the models' orderings would join the sentence, exercise and part for nothing
        .annotate(total=Subquery(scope.learners_count(exercise)))
        .values_list("attempt_id", "sentence_id", "chosen_id", "total")
    )


def _verdict(result, label):
    sentence = result.sentence
    if label.pk == sentence.label_id:
        return Verdict.RIGHT
    if label.slug in sentence.also_accepted or (label.pk == result.chosen.pk and result.verdict == Verdict.ACCEPTED):
        return Verdict.ACCEPTED
    return Verdict.WRONG
