"""The answer form of an exercise (one required label per sentence, checked strictly) and the account forms.

Besides Django's own checks (a missing sentence, an unknown label) it refuses what a plain form
would silently accept: a sentence of another exercise or no number at all, and a form opened
before the exercise's sentences changed. A field sent twice never reaches it: the project's
`MalformedRequestMiddleware` refuses that for every form of the site.
"""

import re

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm, UserCreationForm

from exercises.models import REASON_MAX_LENGTH, Objection, ObjectionRefused

SENTENCE_FIELD = re.compile(r"^sentence-(.*)$")


class AnswerForm(forms.Form):
    version = forms.CharField(
        widget=forms.HiddenInput,
        error_messages={"required": "The form is missing its version field; reload the exercise and try again."},
    )

    def __init__(self, exercise, *args, **kwargs):
        super().__init__(*args, **kwargs)
        content = exercise.page_content()
        self.exercise = exercise
        self.sentences = content.sentences
        self.labels = {label.slug: label for label in content.labels}
        self.fields["version"].initial = exercise.version
        self.fields.update(_sentence_fields(exercise.pk, content))

    def clean(self):
        cleaned = super().clean()
        if self.data:
            own = {sentence.field_name for sentence in self.sentences}
            for key in self.data:
                match = SENTENCE_FIELD.match(key)
                if match and key not in own:
                    if not match.group(1).isdigit():
                        raise forms.ValidationError(f"{key} does not name a sentence by its number.")
                    raise forms.ValidationError(f"{key} is not a sentence of this exercise.")
        if "version" in cleaned and cleaned["version"] != self.exercise.version:
            raise forms.ValidationError(
                "This exercise changed after you opened it. Your choices are kept below; check them and submit again."
            )
        return cleaned

    def choices_by_sentence(self):
        """{sentence id: Move} for a valid form."""
        return {s.pk: self.labels[self.cleaned_data[s.field_name]] for s in self.sentences}

    def rows(self):
        """(sentence, bound field) pairs for the template."""
        return [(sentence, self[sentence.field_name]) for sentence in self.sentences]


# An exercise's sentence fields, made once per page content (a load or an edit makes new content):
# building them took a tenth of a submit (bench/README.md). Forms share them as Django's forms share
# their declared fields' originals: nothing here changes a field after it is made, and each form's
# values and errors are its own.
_SENTENCE_FIELDS = {}  # exercise id: (its page content, {field name: field})


def _sentence_fields(exercise_id, content):
    kept = _SENTENCE_FIELDS.get(exercise_id)
    if kept is not None and kept[0] is content:
        return kept[1]
    choices = [(label.slug, label.name) for label in content.labels]
    fields = {
        sentence.field_name: forms.ChoiceField(
            choices=choices,
            widget=forms.RadioSelect,
            label=f"Sentence {sentence.position}",
            error_messages={
                "required": f"Choose a label for sentence {sentence.position}.",
                "invalid_choice": f"Sentence {sentence.position}: %(value)s is not one of this exercise's labels.",
            },
        )
        for sentence in content.sentences
    }
    _SENTENCE_FIELDS[exercise_id] = (content, fields)
    return fields


class FreshAnswerForm:
    """An exercise's answer form as first shown: unbound, no errors, and built only if its sentences are
    rendered (they are a cached fragment: most pages never build it)."""

    is_bound = False
    errors = None

    def __init__(self, exercise):
        self.exercise = exercise

    def rows(self):
        return AnswerForm(self.exercise).rows()


class ObjectionForm(forms.Form):
    """ "I think my label fits": the learner's reason, plain text (shown escaped, never as HTML)."""

    reason = forms.CharField(
        max_length=REASON_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Why your label fits",
        error_messages={
            "required": "Write why your label fits: your instructors or the editors read it before deciding.",
            "max_length": "Keep your reason to %(limit_value)d characters (it has %(show_value)d).",
        },
    )

    def __init__(self, answer, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.answer = answer

    def save(self):
        """The new objection; a refusal (not wrong, one open already) becomes this form's error."""
        try:
            return Objection.objects.raise_for(self.answer, self.cleaned_data["reason"])
        except ObjectionRefused as refused:
            self.add_error(None, str(refused))
            return None


USERNAME_HELP = "Up to 150 letters, digits and the signs @ . + - _ (no spaces). Your instructors see it."
EMAIL_HELP = "Optional. We use it only to send you a link if you forget your password."
PASSWORD_HELP = "At least 8 characters: not a common password, not only digits, not like your username or email."  # noqa: S105


class SignupForm(UserCreationForm):
    """A username, an optional email (for password resets) and a password, with help in our words."""

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ["username", "email"]
        help_texts = {"username": USERNAME_HELP, "email": EMAIL_HELP}
        labels = {"email": "Email"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = PASSWORD_HELP
        self.fields["password2"].label = "The same password again"
        self.fields["password2"].help_text = "To catch a typo."


class EmailForm(forms.ModelForm):
    """The account page's form: change or remove the email that password resets go to."""

    class Meta:
        model = get_user_model()
        fields = ["email"]
        labels = {"email": "Email"}
        help_texts = {"email": "Leave it empty to have no email; then a forgotten password cannot be reset."}


class NewPasswordForm(SetPasswordForm):
    """Choosing a new password from a reset link, with help in our words."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = PASSWORD_HELP
        self.fields["new_password2"].label = "The same password again"


class ChangePasswordForm(NewPasswordForm, PasswordChangeForm):
    """Changing one's password (the old one first), with the same help as choosing one."""
