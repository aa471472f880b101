"""Tag abstracts in batch: `python manage.py tag_moves FILE` (FILE a JSON array; "-" reads stdin)."""

import json
import sys

from django.core.management.base import BaseCommand

from drafts.moves import tagger
from drafts.tagger import split_sentences


class BadInput(ValueError):
    pass


def _sentences(item, index):
    if not isinstance(item, dict) or "id" not in item:
        raise BadInput(f'item {index} must be an object with an "id"')
    if ("sentences" in item) == ("text" in item):
        raise BadInput(f'item {index} must have either "sentences" (a list of strings) or "text" (a string)')
    if "text" in item:
        if not isinstance(item["text"], str):
            raise BadInput(f'item {index}: "text" must be a string')
        return split_sentences(item["text"])
    sentences = item["sentences"]
    if not isinstance(sentences, list) or not all(isinstance(s, str) and s.strip() for s in sentences):
        raise BadInput(f'item {index}: "sentences" must be a list of non-empty strings')
    return sentences


class Command(BaseCommand):
    help = (
        'Tag the moves of abstracts. FILE is a JSON array of {"id": ..., "sentences": [...]} (tag exactly these) '
        'or {"id": ..., "text": "..."} (split the text first); prints a JSON array of results.'
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help='a JSON file, or "-" for standard input')

    def handle(self, *args, file, **options):
        try:
            raw = sys.stdin.read() if file == "-" else open(file, encoding="utf-8").read()  # noqa: SIM115
            items = json.loads(raw)
            if not isinstance(items, list):
                raise BadInput("the file must hold a JSON array")
            batches = [(_sentences(item, index), item["id"]) for index, item in enumerate(items)]
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, BadInput) as error:
            self.stderr.write(f"tag_moves: {error}")
            sys.exit(2)
        tag = tagger().tag
        results = [
            {
                "id": identifier,
                "sentences": [
                    {"text": r.text, "move": r.move, "reason": r.reason, "confidence": r.confidence}
                    for r in tag(sentences)
                ],
            }
            for sentences, identifier in batches
        ]
        self.stdout.write(json.dumps(results, ensure_ascii=False, indent=2))
