"""A small, explainable tagger of abstract moves: which job each sentence does, how sure, and why.

Plain Python with no Django: `split_sentences(text)` cuts an abstract into sentences, and
`Tagger.load(folder).tag(sentences)` gives each sentence a move (`lead-in`, `problem`, `about`,
`importance`), a confidence (0-1) and a reason a student can read. What it knows (cue phrases,
reasons, learned weights) is data in `fixtures/tagger/`, which an author can edit.
"""

from drafts.tagger.model import Tagged, Tagger
from drafts.tagger.splitter import split_sentences

__all__ = ["Tagged", "Tagger", "split_sentences"]
