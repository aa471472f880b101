"""Sentences and the notes for wrong labels are rendered at load time, like every other text.

The new fields are filled from the stored source here, so pages are right between `migrate` and
the next `load_guide` (which renders them again from the files).
"""

from django.db import migrations, models
from django.utils.html import escape


def render_stored(apps, schema_editor):
    from lessons.markdown import RenderError, render_inline

    Sentence = apps.get_model("exercises", "Sentence")
    for sentence in Sentence.objects.all():
        try:
            sentence.text_html = render_inline(sentence.text)
            sentence.highlighted_html = render_inline(sentence.text, sentence.signals)
            sentence.feedback_html = {name: render_inline(note) for name, note in sentence.feedback.items()}
        except RenderError:  # shown as plain text until the guide is loaded again
            sentence.text_html = sentence.highlighted_html = escape(sentence.text)
            sentence.feedback_html = {name: escape(note) for name, note in sentence.feedback.items()}
        sentence.save(update_fields=["text_html", "highlighted_html", "feedback_html"])


class Migration(migrations.Migration):
    dependencies = [
        ("exercises", "0002_sentence_segments_computed"),
    ]

    operations = [
        migrations.AddField(
            model_name="sentence",
            name="text_html",
            field=models.TextField(default=""),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="sentence",
            name="highlighted_html",
            field=models.TextField(default=""),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="sentence",
            name="feedback_html",
            field=models.JSONField(default=dict, help_text="Label slug: rendered note for choosing that wrong label"),
        ),
        migrations.RunPython(render_stored, migrations.RunPython.noop, elidable=True),
        migrations.RemoveField(
            model_name="sentence",
            name="feedback",
        ),
    ]
