"""The forms of questions and answers: a question (title, body, audience), an answer, and the search.

Titles are plain text, always shown escaped; bodies are the small Markdown subset that
`Post.set_body` renders through the one sanitiser. Both lose their invisible control characters
(NUL is refused by Django's own check first, with a message); the length limits are the models'.
"""

import re
import unicodedata

from django import forms

from questions.models import BODY_MAX_LENGTH, TITLE_MAX_LENGTH

SEARCH_MAX_LENGTH = 200
EVERYONE = ""
BODY_HELP = (
    f"Up to {BODY_MAX_LENGTH:,} characters. You can write *emphasis*, `code`, lists, links as [text](https://…) "
    "and maths as $x^2$; no images or HTML."
)

# Bidirectional embeddings, overrides and isolates: invisible, and they can make text read as it is not.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def _without_controls(value, keep="\n\t"):
    """`value` with Windows and old Mac line ends as "\\n", and no other control characters."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = "".join(char for char in value if char in keep or unicodedata.category(char) != "Cc")
    return unicodedata.normalize("NFC", _BIDI_CONTROLS.sub("", value)).strip()


def _too_long(what):
    return f"Keep the {what} to %(limit_value)d characters (it has %(show_value)d). Nothing was saved."


class _PostText(forms.CharField):
    """Text without invisible controls (`keep` the control characters allowed); nothing left is "required"."""

    keep = ""

    def clean(self, value):
        value = _without_controls(super().clean(value), keep=self.keep)
        if not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return value


class TitleField(_PostText):
    def __init__(self, **kwargs):
        messages = {"required": "Give your question a title: one line that says what you ask.",
                    "max_length": _too_long("title")}  # fmt: skip
        super().__init__(max_length=TITLE_MAX_LENGTH, error_messages=messages, label="Your question in one line",
                         widget=forms.TextInput(attrs={"autocomplete": "off"}), **kwargs)  # fmt: skip


class BodyField(_PostText):
    keep = "\n\t"  # Markdown's paragraphs, lists and code blocks

    def __init__(self, what, **kwargs):
        messages = {"required": f"Write your {what} first: the box was empty.", "max_length": _too_long(what)}
        super().__init__(max_length=BODY_MAX_LENGTH, error_messages=messages, help_text=BODY_HELP,
                         widget=forms.Textarea(attrs={"rows": 6}), **kwargs)  # fmt: skip


class QuestionForm(forms.Form):
    """A new question, or a question edited (no audience then: it stays where it was asked)."""

    title = TitleField()
    body = BodyField("question", label="Details")
    audience = forms.ChoiceField(
        label="Ask",
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "You can ask everyone, or a course you are in. Nothing was saved."},
    )

    def __init__(self, *args, courses=None, **kwargs):
        """`courses`: the asker's courses, each a possible audience besides everyone. None when editing:
        a question stays with the audience it was asked to."""
        super().__init__(*args, **kwargs)
        if courses is None:
            del self.fields["audience"]
            return
        self.courses = {course.slug: course for course in courses}
        choices = [(slug, f"Your course {course.title}: only its members and instructors see it")
                   for slug, course in self.courses.items()]  # fmt: skip
        self.fields["audience"].choices = [(EVERYONE, "Everyone: every reader of the guide sees it"), *choices]
        self.fields["audience"].initial = EVERYONE
        if not self.courses:
            # Nothing to choose, but a course sent anyway is still refused, not asked to everyone.
            self.fields["audience"].widget = forms.HiddenInput()

    def course(self):
        """The course asked (None: everyone) of a valid new question."""
        return self.courses.get(self.cleaned_data["audience"])


class AnswerForm(forms.Form):
    body = BodyField("answer", label="Your answer")
    as_instructor = forms.BooleanField(required=False, initial=True, label="Answer as instructor of the course")

    def __init__(self, *args, teaches=False, **kwargs):
        """`teaches`: the user teaches the question's course, and may answer as its instructor."""
        super().__init__(*args, **kwargs)
        if not teaches:
            del self.fields["as_instructor"]

    def answers_as_instructor(self):
        return self.cleaned_data.get("as_instructor", False)


class SearchForm(forms.Form):
    """`?q=` words to find in titles and bodies, `?course=` one of the reader's courses."""

    q = forms.CharField(required=False, max_length=SEARCH_MAX_LENGTH, label="Search the questions",
                        error_messages={"max_length": "Search for at most %(limit_value)d characters."})  # fmt: skip
    course = forms.SlugField(required=False, max_length=50, error_messages={"invalid": "That is not a course."})

    def clean_q(self):
        return _without_controls(self.cleaned_data["q"], keep="")
