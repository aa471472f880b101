from django import forms
from django.contrib.auth import get_user_model


class CourseForm(forms.Form):
    title = forms.CharField(max_length=200, label="Course title")


class JoinForm(forms.Form):
    code = forms.CharField(max_length=40, label="Join code", help_text="The code your instructor gave you.")


class InstructorForm(forms.Form):
    username = forms.CharField(max_length=150, label="Username of the co-instructor")

    def clean_username(self):
        username = self.cleaned_data["username"]
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise forms.ValidationError(f"There is no user called {username!r}.")
        return user


class AssignmentsForm(forms.Form):
    """One checkbox and one optional due date per exercise."""

    def __init__(self, exercises, assigned, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.exercises = exercises
        for exercise in exercises:
            current = assigned.get(exercise.pk)
            self.fields[f"assign-{exercise.pk}"] = forms.BooleanField(
                required=False, label=exercise.title, initial=current is not None
            )
            self.fields[f"due-{exercise.pk}"] = forms.DateField(
                required=False,
                label=f"Due date for {exercise.title}",
                initial=current.due if current else None,
                widget=forms.DateInput(attrs={"type": "date"}),
            )

    def clean(self):
        # The page sends its own fields and nothing else: an empty post or another exercise's id
        # would otherwise read as "untick everything" and delete the course's assignments.
        sent = set(self.data) - {"csrfmiddlewaretoken"}
        if not sent or not sent <= set(self.fields):
            raise forms.ValidationError(
                "This is not the assignments form of this course; reload the page and try again."
            )
        return super().clean()

    def rows(self):
        return [(e, self[f"assign-{e.pk}"], self[f"due-{e.pk}"]) for e in self.exercises]

    def chosen(self):
        """{exercise: due date or None} for the ticked exercises."""
        return {e: self.cleaned_data[f"due-{e.pk}"] for e in self.exercises if self.cleaned_data[f"assign-{e.pk}"]}
