"""Learn the tagger's weights from labelled abstracts, and write them to `weights.toml`.

Emission weights: a multinomial logistic regression from the sentence features (cue groups and
position) to the move, fitted by gradient descent with an L2 penalty. Transition weights: the
log-probability of each move after the one before (and at the start), from counts with add-one
smoothing. Deterministic: the same abstracts always give the same weights.
"""

import math
from collections import Counter, defaultdict

from drafts.tagger.model import MOVES, WORD, words

ITERATIONS = 300
STEP = 0.5
PENALTY = 0.003
# A word is a feature of its own once it occurs this often in the training sentences.
MIN_WORD_COUNT = 3


def fit(tagger, abstracts):
    """Weights ({"emission": ..., "transition": ...}) learned from `abstracts` with `tagger`'s cues."""
    counts = Counter(word for abstract in abstracts for text in abstract.texts for word in words(text))
    vocabulary = {WORD + word for word, count in counts.items() if count >= MIN_WORD_COUNT}
    examples = []
    for abstract in abstracts:
        features = tagger.features(abstract.texts, vocabulary)
        for active, (_, label, _) in zip(features, abstract.sentences, strict=True):
            examples.append((list(active), MOVES.index(label)))
    names = sorted({name for active, _ in examples for name in active})
    weights = {name: [0.0] * len(MOVES) for name in names}
    for _ in range(ITERATIONS):
        gradient = {name: [0.0] * len(MOVES) for name in names}
        for active, label in examples:
            raw = [sum(weights[name][m] for name in active) for m in range(len(MOVES))]
            top = max(raw)
            exps = [math.exp(value - top) for value in raw]
            total = sum(exps)
            for m in range(len(MOVES)):
                error = exps[m] / total - (1.0 if m == label else 0.0)
                for name in active:
                    gradient[name][m] += error
        for name in names:
            for m in range(len(MOVES)):
                weights[name][m] -= STEP * (gradient[name][m] / len(examples) + PENALTY * weights[name][m])
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
    emission = {name: {m: round(weights[name][i], 4) for i, m in enumerate(MOVES)} for name in names}
    # The sequence model already knows how often each move comes; dividing the emission by each
    # move's share (a hybrid HMM's scaled likelihood) keeps that prior from counting twice.
    labels = [label for _, label in examples]
    prior = {m: round(math.log((labels.count(i) + 1) / (len(labels) + len(MOVES))), 4) for i, m in enumerate(MOVES)}
    return {"emission": emission, "transition": transition, "prior": {"moves": prior}}


def trained(tagger, abstracts):
    """A new tagger with `tagger`'s cues and weights fitted on `abstracts`."""
    return tagger.with_weights(fit(tagger, abstracts))


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
