"""Learn the tagger's weights from labelled abstracts, and write them to `weights.toml`.

Emission weights: a multinomial logistic regression from the sentence features (cue groups and
position) to the move, fitted by gradient descent with an L2 penalty. Transition weights: the
log-probability of each move after the one before (and at the start), from counts with add-one
smoothing. Deterministic: the same abstracts always give the same weights.

Plain Python, kept fast enough to retrain once per cross-validation fold: each feature name is
mapped to an integer once, each sentence is a list of those integers, and the sums over a
sentence's features (and over the sentences holding a feature) are done by `itemgetter` in C.
"""

import math
from collections import Counter, defaultdict
from operator import itemgetter

from drafts.tagger.model import MOVES, WORD, words

ITERATIONS = 300
STEP = 0.5
PENALTY = 0.003
# Word features are many and each is seen in few sentences: they need a firmer hold than the cues.
WORD_PENALTY = 0.003
# A word is a feature of its own once it occurs this often in the training sentences.
MIN_WORD_COUNT = 3
# ... and in at least this many abstracts: a word one abstract repeats is its topic, not a move's.
MIN_WORD_ABSTRACTS = 3


def vocabulary_of(abstracts):
    """The word features worth learning: words in MIN_WORD_COUNT sentences of MIN_WORD_ABSTRACTS abstracts."""
    counts = Counter(word for abstract in abstracts for text in abstract.texts for word in words(text))
    spread = Counter(word for abstract in abstracts for word in set().union(*map(words, abstract.texts)))
    return {
        WORD + word for word, count in counts.items() if count >= MIN_WORD_COUNT and spread[word] >= MIN_WORD_ABSTRACTS
    }


def featurise(tagger, abstracts):
    """Every abstract's features with every word it holds as a word feature, to be reused across folds.

    `fit(..., features=...)` keeps only the words of its own training vocabulary, which gives the
    same features as computing them afresh with that vocabulary (cues and positions do not depend on it).
    """
    everything = {WORD + word for abstract in abstracts for text in abstract.texts for word in words(text)}
    return {abstract.slug: tagger.features(abstract.texts, everything) for abstract in abstracts}


def _getter(indices):
    """A function giving the items of a list at `indices` as a tuple (even for a single index)."""
    if len(indices) == 1:
        only = indices[0]
        return lambda values: (values[only],)
    return itemgetter(*indices)


def fit(tagger, abstracts, features=None):
    """Weights ({"emission": ..., "transition": ...}) learned from `abstracts` with `tagger`'s cues.

    `features`: optionally, `featurise(tagger, ...)` of a superset of `abstracts` (saves recomputing them).
    """
    vocabulary = vocabulary_of(abstracts)
    examples = []
    for abstract in abstracts:
        if features is not None:
            found = features[abstract.slug]
        else:
            found = tagger.features(abstract.texts, vocabulary)
        for active, (_, label, _) in zip(found, abstract.sentences, strict=True):
            kept = [name for name in active if not name.startswith(WORD) or name in vocabulary]
            examples.append((kept, MOVES.index(label)))
    names = sorted({name for active, _ in examples for name in active})
    index = {name: i for i, name in enumerate(names)}
    rows = [_getter([index[name] for name in active]) for active, _ in examples]
    holders = defaultdict(list)
    for e, (active, _) in enumerate(examples):
        for name in active:
            holders[index[name]].append(e)
    columns = [_getter(holders[i]) for i in range(len(names))]
    labels = [label for _, label in examples]
    count, moves = len(examples), range(len(MOVES))
    penalties = [WORD_PENALTY if name.startswith(WORD) else PENALTY for name in names]
    weights = [[0.0] * len(names) for _ in moves]
    for _ in range(ITERATIONS):
        errors = [[0.0] * count for _ in moves]
        for e, (row, label) in enumerate(zip(rows, labels, strict=True)):
            raw = [sum(row(weights[m])) for m in moves]
            top = max(raw)
            exps = [math.exp(value - top) for value in raw]
            total = sum(exps)
            for m in moves:
                errors[m][e] = exps[m] / total - (1.0 if m == label else 0.0)
        for m in moves:
            own, error = weights[m], errors[m]
            gradient = [sum(column(error)) for column in columns]
            weights[m] = [
                w - STEP * (g / count + penalty * w) for w, g, penalty in zip(own, gradient, penalties, strict=True)
            ]
    counts = defaultdict(lambda: defaultdict(int))
    for abstract in abstracts:
        previous = "start"
        for _, label, _ in abstract.sentences:
            counts[previous][label] += 1
            previous = label
    transition = {}
    for previous in ("start", *MOVES):
        total = sum(counts[previous].values()) + len(MOVES)
        transition[previous] = {m: round(math.log((counts[previous][m] + 1) / total), 4) for m in MOVES}
    emission = {name: {m: round(weights[i][j], 4) for i, m in enumerate(MOVES)} for j, name in enumerate(names)}
    # The sequence model already knows how often each move comes; dividing the emission by each
    # move's share (a hybrid HMM's scaled likelihood) keeps that prior from counting twice.
    prior = {m: round(math.log((labels.count(i) + 1) / (len(labels) + len(MOVES))), 4) for i, m in enumerate(MOVES)}
    return {"emission": emission, "transition": transition, "prior": {"moves": prior}}


def trained(tagger, abstracts, features=None):
    """A new tagger with `tagger`'s cues and weights fitted on `abstracts` (see `fit` for `features`)."""
    return tagger.with_weights(fit(tagger, abstracts, features))


def weights_toml(weights, abstracts):
    lines = [
        "# Written by `python manage.py train_tagger` from the labelled abstracts of the development set",
        f"# ({len(abstracts)} abstracts, {sum(len(a.sentences) for a in abstracts)} sentences). Do not edit by hand:",
        "# change cues.toml or the labels, then train again.",
        "",
    ]
    for section in ("emission", "transition", "prior"):
        for name, row in weights[section].items():
            lines.append(f'[{section}."{name}"]')
            lines += [f'"{move}" = {value}' for move, value in row.items()]
            lines.append("")
    return "\n".join(lines)
