"""A part's purpose and a move's description are rendered at load time, like every other text."""

from django.db import migrations
from django.utils.html import escape


def render_stored(apps, schema_editor):
    from lessons.markdown import RenderError, render_inline

    def rendered(text):
        try:
            return render_inline(text)
        except RenderError:  # plain until the guide is loaded again
            return escape(text)

    for part in apps.get_model("lessons", "Part").objects.all():
        part.purpose_html = rendered(part.purpose_html)
        part.save(update_fields=["purpose_html"])
    for move in apps.get_model("lessons", "Move").objects.all():
        move.description_html = rendered(move.description_html)
        move.save(update_fields=["description_html"])


class Migration(migrations.Migration):
    dependencies = [
        ("lessons", "0002_guide_version"),
    ]

    operations = [
        migrations.RenameField(model_name="part", old_name="purpose", new_name="purpose_html"),
        migrations.RenameField(model_name="move", old_name="description", new_name="description_html"),
        migrations.RunPython(render_stored, migrations.RunPython.noop, elidable=True),
    ]
