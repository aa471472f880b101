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
    by_sentence: dict  # {sentence id: [LabelShare, ...] in the label set's order}
    key: str = ""  # of the tally these come from (scope, exercise, guide version, first attempts)
    mine: dict = None  # {sentence id: the label id of the learner's own first answer}

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

    def for_sentence(self, sentence_id):
        return self.by_sentence.get(sentence_id, [])


def class_answers(scope, exercise, learner_id, attempt, results):
    """The `ClassAnswers` of `exercise` in `scope` as the learner sees them after `attempt` (whose graded
    `results` are at hand): every other learner's first attempt, the learner's own left out.

    The learner has a first attempt in the scope (`attempt` at least), so one query reads its answers
    together with the number of first attempts in the scope; a second tallies everyone's answers
    when that tally is not cached yet."""
    first = scope.first_attempts(exercise)
    mine_rows = _mine_and_total(scope, exercise, learner_id)
    if mine_rows:
        my_first_id, total = mine_rows[0][0], mine_rows[0][3]
    else:  # no first attempt of the learner's in this scope: everyone counted is another learner
        my_first_id, total = None, first.count()
    peers = total - (1 if my_first_id is not None else 0)
    if peers < MINIMUM_PEERS:
        return ClassAnswers(peers, scope.peers_name, {})
    mine = {}
    for _, sentence_id, chosen_id, _ in mine_rows:
        mine.setdefault(sentence_id, {})[chosen_id] = 1
    key = f"{scope.cache_key()}:{exercise.pk}:{exercise.guide_version}:{total}"
    everyone = caches["tallies"].get(key)
    if everyone is None:
        everyone = Answer.objects.filter(attempt__in=first).tally()
        caches["tallies"].set(key, everyone, TALLY_SECONDS)
    shares = _shares(exercise, results, everyone, mine, peers)
    mine_by_sentence = {sentence_id: next(iter(chosen)) for sentence_id, chosen in mine.items()}
    return ClassAnswers(peers, scope.peers_name, shares, key, mine_by_sentence)


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


def _shares(exercise, results, everyone, mine, peers):
    labels = exercise.page_content().labels
    by_sentence = {}
    for result in results:
        sentence = result.sentence
        counts, own = everyone.get(sentence.pk, {}), mine.get(sentence.pk, {})
        shares = []
        for label in labels:
            count = counts.get(label.pk, 0) - own.get(label.pk, 0)
            verdict = _verdict(result, label)
            shares.append(LabelShare(label, count, round(100 * count / peers) if peers else 0, verdict))
        by_sentence[sentence.pk] = shares
    return by_sentence


def _verdict(result, label):
    sentence = result.sentence
    if label.pk == sentence.label_id:
        return Verdict.RIGHT
    if label.slug in sentence.also_accepted or (label.pk == result.chosen.pk and result.verdict == Verdict.ACCEPTED):
        return Verdict.ACCEPTED
    return Verdict.WRONG
