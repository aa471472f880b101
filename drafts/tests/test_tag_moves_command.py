"""`manage.py tag_moves FILE`: JSON in, JSON out; bad input says why on stderr and exits 2."""

import json
import subprocess
import sys

import pytest
from django.conf import settings


def tag_moves(tmp_path, payload):
    path = tmp_path / "batch.json"
    path.write_text(payload if isinstance(payload, str) else json.dumps(payload))
    return subprocess.run(  # noqa: S603 (fixed arguments)
        [sys.executable, "manage.py", "tag_moves", str(path)],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_tags_given_sentences_and_splits_given_text(tmp_path):
    result = tag_moves(
        tmp_path,
        [
            {"id": "a", "sentences": ["However, nothing is known.", "Here we measure it."]},
            {"id": 7, "text": "Birds sing at dawn. We recorded 40 birds. Songs got 20% longer."},
        ],
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert [item["id"] for item in out] == ["a", 7]
    assert [s["text"] for s in out[0]["sentences"]] == ["However, nothing is known.", "Here we measure it."]
    assert len(out[1]["sentences"]) == 3
    for sentence in out[0]["sentences"] + out[1]["sentences"]:
        assert sentence["move"] in {"lead-in", "problem", "about", "importance"}
        assert sentence["reason"] and 0 <= sentence["confidence"] <= 1


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("not json", "Expecting value"),
        ({"id": 1, "text": "x"}, "must hold a JSON array"),
        ([{"text": "No id."}], 'item 0 must be an object with an "id"'),
        ([{"id": 1}], 'either "sentences"'),
        ([{"id": 1, "text": "a", "sentences": ["b"]}], 'either "sentences"'),
        ([{"id": 1, "sentences": "not a list"}], '"sentences" must be a list of non-empty strings'),
        ([{"id": 1, "sentences": ["", "b"]}], '"sentences" must be a list of non-empty strings'),
        ([{"id": 1, "text": 5}], '"text" must be a string'),
    ],
)
def test_bad_input_is_refused_on_stderr_with_status_2_and_nothing_on_stdout(tmp_path, payload, message):
    result = tag_moves(tmp_path, payload)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_a_missing_file_is_refused_with_status_2(tmp_path):
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "tag_moves", str(tmp_path / "missing.json")],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "No such file" in result.stderr
