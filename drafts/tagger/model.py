"""The tagger: features of each sentence, learned weights, and the most likely sequence of moves.

Each sentence is described by a few features: the cue groups of `cues.toml` that occur in it and
where it sits in the abstract. A small multinomial logistic model (weights learned from the
labelled abstracts, see `train.py`) scores each move for each sentence; the order of moves
(abstracts run lead-in, problem, about, importance far more often than not) is scored by learned
transition weights, and Viterbi decoding picks the best sequence for the whole abstract. The
confidence is the forward-backward probability of the chosen move; the reason names the
evidence that counted most for it.
"""

import math
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

MOVES = ("lead-in", "problem", "about", "importance")
POSITIONS = ("first", "second", "last", "early", "middle", "late")
BIAS = "bias"
WORD = "word:"


_TOKEN = re.compile(r"[a-z0-9]+(?:['’-][a-z0-9]+)*")


def words(text):
    """The lower-case words of `text` (letters, digits, inner hyphens and apostrophes)."""
    return set(_TOKEN.findall(text.lower()))


# How much the order of moves counts beside the sentence's own evidence.
TRANSITION_SCALE = 0.6
# How much of each move's overall share is taken out of the emission (see train.py).
PRIOR_SCALE = 1.0
# Below this, a result is marked "not sure" on the page.
SURE = 0.6


@dataclass(frozen=True)
class Tagged:
    """One sentence's move, how sure the tagger is (0-1), and why."""

    text: str
    move: str
    confidence: float
    reason: str

    @property
    def sure(self):
        return self.confidence >= SURE


@dataclass(frozen=True)
class CueGroup:
    name: str
    move: str
    reason: str
    phrases: dict  # first word: the phrases (as word tuples) starting with it, longest first
    pattern: re.Pattern | None
    at_start: bool
    context: bool

    def find(self, text, tokens):
        """The words of `text` that make this group fire, or None. `tokens`: (word, start, end)."""
        starts = range(min(1, len(tokens))) if self.at_start else range(len(tokens))
        for index in starts:
            for phrase in self.phrases.get(tokens[index][0], ()):
                end = index + len(phrase)
                if end <= len(tokens) and all(tokens[index + k][0] == word for k, word in enumerate(phrase)):
                    return text[tokens[index][1] : tokens[end - 1][2]]
        if self.pattern is not None:
            match = self.pattern.search(text)
            if match:
                return match.group(0)
        return None


def _ordinal(number):
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def position_features(index, count):
    """The position features of sentence `index` (from 0) of `count`."""
    features = set()
    if index == 0:
        features.add("first")
    if index == 1:
        features.add("second")
    if index == count - 1 and count > 1:
        features.add("last")
    share = (index + 0.5) / count
    features.add("early" if share < 1 / 3 else "late" if share > 2 / 3 else "middle")
    return features


class Tagger:
    """Tags the sentences of an abstract. Load it once (`Tagger.load(folder)`) and reuse it."""

    def __init__(self, cues, weights):
        self.groups = [
            CueGroup(
                group["name"],
                group["move"],
                group["reason"],
                _phrases(group.get("phrases", [])),
                re.compile("|".join(group["patterns"]), re.IGNORECASE) if group.get("patterns") else None,
                group.get("at_start", False),
                group.get("context", False),
            )
            for group in cues["groups"]
        ]
        self.position_reasons = cues["positions"]
        self.continues = cues["continues"]
        self.follows = cues["follows"]
        self.cues = cues
        self.emission = weights.get("emission", {})
        self.transition = weights.get("transition", {})
        self.prior = weights.get("prior", {}).get("moves", {})
        # Precomputed for speed: each feature's weights as a row over MOVES, and the known words.
        self.rows = {name: [row.get(move, 0.0) for move in MOVES] for name, row in self.emission.items()}
        self.vocabulary = {name for name in self.emission if name.startswith(WORD)}
        self.offsets = [PRIOR_SCALE * self.prior.get(move, 0.0) for move in MOVES]
        # Every group's phrases by first word, so that a sentence's words are looked up once for all groups.
        self.by_first_word = {}
        for number, group in enumerate(self.groups):
            for first, phrases in group.phrases.items():
                self.by_first_word.setdefault(first, []).extend((phrase, number) for phrase in phrases)

    def with_weights(self, weights):
        """A tagger with the same cues and other weights (see train.py)."""
        return type(self)(self.cues, weights)

    @classmethod
    def load(cls, folder):
        """The tagger described by `folder`/cues.toml with the weights in `folder`/weights.toml."""
        folder = Path(folder)
        with open(folder / "cues.toml", "rb") as file:
            cues = tomllib.load(file)
        weights_path = folder / "weights.toml"
        weights = {}
        if weights_path.exists():
            with open(weights_path, "rb") as file:
                weights = tomllib.load(file)
        return cls(cues, weights)

    def features(self, sentences, vocabulary=None):
        """Per sentence: {feature name: the words that made it fire (or "")}.

        Besides the cue groups and the position, each word of `vocabulary` (by default the words
        the weights know) is a feature of its own: the learned part that catches what no cue names.
        """
        if vocabulary is None:
            vocabulary = self.vocabulary
        found = []
        for index, sentence in enumerate(sentences):
            text = re.sub(r"\$[^$]*\$", " ", sentence)
            tokens = [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text.lower())]
            active = {BIAS: ""}
            for word, _, _ in tokens:
                if WORD + word in vocabulary:
                    active[WORD + word] = word
            hits = self._cues(text, tokens)
            for number, group in enumerate(self.groups):
                if number in hits:
                    active[group.name] = hits[number]
            for name in position_features(index, len(sentences)):
                active[name] = ""
            # The absence of every cue for a move is evidence too: a problem is rarely named without one.
            cued = {self.groups[number].move for number in hits}
            for move in MOVES:
                if move not in cued:
                    active[f"no-cue:{move}"] = ""
            found.append(active)
        # The neighbours' strongest cues count too: a sentence before "However, ..." sets the scene.
        context = {group.name for group in self.groups if group.context}
        for index, active in enumerate(found):
            for neighbour, side in ((index - 1, "before"), (index + 1, "after")):
                if 0 <= neighbour < len(found):
                    for name in context & found[neighbour].keys():
                        active[f"{side}:{name}"] = ""
        return found

    def _cues(self, text, tokens):
        """{group number: the words that make it fire} for one sentence, as `CueGroup.find` gives them."""
        hits = {}
        count = len(tokens)
        for index, (word, start, _) in enumerate(tokens):
            for phrase, number in self.by_first_word.get(word, ()):
                if number in hits or (index and self.groups[number].at_start):
                    continue
                end = index + len(phrase)
                if end <= count and all(tokens[index + k][0] == part for k, part in enumerate(phrase) if k):
                    hits[number] = text[start : tokens[end - 1][2]]
        for number, group in enumerate(self.groups):
            if number not in hits and group.pattern is not None:
                match = group.pattern.search(text)
                if match:
                    hits[number] = match.group(0)
        return hits

    def scores(self, features):
        """Log-probabilities of each move for each sentence, from the emission weights."""
        table = []
        for active in features:
            raw = [0.0] * len(MOVES)
            for name in active:
                row = self.rows.get(name)
                if row:
                    raw = [value + weight for value, weight in zip(raw, row, strict=True)]
            top = max(raw)
            total = top + math.log(sum(math.exp(value - top) for value in raw))
            table.append([value - total - offset for value, offset in zip(raw, self.offsets, strict=True)])
        return table

    def _step(self, previous, move):
        return TRANSITION_SCALE * self.transition.get(previous, {}).get(move, 0.0)

    def tag(self, sentences):
        """One `Tagged` per sentence, in order."""
        sentences = list(sentences)
        if not sentences:
            return []
        features = self.features(sentences)
        emission = self.scores(features)
        path = self._viterbi(emission)
        posterior = self._posterior(emission)
        results = []
        for index, (sentence, move) in enumerate(zip(sentences, path, strict=True)):
            reason = self._reason(index, path, features)
            results.append(Tagged(sentence, MOVES[move], round(posterior[index][move], 2), reason))
        return results

    def _viterbi(self, emission):
        best = [self._step("start", m) + emission[0][j] for j, m in enumerate(MOVES)]
        back = []
        for row in emission[1:]:
            pointers, scores = [], []
            for j, move in enumerate(MOVES):
                k = max(range(len(MOVES)), key=lambda i, move=move: best[i] + self._step(MOVES[i], move))
                pointers.append(k)
                scores.append(best[k] + self._step(MOVES[k], move) + row[j])
            back.append(pointers)
            best = scores
        path = [max(range(len(MOVES)), key=lambda j: best[j])]
        for pointers in reversed(back):
            path.append(pointers[path[-1]])
        return path[::-1]

    def _posterior(self, emission):
        """Forward-backward marginals over moves, per sentence (log-space for stability)."""
        count, moves = len(emission), range(len(MOVES))
        forward = [[self._step("start", MOVES[j]) + emission[0][j] for j in moves]]
        for row in emission[1:]:
            forward.append(
                [_logsumexp([forward[-1][i] + self._step(MOVES[i], MOVES[j]) for i in moves]) + row[j] for j in moves]
            )
        backward = [[0.0] * len(MOVES) for _ in range(count)]
        for t in range(count - 2, -1, -1):
            backward[t] = [
                _logsumexp([self._step(MOVES[i], MOVES[j]) + emission[t + 1][j] + backward[t + 1][j] for j in moves])
                for i in moves
            ]
        marginals = []
        for t in range(count):
            joint = [forward[t][j] + backward[t][j] for j in moves]
            total = _logsumexp(joint)
            marginals.append([math.exp(value - total) for value in joint])
        return marginals

    def _reason(self, index, path, features):
        move = MOVES[path[index]]
        count = len(path)
        where = f"it is the {_ordinal(index + 1)} of {count} sentences" if count > 1 else "it is the only sentence"
        cue = self._strongest_cue(features[index], move)
        if cue is not None:
            return f"{cue}, and {where}"
        if index > 0 and path[index - 1] == path[index]:
            first = index
            while first > 0 and path[first - 1] == path[index]:
                first -= 1
            return f"{self.continues[move].format(first=first + 1)}; {where}"
        position = self._strongest_position(features[index], move)
        if position is not None:
            return _capitalised(self.position_reasons[position])
        return f"{_capitalised(self.follows[move])}; {where}"

    def _margin(self, name, move):
        weights = self.emission.get(name, {})
        own = weights.get(move, 0.0)
        return own - max((weights.get(other, 0.0) for other in MOVES if other != move), default=0.0)

    def _strongest_cue(self, active, move):
        """The reason of the cue group that favours `move` most in this sentence, if any favours it."""
        # A cue explains a move only when it is a cue for that move and its weight favours it here.
        candidates = [
            (self._margin(group.name, move), group)
            for group in self.groups
            if group.name in active and group.move == move
        ]
        candidates = [(margin, group) for margin, group in candidates if margin > 0]
        if not candidates:
            return None
        _, group = max(candidates, key=lambda item: item[0])
        return _capitalised(group.reason.format(cue=active[group.name].strip()))

    def _strongest_position(self, active, move):
        candidates = [(self._margin(name, move), name) for name in POSITIONS if name in active]
        candidates = [(margin, name) for margin, name in candidates if margin > 0]
        return max(candidates)[1] if candidates else None


def _capitalised(text):
    return text[0].upper() + text[1:] if text else text


def _logsumexp(values):
    top = max(values)
    return top + math.log(sum(math.exp(value - top) for value in values))


def _phrases(phrases):
    """{first word: [phrase as a tuple of words, ...]}, longest first, so "little is known" wins over "known"."""
    table = {}
    for phrase in phrases:
        tokens = tuple(_TOKEN.findall(phrase.lower()))
        if tokens:
            table.setdefault(tokens[0], []).append(tokens)
    return {first: sorted(found, key=len, reverse=True) for first, found in table.items()}
