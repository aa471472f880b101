"""The forms of the /write/ pages: an abstract to check, a draft's title, and "I meant this as ...".

The abstract is plain text: line breaks become "\\n", control characters (and the invisible
characters that reorder text) are removed, and what is left is stored and always shown escaped.
"""

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError

from drafts.tagger import split_sentences

MAX_CHARACTERS = 5000
MAX_SENTENCES = 40
TITLE_LENGTH = 120

# Bidirectional embeddings, overrides and isolates: invisible, and they can make text read as it is not.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def plain_text(value):
    """`value` as plain text: newlines as "\\n", tabs as spaces, no other control characters, NFC."""
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    value = value.replace("\t", " ")
    value = "".join(char for char in value if char == "\n" or unicodedata.category(char) != "Cc")
    return unicodedata.normalize("NFC", _BIDI_CONTROLS.sub("", value)).strip()


class PlainTextField(forms.CharField):
    """A CharField that cleans its value with `plain_text` before any check (so NUL is removed, not refused)."""

    def to_python(self, value):
        return plain_text(super().to_python(value))


class CheckForm(forms.Form):
    title = PlainTextField(
        label="Working title (optional)",
        required=False,
        max_length=TITLE_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    text = PlainTextField(
        label="Your abstract",
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "true", "aria-describedby": "text-help"}),
        error_messages={
            "required": "Write or paste your abstract first: the box was empty, or held only spaces "
            "and control characters. Nothing was saved."
        },
    )

    def __init__(self, *args, with_title=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_title:
            del self.fields["title"]
        self.sentences = []

    def clean_text(self):
        text = self.cleaned_data["text"]
        if len(text) > MAX_CHARACTERS:
            raise ValidationError(
                f"Your text is {len(text):,} characters long; the limit is {MAX_CHARACTERS:,}. "
                "An abstract is far shorter: cut it down and check again. Nothing was saved."
            )
        sentences = split_sentences(text)
        if not any(any(char.isalpha() for char in sentence) for sentence in sentences):
            raise ValidationError(
                "We found no sentence in your text: write at least one sentence in words. Nothing was saved."
            )
        if len(sentences) > MAX_SENTENCES:
            raise ValidationError(
                f"Your text has {len(sentences)} sentences; the limit is {MAX_SENTENCES}. "
                "An abstract is far shorter: cut it down and check again. Nothing was saved."
            )
        self.sentences = sentences
        return text


class RenameForm(forms.Form):
    title = PlainTextField(label="Title of this draft", required=False, max_length=TITLE_LENGTH)


class IntentForm(forms.Form):
    """The move the learner meant a sentence as; empty takes the answer back."""

    move = forms.ChoiceField(label="I meant this as", required=False)

    def __init__(self, moves, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["move"].choices = [("", "(not said)"), *((move.slug, move.name) for move in moves)]
