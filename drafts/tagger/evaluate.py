"""How well the tagger does: `python -m drafts.tagger.evaluate [--folds K] [--frozen] [FIXTURES]`.

Without --frozen: leave-one-abstract-out over the development set (each abstract tagged by
weights fitted on all the others), the honest figure for anything fitted. With --folds K: K-fold
cross-validation over the development abstracts instead (folds drawn by a fixed seed, so the same
every run), a quicker and slightly pessimistic figure for trying changes; report leave-one-out. With --frozen: the
weights fitted on the whole development set, scored once on the frozen test split. A sentence
counts as right when the tagger gives its label or an accepted alternative. Prints accuracy,
recall per move, the confusion matrix, the splitter's exact recovery, and every wrong sentence
with the tagger's reason.
"""

import argparse
import random
import time
from collections import Counter
from pathlib import Path

from drafts.tagger.data import development_set, frozen_test_set
from drafts.tagger.model import MOVES, Tagger
from drafts.tagger.splitter import split_sentences
from drafts.tagger.train import featurise, trained

ROOT = Path(__file__).resolve().parents[2] / "fixtures"


def score(pairs):
    """pairs: (abstract, tagged results). Returns the figures as a dict."""
    right, total = 0, 0
    per_move = Counter()
    per_move_right = Counter()
    confusion = Counter()
    wrong = []
    for abstract, results in pairs:
        for (text, label, accepted), result in zip(abstract.sentences, results, strict=True):
            total += 1
            per_move[label] += 1
            confusion[label, result.move] += 1
            if result.move in accepted:
                right += 1
                per_move_right[label] += 1
            else:
                wrong.append((abstract.slug, text, label, result))
    return {
        "right": right,
        "total": total,
        "recall": {move: (per_move_right[move], per_move[move]) for move in MOVES},
        "confusion": confusion,
        "wrong": wrong,
    }


def splitter_recovery(abstracts):
    exact = found = 0
    for abstract in abstracts:
        expected = abstract.texts
        got = split_sentences(" ".join(expected))
        found += len(expected)
        exact += len(set(expected) & set(got))
    return exact, found


def report(title, figures, recovery, seconds):
    right, total = figures["right"], figures["total"]
    lines = [f"## {title}", "", f"Sentences right: {right} of {total} ({100 * right / total:.1f}%)", ""]
    lines += ["| move | recall |", "|---|---|"]
    for move, (hit, count) in figures["recall"].items():
        lines.append(f"| {move} | {hit} of {count} ({100 * hit / count:.0f}%) |" if count else f"| {move} | - |")
    lines += ["", "Confusion (rows: the label; columns: the tagger's move):", ""]
    lines += ["| label \\ tagger | " + " | ".join(MOVES) + " |", "|---" * (len(MOVES) + 1) + "|"]
    for label in MOVES:
        lines.append(f"| {label} | " + " | ".join(str(figures["confusion"][label, move]) for move in MOVES) + " |")
    lines += ["", f"Splitter: {recovery[0]} of {recovery[1]} sentences recovered exactly.", ""]
    lines += [f"Tagging time: {1000 * seconds:.2f} ms per abstract (mean).", "", "Wrong sentences:", ""]
    for slug, text, label, result in figures["wrong"]:
        lines.append(f"- {slug}: labelled {label}, tagged {result.move} ({result.confidence:.2f}): {result.reason}.")
        lines.append(f"  > {text}")
    return "\n".join(lines)


def folds(abstracts, count, seed=0):
    """`abstracts` dealt into `count` folds after a seeded shuffle (deterministic); count 0: one fold each."""
    if count <= 0 or count >= len(abstracts):
        return [[abstract] for abstract in abstracts]
    order = sorted(abstracts, key=lambda abstract: abstract.slug)
    random.Random(seed).shuffle(order)
    return [order[start::count] for start in range(count)]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frozen", action="store_true", help="score the frozen test split (once, at the end)")
    parser.add_argument("--folds", type=int, default=0, help="K-fold cross-validation (default: leave-one-out)")
    parser.add_argument("--seed", type=int, default=0, help="the seed that deals the abstracts into folds")
    parser.add_argument("--brief", action="store_true", help="leave out the list of wrong sentences")
    parser.add_argument("fixtures", nargs="?", default=str(ROOT))
    args = parser.parse_args(argv)
    base = Tagger.load(Path(args.fixtures) / "tagger")
    development = development_set(args.fixtures)
    pairs, elapsed, runs = [], 0.0, 0
    if args.frozen:
        tagger = trained(base, development)
        test = frozen_test_set(args.fixtures)
        for abstract in test:
            start = time.perf_counter()
            pairs.append((abstract, tagger.tag(abstract.texts)))
            elapsed += time.perf_counter() - start
            runs += 1
        title = f"Frozen test split: {len(test)} abstracts; weights fitted on {len(development)} development abstracts"
        scored = test
    else:
        features = featurise(base, development)
        held = folds(development, args.folds, args.seed)
        tagged = {}
        for fold in held:
            slugs = {abstract.slug for abstract in fold}
            tagger = trained(base, [a for a in development if a.slug not in slugs], features)
            for abstract in fold:
                start = time.perf_counter()
                tagged[abstract.slug] = tagger.tag(abstract.texts)
                elapsed += time.perf_counter() - start
                runs += 1
        pairs = [(abstract, tagged[abstract.slug]) for abstract in development]
        if len(held) == len(development):
            title = f"Development set, leave-one-abstract-out: {len(development)} abstracts"
        else:
            how = f"{len(held)}-fold cross-validation (seed {args.seed})"
            title = f"Development set, {how}: {len(development)} abstracts"
        scored = development
    figures = score(pairs)
    if args.brief:
        figures["wrong"] = []
    print(report(title, figures, splitter_recovery(scored), elapsed / max(runs, 1)))


if __name__ == "__main__":
    main()
