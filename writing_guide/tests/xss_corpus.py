"""The XSS corpus (xss_vectors.toml) and a copy of the guide's fixtures with every vector injected.

Each vector goes into its own lesson body (Markdown) and its own annotated excerpt (shown on the
lesson page and on one paper page); the exercise `xss-exercise` carries all of them in its
instructions and its sentences' explanations.
"""

import json
import re
import shutil
import tomllib
from pathlib import Path

from django.conf import settings

VECTORS_FILE = Path(__file__).with_name("xss_vectors.toml")
PAPER_SLUG = "xss-corpus"
EXERCISE_SLUG = "xss-exercise"


def load_vectors():
    return tomllib.loads(VECTORS_FILE.read_text())["vector"]


def lesson_slug(index):
    return f"xss-{index:03d}"


def write_hostile_guide(root, vectors):
    """Copy fixtures/ to `root` and add the vectors to it; return `root`."""
    shutil.copytree(settings.FIXTURES_DIR, root)
    _write_paper(root, vectors)
    for index, vector in enumerate(vectors):
        front_matter = "\n".join(
            [
                f"slug = {_toml(lesson_slug(index))}",
                f"title = {_toml('Hostile lesson: ' + vector['name'])}",
                f"order = {1000 + index}",
                f"excerpts = [{_toml(lesson_slug(index))}]",
                f"summary = {_toml('Vector ' + vector['name'])}",
            ]
        )
        (root / "lessons" / f"{lesson_slug(index)}.md").write_text(f"+++\n{front_matter}\n+++\n{vector['body']}\n")
    _write_exercise(root, vectors)
    return root


def _toml(value):
    # A JSON string is a valid TOML basic string (same escapes, \uXXXX for the rest).
    return json.dumps(value)


def _write_paper(root, vectors):
    lines = [
        f"slug = {_toml(PAPER_SLUG)}",
        'title = "A paper of hostile excerpts"',
        'authors = ["A. Attacker"]',
        'short_name = "Attacker (2026)"',
        'venue = "Nowhere"',
        "year = 2026",
        'url = "https://example.org/paper"',
        'licence = "CC BY 4.0"',
        'citation = "Attacker, A. (2026). Hostile excerpts."',
        "",
        "[[sections]]",
        'number = "1"',
        'title = "Body"',
        'part = "meta"',
    ]
    for index, vector in enumerate(vectors):
        marker = f"Marker sentence {index:03d}"
        lines += [
            "",
            "[[excerpts]]",
            f"slug = {_toml(lesson_slug(index))}",
            'section = "Body"',
            'move_set = "abstract"',
            f"title = {_toml(vector['name'])}",
            f"text = {_toml(marker + '.' + chr(10) + chr(10) + vector['body'])}",
            "  [[excerpts.annotations]]",
            f"  quote = {_toml(marker)}",
            '  move = "lead-in"',
            '  note = "The note of the hostile excerpt."',
        ]
    (root / "papers" / f"{PAPER_SLUG}.toml").write_text("\n".join(lines) + "\n")


def _write_exercise(root, vectors):
    text = (root / "exercises" / "lee-2016-abstract.toml").read_text()
    everything = "\n\n".join(vector["body"] for vector in vectors)
    text = re.sub(r"^slug = .*$", f"slug = {_toml(EXERCISE_SLUG)}", text, count=1, flags=re.M)
    text = re.sub(r"^instructions = .*$", lambda _: f"instructions = {_toml(everything)}", text, count=1, flags=re.M)
    text = re.sub(r"^explanation = .*$", lambda _: f"explanation = {_toml(everything)}", text, flags=re.M)
    (root / "exercises" / f"{EXERCISE_SLUG}.toml").write_text(text)
