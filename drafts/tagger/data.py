"""The labelled abstracts: the abstract exercises and `fixtures/tagger/abstracts/`, and the frozen split.

The frozen test split (`fixtures/tagger/split.toml`) was drawn once, before any tuning, and is
scored only by `evaluate --frozen`; training and cross-validation never read it.
"""

import tomllib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Abstract:
    slug: str
    field: str
    sentences: tuple  # of (text, label, accepted labels)

    @property
    def texts(self):
        return [text for text, _, _ in self.sentences]


def _read(path):
    with open(path, "rb") as file:
        return tomllib.load(file)


def all_abstracts(fixtures):
    """Every labelled abstract below `fixtures`, exercises first, in file order."""
    fixtures = Path(fixtures)
    found = []
    for path in sorted((fixtures / "exercises").glob("*.toml")):
        data = _read(path)
        if data.get("label_set") == "abstract":
            found.append(_abstract(data, data.get("field", "")))
    for path in sorted((fixtures / "tagger" / "abstracts").glob("*.toml")):
        data = _read(path)
        found.append(_abstract(data, data.get("field", "")))
    return found


def _abstract(data, field):
    sentences = tuple(
        (sentence["text"], sentence["label"], frozenset([sentence["label"], *sentence.get("also_accepted", [])]))
        for sentence in data["sentences"]
    )
    return Abstract(data["slug"], field, sentences)


def split(fixtures):
    """{"development": slugs, "frozen_test": slugs} from `fixtures/tagger/split.toml`.

    The abstract exercises are always development data. An abstract of `fixtures/tagger/abstracts/`
    is in neither set until the split names it, so a newly added abstract cannot leak into tuning
    before it has been drawn for one side or the other.
    """
    path = Path(fixtures) / "tagger" / "split.toml"
    data = _read(path) if path.exists() else {}
    return {
        "development": set(data.get("development", [])),
        "retired_frozen_test": set(data.get("retired_frozen_test", [])),
        "frozen_test": set(data.get("frozen_test", [])),
    }


def _is_exercise(abstract, fixtures):
    return (Path(fixtures) / "exercises" / f"{abstract.slug}.toml").exists()


def development_set(fixtures):
    """The abstracts the tagger may be tuned and trained on: the exercises and the split's development side."""
    named = split(fixtures)["development"]
    return [a for a in all_abstracts(fixtures) if a.slug in named or _is_exercise(a, fixtures)]


def frozen_test_set(fixtures):
    named = split(fixtures)["frozen_test"]
    return [a for a in all_abstracts(fixtures) if a.slug in named]


def unassigned(fixtures):
    """Abstracts of fixtures/tagger/abstracts/ that the split does not name yet."""
    named = set().union(*split(fixtures).values())
    return [a.slug for a in all_abstracts(fixtures) if a.slug not in named and not _is_exercise(a, fixtures)]
