"""The forms of the exercise editor (`courses.authoring_views`): a new exercise from a pasted passage,
the editor of a draft, the small forms that correct its split into sentences, publishing, and an
import. They check what was sent (a label of the set, text within its length); what makes an
exercise publishable is `courses.authoring.check`'s to say, and the editor shows it beside each field.
"""

import copy
import hashlib
import re
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django import forms
from django.core.exceptions import ValidationError

from courses.authoring import TAGGED_LABEL_SET, label_set_choices
from drafts.forms import MAX_CHARACTERS, MAX_SENTENCES, PlainTextField
from drafts.tagger import split_sentences

TITLE_LENGTH = 200  # Exercise.title
SOURCE_LENGTH = 1_000
LICENCE_LENGTH = 100
URL_LENGTH = 500
PAPER_TITLE_LENGTH = 300
FIELD_LENGTH = 100  # Exercise.field
INSTRUCTIONS_LENGTH = 3_000
EXPLANATION_LENGTH = 2_000
FEEDBACK_LENGTH = 1_000
SPLIT_AT_LENGTH = 300
IMPORT_MAX_BYTES = 256 * 1024

# What the forms posting to the editor's address do.
SAVE, JOIN, SPLIT = "save", "join", "split"
# A word of a sentence, as the signal checkboxes offer it: letters and digits, with the apostrophes
# and hyphens inside a word ("don't", "fine-scale"); the punctuation between words is not a word.
WORD = re.compile(r"\w+(?:['’-]\w+)*")
STALE = "stale"
# A signal word's checkbox: "s3-w4", the fourth word (from 0) of sentence 3.
WORD_FIELD = re.compile(r"s(?P<sentence>[0-9]{1,4})-w(?P<word>[0-9]{1,6})")


def sentences_digest(draft):
    """A short digest of the draft's sentences: a form that names sentences by their place is refused
    once they were joined or split since it was opened (in another tab, by a co-instructor)."""
    texts = "\n".join(sentence.get("text", "") for sentence in draft.get("sentences", []))
    return hashlib.sha256(texts.encode()).hexdigest()[:16]


def _length_messages(what):
    return {
        "max_length": f"{what} can be at most %(limit_value)s characters (it has %(show_value)s). Nothing was saved."
    }


def _text(label, length, what, rows=None, help_text="", widget=None):
    """An optional text field of the editor: saving keeps a draft however incomplete (`check` says
    what is missing); only text over its length is refused."""
    if widget is None:
        widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput(attrs={"autocomplete": "off"})
    return PlainTextField(
        label=label,
        max_length=length,
        required=False,
        widget=widget,
        help_text=help_text,
        error_messages=_length_messages(what),
    )


class NewExerciseForm(forms.Form):
    """Step one: the passage, and the label set its sentences are labelled with."""

    passage = PlainTextField(
        label="The passage",
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "true"}),
        help_text=(
            f"Plain text, from 2 to {MAX_SENTENCES} sentences and up to {MAX_CHARACTERS:,} characters; a blank line "
            "also ends a sentence. You can join and split sentences in the editor."
        ),
        error_messages={"required": "Paste the passage first: the box was empty. Nothing was saved."},
    )
    label_set = forms.ChoiceField(
        label="Its moves",
        widget=forms.RadioSelect(attrs={"aria-describedby": "label-set-help"}),
        error_messages={
            "required": "Choose the moves its sentences are labelled with.",
            "invalid_choice": "%(value)s is not a set of moves of this guide. Nothing was saved.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = label_set_choices()
        self.fields["label_set"].choices = choices
        slugs = [slug for slug, _name in choices]
        self.fields["label_set"].initial = TAGGED_LABEL_SET if TAGGED_LABEL_SET in slugs else (slugs or [None])[0]

    def clean_passage(self):
        text = self.cleaned_data["passage"]
        if len(text) > MAX_CHARACTERS:
            raise ValidationError(
                f"The passage is {len(text):,} characters long; the limit is {MAX_CHARACTERS:,}. "
                "Choose a shorter passage. Nothing was saved."
            )
        sentences = split_sentences(text)
        worded = [sentence for sentence in sentences if any(char.isalpha() for char in sentence)]
        if len(worded) < 2:
            raise ValidationError(
                "An exercise needs at least two sentences to label; we found "
                f"{'one' if worded else 'none'}. Nothing was saved."
            )
        if len(sentences) > MAX_SENTENCES:
            raise ValidationError(
                f"The passage has {len(sentences)} sentences; the limit is {MAX_SENTENCES}. "
                "Choose a shorter passage. Nothing was saved."
            )
        return text


@dataclass
class Slot:
    """A place of the editor where `check`'s problems are shown: `key` names it (its problems' element
    is `<key>-problems`), `anchor` is the id a link to it lands on, `name` says it in words."""

    key: str
    anchor: str
    name: str
    problems: list = dataclass_field(default_factory=list)

    @property
    def problems_id(self):
        return f"{self.key}-problems"


@dataclass
class Problem:
    slot: Slot
    message: str


@dataclass
class FieldView:
    """A field as the editor shows it: the bound field, and the slot of its problems."""

    bound: forms.BoundField
    slot: Slot


@dataclass
class Word:
    index: int
    text: str
    name: str
    ticked: bool

    @property
    def id(self):
        return f"id_{self.name}"


@dataclass
class SentenceRow:
    """What the editor shows of one sentence: its text and its fields, with their slots."""

    position: int
    text: str
    suggestion: dict | None  # name, percent, reason
    label: FieldView
    confirmed: forms.BoundField | None
    also: list  # (Move, BoundField)
    explanation: FieldView
    words: list  # Word
    signals: list  # the phrases the ticked words make
    feedback: list  # FieldView, one per wrong label
    slots: dict  # "sentence", "also", "signals", "feedback": Slot


class EditorForm(forms.Form):
    """The editor of a draft (`CourseExercise.draft`): the exercise's header, and per sentence its
    right label (with the tagger's suggestion to confirm), the labels also accepted, the explanation,
    the signal words (ticked among the sentence's own words) and the feedback for each wrong label.

    `moves`: the label set's moves, in order. `problems`: what `authoring.check` found, {field path:
    [messages]}; each is shown beside its field, and `problem_list` links to them all."""

    digest = forms.CharField(
        widget=forms.HiddenInput,
        error_messages={"required": "The form was sent without its digest: reload the editor. Nothing was saved."},
    )
    title = _text(
        "Title", TITLE_LENGTH, "The title", help_text="What students see in the course's list and above the passage."
    )
    source = _text(
        "Source: the full citation of the passage",
        SOURCE_LENGTH,
        "The source",
        rows=3,
        help_text="Authors, year, title, venue and DOI, as a reference list prints them.",
    )
    paper_licence = _text(
        "Licence of the paper",
        LICENCE_LENGTH,
        "The licence",
        help_text="The licence under which the passage may be quoted, for example CC BY 4.0.",
    )
    paper_url = _text(
        "Link to the paper",
        URL_LENGTH,
        "The link",
        widget=forms.URLInput(attrs={"autocomplete": "off"}),
        help_text="An address starting with https://, such as the paper's DOI link.",
    )
    paper_title = _text("Title of the paper (optional)", PAPER_TITLE_LENGTH, "The paper's title")
    field = _text("Research field (optional)", FIELD_LENGTH, "The field", help_text="For example: Epidemiology.")
    difficulty = forms.TypedChoiceField(
        label="Difficulty",
        choices=[(1, "1: clear signals"), (2, "2"), (3, "3: subtle")],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose a difficulty: 1, 2 or 3.",
            "invalid_choice": "The difficulty is 1, 2 or 3, not %(value)s. Nothing was saved.",
        },
    )
    instructions = _text(
        "Instructions",
        INSTRUCTIONS_LENGTH,
        "The instructions",
        rows=5,
        help_text="Markdown: **bold**, *italic*, lists. What students read before the passage.",
    )

    HEADER_FIELDS = ("title", "source", "paper_licence", "paper_url", "paper_title", "field", "instructions")
    # The header's fields by the path `check` names them with.
    HEADER_PATHS = {
        "title": "title",
        "source": "source",
        "paper": "paper_licence",
        "paper.licence": "paper_licence",
        "paper.url": "paper_url",
        "paper.title": "paper_title",
        "field": "field",
        "difficulty": "difficulty",
        "instructions": "instructions",
    }

    def __init__(self, draft, moves, *args, problems=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.draft, self.moves = draft, list(moves)
        self.move_names = {move.slug: move.name for move in self.moves}
        paper = draft.get("paper", {})
        self.initial.update(
            digest=sentences_digest(draft),
            title=draft.get("title", ""),
            source=draft.get("source", ""),
            paper_licence=paper.get("licence", ""),
            paper_url=paper.get("url", ""),
            paper_title=paper.get("title", ""),
            field=draft.get("field", ""),
            difficulty=draft.get("difficulty", 2),
            instructions=draft.get("instructions", ""),
        )
        self.sentences = draft.get("sentences", [])
        for position, sentence in enumerate(self.sentences, start=1):
            self._add_sentence_fields(position, sentence)
        self.problems = problems or {}
        self._shown = None

    def _add_sentence_fields(self, n, sentence):
        choices = [(move.slug, move.name) for move in self.moves]
        self.fields[f"s{n}-label"] = forms.ChoiceField(
            label=f"Right label of sentence {n}",
            choices=choices,
            required=False,
            widget=forms.RadioSelect,
            error_messages={
                "invalid_choice": f"Sentence {n}: %(value)s is not a label of this exercise's set. Nothing was saved."
            },
        )
        self.initial[f"s{n}-label"] = sentence.get("label") or None
        if sentence.get("suggestion"):
            self.fields[f"s{n}-confirmed"] = forms.BooleanField(label="Confirmed", required=False)
            self.initial[f"s{n}-confirmed"] = bool(sentence.get("confirmed"))
        for move in self.moves:
            self.fields[f"s{n}-also-{move.slug}"] = forms.BooleanField(label=move.name, required=False)
            self.initial[f"s{n}-also-{move.slug}"] = move.slug in sentence.get("also_accepted", [])
        self.fields[f"s{n}-explanation"] = _text(
            f"Explanation of sentence {n}",
            EXPLANATION_LENGTH,
            f"The explanation of sentence {n}",
            rows=3,
            help_text="Markdown. Shown to every student after they answer: why this label fits.",
        )
        self.initial[f"s{n}-explanation"] = sentence.get("explanation", "")
        # A wrong label is one neither right nor accepted; a note written for another label is kept
        # on show (`check` then says it is given for a right answer) so that it can be cleared.
        feedback = sentence.get("feedback", {})
        right = {sentence.get("label"), *sentence.get("also_accepted", [])}
        for move in self.moves:
            if move.slug not in right or feedback.get(move.slug):
                self.fields[f"s{n}-feedback-{move.slug}"] = _text(
                    f"If a student chooses {move.name}",
                    FEEDBACK_LENGTH,
                    f"The feedback for {move.name} in sentence {n}",
                    rows=2,
                )
                self.initial[f"s{n}-feedback-{move.slug}"] = feedback.get(move.slug, "")

    def clean(self):
        cleaned = super().clean()
        for name in self.data:
            word = WORD_FIELD.fullmatch(name)
            if word and not self._is_a_word(int(word["sentence"]), int(word["word"])):
                raise ValidationError(
                    f"{name} is not a word of sentence {word['sentence']}: signal words are ticked from the "
                    "sentence's own words. Nothing was saved: reload the editor."
                )
        if cleaned.get("digest") and cleaned["digest"] != sentences_digest(self.draft):
            raise ValidationError(
                "The sentences of this exercise were joined or split after this page was opened (in another "
                "tab, or by another instructor). Nothing was saved: reload the editor and make your changes again.",
                code=STALE,
            )
        return cleaned

    # What the sentences' words are, and which are ticked.

    def _is_a_word(self, n, k):
        if not 1 <= n <= len(self.sentences):
            return False
        return k < sum(1 for _ in WORD.finditer(self.sentences[n - 1].get("text", "")))

    def _words(self, n, text):
        spans = [match.span() for match in WORD.finditer(text)]
        if self.is_bound:
            ticked = {k for k in range(len(spans)) if self.data.get(f"s{n}-w{k}")}
        else:
            ticked = _words_of_signals(text, spans, self.sentences[n - 1].get("signals", []))
        return spans, ticked

    def signals_of(self, n):
        text = self.sentences[n - 1].get("text", "")
        spans, ticked = self._words(n, text)
        return phrases(text, spans, ticked)

    def updated_draft(self):
        """The draft with this (valid) form's values: what the editor saves."""
        cleaned = self.cleaned_data
        draft = copy.deepcopy(self.draft)
        for key in ("title", "source", "field", "difficulty", "instructions"):
            draft[key] = cleaned[key]
        # Keys of an imported paper the editor does not show (authors, DOI...) stay as they were.
        draft["paper"] = {
            **draft.get("paper", {}),
            "title": cleaned["paper_title"],
            "licence": cleaned["paper_licence"],
            "url": cleaned["paper_url"],
        }
        for n, sentence in enumerate(draft.get("sentences", []), start=1):
            label = cleaned[f"s{n}-label"] or ""
            suggested = (sentence.get("suggestion") or {}).get("label")
            sentence["label"] = label
            # Choosing another label than the tagger's is a decision: it needs no tick.
            sentence["confirmed"] = bool(cleaned.get(f"s{n}-confirmed") or (suggested and label and label != suggested))
            sentence["also_accepted"] = [
                move.slug for move in self.moves if cleaned[f"s{n}-also-{move.slug}"] and move.slug != label
            ]
            sentence["explanation"] = cleaned[f"s{n}-explanation"]
            sentence["signals"] = self.signals_of(n)
            sentence["feedback"] = {
                move.slug: cleaned[f"s{n}-feedback-{move.slug}"]
                for move in self.moves
                if cleaned.get(f"s{n}-feedback-{move.slug}")
            }
        return draft

    # What the template shows: fields with the problems beside them, described by them.

    def _slot_for(self, path):
        """The slot where a problem about `path` ("title", "sentences.3.signals") is shown."""
        if path in self.HEADER_PATHS:
            return self._slots[self.HEADER_PATHS[path]]
        match = re.fullmatch(r"sentences\.(\d+)(?:\.([a-z_]+)(?:\.(.+))?)?", path)
        if match and 1 <= int(match.group(1)) <= len(self.sentences):
            n, key, label = int(match.group(1)), match.group(2), match.group(3)
            keys = {"label": "label", "also_accepted": "also", "explanation": "explanation", "signals": "signals"}
            if key == "feedback":
                return self._slots.get(f"s{n}-feedback-{label}") or self._slots[f"s{n}-feedback"]
            return self._slots[f"s{n}-{keys[key]}" if key in keys else f"s{n}"]
        return self._slots["exercise"]

    def _build(self):
        """Slots and rows, once: after validation, so that errors are known."""
        if self._shown is not None:
            return self._shown
        slots = {"exercise": Slot("exercise", "editor-problems", "The whole exercise")}
        names = {
            "title": "Title",
            "source": "Source",
            "paper_licence": "Licence",
            "paper_url": "Link to the paper",
            "paper_title": "Title of the paper",
            "field": "Research field",
            "difficulty": "Difficulty",
            "instructions": "Instructions",
        }
        for name, words in names.items():
            slots[name] = Slot(name, _anchor(self[name]), words)
        for n, sentence in enumerate(self.sentences, start=1):
            where = f"Sentence {n}"
            feedback = [move for move in self.moves if f"s{n}-feedback-{move.slug}" in self.fields]
            slots[f"s{n}"] = Slot(f"s{n}", f"sentence-{n}", where)
            slots[f"s{n}-label"] = Slot(f"s{n}-label", _anchor(self[f"s{n}-label"]), f"{where}, right label")
            first_also = self[f"s{n}-also-{self.moves[0].slug}"].id_for_label if self.moves else f"sentence-{n}"
            slots[f"s{n}-also"] = Slot(f"s{n}-also", first_also, f"{where}, labels also accepted")
            slots[f"s{n}-explanation"] = Slot(
                f"s{n}-explanation", self[f"s{n}-explanation"].id_for_label, f"{where}, explanation"
            )
            has_words = bool(WORD.search(sentence.get("text", "")))
            slots[f"s{n}-signals"] = Slot(
                f"s{n}-signals", f"id_s{n}-w0" if has_words else f"sentence-{n}", f"{where}, signal words"
            )
            first = self[f"s{n}-feedback-{feedback[0].slug}"].id_for_label if feedback else f"sentence-{n}"
            slots[f"s{n}-feedback"] = Slot(f"s{n}-feedback", first, f"{where}, feedback")
            for move in feedback:
                key = f"s{n}-feedback-{move.slug}"
                slots[key] = Slot(key, self[key].id_for_label, f"{where}, feedback if a student chooses {move.name}")
        self._slots = slots
        problem_list = []
        for path, messages in self.problems.items():
            slot = self._slot_for(path)
            slot.problems += messages
            problem_list += [Problem(slot, message) for message in messages]
        order = list(slots)
        problem_list.sort(key=lambda problem: order.index(problem.slot.key))
        self._describe_fields(slots)
        self._shown = {"slots": slots, "problems": problem_list, "rows": self._rows(slots)}
        return self._shown

    def _describe_fields(self, slots):
        """Each input's aria-describedby: its help, its error (malformed input), its problems (`check`)."""
        for name, bound in self._described_fields():
            slot = slots.get(_slot_key_of(name))
            ids = []
            if bound.help_text:
                ids.append(f"{bound.auto_id}_helptext")
            if bound.errors:
                ids.append(f"{bound.auto_id}_error")
            if slot is not None and slot.problems:
                ids.append(slot.problems_id)
            label_of = re.fullmatch(r"s(\d+)-label", name)
            if label_of and self.sentences[int(label_of.group(1)) - 1].get("suggestion"):
                ids.append(f"s{label_of.group(1)}-suggestion")  # the tagger's label and its reason
            attrs = bound.field.widget.attrs
            if ids:
                attrs["aria-describedby"] = " ".join(ids)
            if bound.errors or (slot is not None and slot.problems):
                attrs["aria-invalid"] = "true"

    def _described_fields(self):
        return [(name, self[name]) for name in self.fields if name != "digest"]

    def _rows(self, slots):
        rows = []
        for n, sentence in enumerate(self.sentences, start=1):
            text = sentence.get("text", "")
            spans, ticked = self._words(n, text)
            words = [Word(k, text[start:end], f"s{n}-w{k}", k in ticked) for k, (start, end) in enumerate(spans)]
            suggestion = sentence.get("suggestion")
            if suggestion:
                suggestion = {
                    "name": self.move_names.get(suggestion.get("label"), suggestion.get("label")),
                    "percent": round(100 * float(suggestion.get("confidence") or 0)),
                    "reason": suggestion.get("reason", ""),
                }
            feedback = [
                f"s{n}-feedback-{move.slug}" for move in self.moves if f"s{n}-feedback-{move.slug}" in self.fields
            ]
            rows.append(
                SentenceRow(
                    position=n,
                    text=text,
                    suggestion=suggestion,
                    label=FieldView(self[f"s{n}-label"], slots[f"s{n}-label"]),
                    confirmed=self[f"s{n}-confirmed"] if f"s{n}-confirmed" in self.fields else None,
                    also=[(move, self[f"s{n}-also-{move.slug}"]) for move in self.moves],
                    explanation=FieldView(self[f"s{n}-explanation"], slots[f"s{n}-explanation"]),
                    words=words,
                    signals=phrases(text, spans, ticked),
                    feedback=[FieldView(self[name], slots[name]) for name in feedback],
                    slots={
                        "sentence": slots[f"s{n}"],
                        "also": slots[f"s{n}-also"],
                        "signals": slots[f"s{n}-signals"],
                        "feedback": slots[f"s{n}-feedback"],
                    },
                )
            )
        return rows

    @property
    def rows(self):
        return self._build()["rows"]

    @property
    def slots(self):
        return self._build()["slots"]

    @property
    def problem_list(self):
        """Every problem `check` found, in the page's order, each with the slot it is shown in."""
        return self._build()["problems"]

    @property
    def header(self):
        """{name: FieldView} of the exercise's own fields (title, source, paper, difficulty...)."""
        slots = self.slots
        return {name: FieldView(self[name], slots[name]) for name in (*self.HEADER_FIELDS, "difficulty")}


def _anchor(bound):
    """The id a link to `bound` lands on: its input, or the first of its radio buttons."""
    return f"{bound.auto_id}_0" if isinstance(bound.field.widget, forms.RadioSelect) else bound.id_for_label


def _slot_key_of(field_name):
    """The slot a field's problems are in: "s3-also-problem" → "s3-also", "s3-feedback-about" stays."""
    match = re.fullmatch(r"(s\d+)-(label|confirmed|also|explanation|feedback)(?:-(.+))?", field_name)
    if match is None:
        return field_name
    sentence, key, label = match.groups()
    if key == "confirmed":
        return f"{sentence}-label"
    if key == "feedback":
        return f"{sentence}-feedback-{label}"
    return f"{sentence}-{key}"


def _words_of_signals(text, spans, signals):
    """The words to tick for `signals` (each found where it first occurs in `text`): every word it overlaps."""
    ticked = set()
    for signal in signals:
        start = text.find(signal) if isinstance(signal, str) and signal else -1
        if start < 0:
            continue
        end = start + len(signal)
        ticked |= {k for k, (a, b) in enumerate(spans) if a < end and b > start}
    return ticked


def phrases(text, spans, ticked):
    """The signals that the ticked words (indexes into `spans`) make: each run of adjacent ticked
    words is one phrase, the exact text from its first word to its last, so it always occurs in
    `text`. In the sentence's order, each once."""
    runs = []
    for k in sorted(ticked):
        if runs and runs[-1][1] == k - 1:
            runs[-1][1] = k
        else:
            runs.append([k, k])
    found = [text[spans[first][0] : spans[last][1]] for first, last in runs]
    return list(dict.fromkeys(found))


class CorrectSplitForm(forms.Form):
    """Join sentence `position` with the next, or split it where the words `at` begin."""

    action = forms.ChoiceField(choices=[(JOIN, "join"), (SPLIT, "split")])
    position = forms.IntegerField(min_value=1, max_value=MAX_SENTENCES * 10)
    digest = forms.CharField(max_length=64)
    at = PlainTextField(
        label="The second sentence begins with",
        max_length=SPLIT_AT_LENGTH,
        required=False,
        error_messages=_length_messages("The words where the second sentence begins"),
    )

    def __init__(self, draft, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.draft = draft

    def clean(self):
        cleaned = super().clean()
        for name in self.data:
            word = WORD_FIELD.fullmatch(name)
            if word and not self._is_a_word(int(word["sentence"]), int(word["word"])):
                raise ValidationError(
                    f"{name} is not a word of sentence {word['sentence']}: signal words are ticked from the "
                    "sentence's own words. Nothing was saved: reload the editor."
                )
        if cleaned.get("digest") and cleaned["digest"] != sentences_digest(self.draft):
            raise ValidationError(
                "The sentences of this exercise were joined or split after this page was opened. "
                "Nothing was changed: reload the editor and try again.",
                code=STALE,
            )
        if cleaned.get("action") == SPLIT and not cleaned.get("at") and "at" not in self.errors:
            self.add_error("at", "Type the words the second sentence begins with.")
        return cleaned


class PublishForm(forms.Form):
    regrade = forms.BooleanField(label="Also regrade earlier answers against the new right labels", required=False)


class ImportForm(forms.Form):
    """An exported exercise: a `.toml` file, or its text pasted."""

    file = forms.FileField(label="A .toml file", required=False)
    text = forms.CharField(
        label="Or paste the file's text",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
        max_length=IMPORT_MAX_BYTES,
        error_messages=_length_messages("The pasted text"),
    )

    def clean(self):
        cleaned = super().clean()
        upload, pasted = cleaned.get("file"), cleaned.get("text", "")
        if self.errors:
            return cleaned
        if upload and pasted.strip():
            raise ValidationError("Give the file or paste its text, not both.")
        if upload:
            if not upload.name.lower().endswith(".toml"):
                self.add_error("file", "Choose a .toml file (an exercise exported from this editor).")
            elif upload.size > IMPORT_MAX_BYTES:
                self.add_error("file", f"The file is {upload.size:,} bytes; the limit is {IMPORT_MAX_BYTES:,}.")
            else:
                try:
                    cleaned["toml"] = upload.read().decode("utf-8")
                except UnicodeDecodeError:
                    self.add_error("file", "The file is not UTF-8 text: export it again from the editor.")
        elif pasted.strip():
            cleaned["toml"] = pasted
        else:
            raise ValidationError("Choose a .toml file, or paste its text.")
        return cleaned
