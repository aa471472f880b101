"""The one move tagger of this process, loaded from `fixtures/tagger/` on first use."""

from functools import cache

from django.conf import settings

from drafts.tagger import Tagger


@cache
def tagger():
    """The tagger with the cues and weights of the guide's fixtures (read once per process)."""
    return Tagger.load(settings.FIXTURES_DIR / "tagger")
