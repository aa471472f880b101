from dataclasses import dataclass

from django import forms
from django.contrib.auth.forms import UsernameField
from django.utils import timezone

from courses.analytics import ATTEMPT_CHOICES
from courses.models import default_time_zone, due_time, time_zone_names
from exercises.models import REASON_MAX_LENGTH


def time_zone_field(initial):
    return forms.ChoiceField(
        choices=[(name, name) for name in time_zone_names()],
        required=False,
        initial=initial,
        label="Time zone for due times",
        help_text="Due times are set and shown in this zone, wherever your students are.",
        error_messages={"invalid_choice": "%(value)s is not a time zone name such as Europe/London."},
    )


class CourseForm(forms.Form):
    title = forms.CharField(max_length=200, label="Course title")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"] = time_zone_field(default_time_zone())

    def clean_time_zone(self):
        return self.cleaned_data["time_zone"] or default_time_zone()


class JoinForm(forms.Form):
    code = forms.CharField(max_length=40, label="Join code", help_text="The code your instructor gave you.")


class InstructorForm(forms.Form):
    """Whom to invite to teach the course. It never looks the name up: the answer must be the same
    whether or not such an account exists (see Course.invite)."""

    # As the log-in form reads a name: whitespace stripped, Unicode normalised (NFKC).
    username = UsernameField(
        max_length=150,
        label="Username of the co-instructor",
        help_text="They become an instructor only when they accept, on their Courses page.",
    )

    def __init__(self, *args, inviter=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.inviter = inviter

    def clean_username(self):
        username = self.cleaned_data["username"]
        if self.inviter is not None and username.casefold() == self.inviter.get_username().casefold():
            raise forms.ValidationError("That is your own username: you teach this course already.")
        return username


# Buttons and fields the assignments page sends besides one field per exercise.
SELECT, CONFIRM = "select", "confirm"


@dataclass(frozen=True)
class ExerciseGroup:
    """How the assignments page names one kind of exercise."""

    slug: str
    title: str
    about: str


# Each exercise goes in one group (`group_of`), shown in this order.
EXERCISE_GROUPS = [
    ExerciseGroup(
        "own",
        "This course's exercises",
        "Exercises written for this course by its instructors, as last published: publishing a new revision "
        "keeps its assignment and due time.",
    ),
    ExerciseGroup(
        "exemplar",
        "Guided (exemplar)",
        "Passages the lessons show annotated: students have seen the moves explained. New courses assign these.",
    ),
    ExerciseGroup(
        "unseen",
        "Unseen passages",
        "Passages from the exercise bank that no lesson shows, for practice on text students have not seen "
        "labelled. Difficulty runs from 1 (clear signals) to 3.",
    ),
]


def group_of(exercise):
    """The slug of the `EXERCISE_GROUPS` entry an exercise is listed under."""
    if not exercise.listed:
        return "own"
    return "exemplar" if exercise.exemplar else "unseen"


class AssignmentsForm(forms.Form):
    """One checkbox, one optional due date and time per exercise, and the course's time zone."""

    def __init__(self, course, exercises, assigned, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.course, self.exercises, self.assigned = course, exercises, assigned
        self.fields["time_zone"] = time_zone_field(course.time_zone)
        for exercise in exercises:
            current = assigned.get(exercise.pk)
            due = current.due.astimezone(course.zone) if current and current.due else None
            self.fields[f"assign-{exercise.pk}"] = forms.BooleanField(
                required=False, label=exercise.title, initial=current is not None
            )
            self.fields[f"due-{exercise.pk}"] = forms.DateField(
                required=False,
                label=f"Due date for {exercise.title}",
                initial=due.date() if due else None,
                # A date input reads only ISO dates: a localised value (01/03/2027) would show as empty.
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            )
            self.fields[f"due-time-{exercise.pk}"] = forms.TimeField(
                required=False,
                label=f"Due time for {exercise.title}",
                initial=due.time() if due else None,
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            )

    def clean(self):
        # The page sends its own fields and nothing else: an empty post or another exercise's id
        # would otherwise read as "untick everything" and delete the course's assignments.
        sent = set(self.data) - {"csrfmiddlewaretoken", SELECT, CONFIRM}
        if not sent or not sent <= set(self.fields):
            raise forms.ValidationError(
                "This is not the assignments form of this course; reload the page and try again."
            )
        cleaned = super().clean()
        for exercise in self.exercises:
            if cleaned.get(f"due-time-{exercise.pk}") and not cleaned.get(f"due-{exercise.pk}"):
                self.add_error(f"due-time-{exercise.pk}", "Give the date this time is on, or clear the time.")
        return cleaned

    @staticmethod
    def ticked(data, exercises, tick):
        """A copy of the posted `data` with every exercise ticked (or none), the rest as sent."""
        data = data.copy()
        data.pop(SELECT, None)
        for exercise in exercises:
            if tick:
                data[f"assign-{exercise.pk}"] = "on"
            else:
                data.pop(f"assign-{exercise.pk}", None)
        return data

    def rows(self):
        return [(e, self[f"assign-{e.pk}"], self[f"due-{e.pk}"], self[f"due-time-{e.pk}"]) for e in self.exercises]

    def groups(self):
        """The rows as the page lists them: (group, rows) for the course's own exercises, the guided
        exercises on passages the lessons annotate, then the bank's unseen passages; an empty group is
        left out."""
        rows = self.rows()
        groups = [(group, [row for row in rows if group_of(row[0]) == group.slug]) for group in EXERCISE_GROUPS]
        return [(group, group_rows) for group, group_rows in groups if group_rows]

    @property
    def time_zone(self):
        return self.cleaned_data.get("time_zone") or self.course.time_zone

    def chosen(self):
        """{exercise: aware due time or None} for the ticked exercises; a date alone means 23:59 that
        day, both read in the chosen time zone."""
        chosen = {}
        for e in self.exercises:
            if self.cleaned_data[f"assign-{e.pk}"]:
                day, at = self.cleaned_data[f"due-{e.pk}"], self.cleaned_data[f"due-time-{e.pk}"]
                chosen[e] = due_time(day, at, self.time_zone) if day else None
        return chosen

    def removed(self):
        """The exercises assigned now that this form would take away from the course."""
        return [e for e in self.exercises if e.pk in self.assigned and not self.cleaned_data[f"assign-{e.pk}"]]

    def newly_past_due(self, now=None):
        """Ticked exercises given a due time that has already passed, where that time is new."""
        now = now or timezone.now()
        return [
            e
            for e, due in self.chosen().items()
            if due is not None and due < now and (e.pk not in self.assigned or self.assigned[e.pk].due != due)
        ]


class AnalyticsForm(forms.Form):
    """Which attempts the per-exercise analytics read (a plain GET form)."""

    DEFAULT = "first"
    attempts = forms.ChoiceField(
        choices=ATTEMPT_CHOICES,
        required=False,
        label="Count",
        error_messages={"invalid_choice": "Choose first, best or all attempts; %(value)s is not one of them."},
    )

    def clean_attempts(self):
        return self.cleaned_data["attempts"] or self.DEFAULT


class OwnAnalyticsForm(AnalyticsForm):
    """Which attempts, and which revision of a course's own exercise, the analytics read: the current
    revision unless another is asked for (`revisions`: the exercise's, newest first)."""

    revision = forms.TypedChoiceField(
        coerce=int,
        empty_value=None,
        required=False,
        label="Revision",
        error_messages={"invalid_choice": "This exercise has no revision %(value)s; showing the current one."},
    )

    def __init__(self, revisions, current, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.revisions, self.current = {r.number: r for r in revisions}, current
        self.fields["revision"].choices = [(r.number, f"Revision {r.number}") for r in revisions]

    def choice(self):
        """(which attempts, which `ExerciseRevision`): as asked where valid, else the defaults (first
        attempts, the current revision)."""
        self.is_valid()
        which = self.cleaned_data.get("attempts") or self.DEFAULT
        return which, self.revisions.get(self.cleaned_data.get("revision"), self.current)


# What a reviewer may do with an objection: the buttons of the course's queue and of the editors'.
ACCEPT, ACCEPT_FOR_EVERYONE, REJECT = "accept", "accept-everyone", "reject"


class DecisionForm(forms.Form):
    """A reviewer's decision on one objection, and the reply the learner reads (plain text, shown
    escaped). `decisions`: the (value, button label) pairs this queue offers."""

    decision = forms.ChoiceField(error_messages={
        "required": "Choose a decision: accept or reject.",
        "invalid_choice": "%(value)s is not a decision this queue offers: accept or reject.",
    })  # fmt: skip
    reply = forms.CharField(
        max_length=REASON_MAX_LENGTH,
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Reply to the learner",
        help_text="Needed to reject: say why the label does not fit. Optional when you accept.",
        error_messages={"max_length": "Keep your reply to %(limit_value)d characters (it has %(show_value)d)."},
    )

    def __init__(self, decisions, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = decisions

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == REJECT and not cleaned.get("reply") and "reply" not in self.errors:
            self.add_error("reply", "Write a reply to reject: the learner reads why their label does not fit.")
        return cleaned
