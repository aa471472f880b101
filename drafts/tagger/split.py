"""Draw the frozen test split once: `python -m drafts.tagger.split --frozen 20 [--seen SLUG ...]`.

Abstracts of `fixtures/tagger/abstracts/` that no split names yet are drawn at random (a fixed
seed, over their sorted slugs) for the frozen test side until it holds `--frozen` abstracts; the
rest, and any abstract named with `--seen` (one whose tagging someone has already looked at),
go to the development side. Abstracts already assigned never move.
"""

import argparse
import random
from datetime import date
from pathlib import Path

from drafts.tagger.data import split, unassigned

ROOT = Path(__file__).resolve().parents[2] / "fixtures"
SEED = 2026


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frozen", type=int, default=20, help="how many abstracts the frozen side should hold")
    parser.add_argument("--seen", nargs="*", default=[], help="abstracts already looked at: development only")
    parser.add_argument("fixtures", nargs="?", default=str(ROOT))
    args = parser.parse_args(argv)
    sides = split(args.fixtures)
    new = sorted(unassigned(args.fixtures))
    seen = [slug for slug in new if slug in args.seen]
    drawable = [slug for slug in new if slug not in args.seen]
    wanted = max(args.frozen - len(sides["frozen_test"]), 0)
    frozen = sorted(random.Random(SEED).sample(drawable, min(wanted, len(drawable))))
    sides["frozen_test"] |= set(frozen)
    sides["development"] |= set(new) - set(frozen)
    path = Path(args.fixtures) / "tagger" / "split.toml"
    header = [line for line in path.read_text().splitlines() if line.startswith("#")] if path.exists() else []
    lines = [
        *header,
        f"# Draw of {date.today().isoformat()}: {len(frozen)} drawn for frozen_test; seen before it, so development:",
        f"# {', '.join(seen) or 'none'}.",
        "",
        "development = [",
        *[f'  "{slug}",' for slug in sorted(sides["development"])],
        "]",
        "",
        "retired_frozen_test = [",
        *[f'  "{slug}",' for slug in sorted(sides["retired_frozen_test"])],
        "]",
        "",
        "frozen_test = [",
        *[f'  "{slug}",' for slug in sorted(sides["frozen_test"])],
        "]",
        "",
    ]
    path.write_text("\n".join(lines))
    print(f"{len(sides['development'])} development, {len(sides['frozen_test'])} frozen test ({len(frozen)} drawn now)")


if __name__ == "__main__":
    main()
