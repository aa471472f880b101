"""Labels accepted for everyone stay data: `manage.py export_overrides` prints the exact edits to the
exercise files, and `load_guide` retires the overrides the files now say, in its one transaction.

Each test accepts labels on Lee et al.'s abstract (sentence 2 is "problem" and accepts nothing
else; sentence 5 is "importance" and accepts "about"), edits a copy of the guide's files, and loads it.
"""

import re
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import ProtectedError

from exercises import loader
from exercises.loader import load_guide
from exercises.models import AcceptedLabel, Exercise, Verdict
from exercises.overrides import pending_edits
from exercises.tests.guide_changes import copy_of_the_guide
from lessons.content_files import ContentErrors

pytestmark = pytest.mark.django_db

SLUG = "lee-2016-abstract"
FILE = f"fixtures/exercises/{SLUG}.toml"
NONE_PENDING = "No labels accepted for everyone are waiting: the files say all of them."


@pytest.fixture
def content(tmp_path):
    return copy_of_the_guide(tmp_path)


def accept(position, label_slug, slug=SLUG):
    sentence = Exercise.objects.get(slug=slug).sentences.get(position=position)
    label = sentence.exercise.label_set.moves.get(slug=label_slug)
    accepted = AcceptedLabel.objects.create(sentence=sentence, label=label)
    sentence.exercise.renew_guide_version()  # as accepting for everyone does: the cached content is stale
    return accepted


def export(root=None):
    out = StringIO()
    call_command("export_overrides", fixtures=str(root or settings.FIXTURES_DIR), stdout=out)
    return out.getvalue()


def load(root):
    out = StringIO()
    call_command("load_guide", fixtures=str(root), stdout=out)
    return out.getvalue()


def also_accepted_line(path, position):
    """(line number, line) of the `also_accepted` of the file's sentence `position`, found independently."""
    lines = path.read_text().splitlines()
    found = [(number, line) for number, line in enumerate(lines, start=1) if line.startswith("also_accepted =")]
    return found[position - 1]


def apply_printed_edits(output, root, positions=None):
    """Make the edits `export_overrides` printed (of the sentences at `positions`, else all) to the
    files below `root`, as an editor would."""
    for block in output.split("\n--- ")[1:]:
        path = root.parent / block.splitlines()[0]
        lines = path.read_text().splitlines()
        for number, position, body in re.findall(r"(?m)^@@ line (\d+), sentence (\d+):.*@@\n((?:[-+ ].*\n?)*)", block):
            if positions is not None and int(position) not in positions:
                continue
            start, body = int(number) - 1, body.splitlines()
            context = [line[1:] for line in body if line.startswith(" ")]
            removed = [line[1:] for line in body if line.startswith("-")]
            added = [line[1:] for line in body if line.startswith("+")]
            assert lines[start : start + len(context) + len(removed)] == context + removed
            lines[start + len(context) : start + len(context) + len(removed)] = added
        path.write_text("\n".join(lines) + "\n")


def verdict(label_slug, position):
    exercise = Exercise.objects.get(slug=SLUG)
    labels = {label.slug: label for label in exercise.label_set.moves.all()}
    choices = {sentence.pk: sentence.label for sentence in exercise.page_content().sentences}
    sentence = exercise.sentences.get(position=position)
    choices[sentence.pk] = labels[label_slug]
    return next(result.verdict for result in exercise.grade(choices).results if result.sentence.pk == sentence.pk)


def test_export_prints_the_exact_before_and_after_line_of_a_sentence_with_an_override():
    accept(5, "lead-in")
    number, line = also_accepted_line(settings.FIXTURES_DIR / f"exercises/{SLUG}.toml", 5)
    assert line == 'also_accepted = ["about"]'
    output = export()
    assert f"--- {FILE}\n+++ {FILE}\n" in output
    assert (
        f'@@ line {number}, sentence 5: "Thus, compared with previous methods relying on indirect ..." '
        "(accept lead-in) @@\n"
        f"-{line}\n"
        '+also_accepted = ["about", "lead-in"]\n'
    ) in output


def test_export_appends_every_label_accepted_for_a_sentence_after_the_files_own():
    accept(2, "importance")
    accept(2, "about")
    output = export()
    assert '-also_accepted = []\n+also_accepted = ["about", "importance"]' in output  # in the label set's order
    assert "2 labels accepted for everyone not in the files yet" in output


def test_export_with_nothing_pending_prints_the_none_line():
    assert export() == NONE_PENDING + "\n"


def test_pending_edits_are_data_for_the_command():
    accept(2, "about")
    pending = pending_edits(settings.FIXTURES_DIR)
    [edits] = pending.files
    [edit] = edits.sentences
    assert (edits.exercise, edits.path) == (SLUG, FILE)
    assert (edit.position, edit.accepted, edit.before, edit.after) == (
        2,
        ("about",),
        ("also_accepted = []",),
        ('also_accepted = ["about"]',),
    )
    assert edit.opening == "However, training such networks is difficult due to ..."
    assert not pending.settled and not pending.unreadable


def test_export_finds_a_file_by_its_slug_not_its_name(content):
    accept(2, "about")
    (content / f"exercises/{SLUG}.toml").rename(content / "exercises/renamed.toml")
    assert "--- fixtures/exercises/renamed.toml" in export(content)


def test_export_says_when_no_file_has_the_exercises_slug(content):
    accept(2, "about")
    path = content / f"exercises/{SLUG}.toml"
    path.write_text(path.read_text().replace(f'slug = "{SLUG}"', 'slug = "someone-else"', 1))
    output = export(content)
    assert f"exercise {SLUG}: no file in exercises/ has slug = '{SLUG}'" in output
    assert '@@ sentence 2: "However, training such networks is difficult due to ..." (accept about) @@' in output


def test_export_adds_the_line_to_a_sentence_that_has_none(content):
    accept(2, "about")
    path = content / f"exercises/{SLUG}.toml"
    number, line = also_accepted_line(path, 2)
    lines = path.read_text().splitlines()
    del lines[number - 1]
    path.write_text("\n".join(lines) + "\n")
    assert ' label = "problem"\n+also_accepted = ["about"]' in export(content)
    apply_printed_edits(export(content), content)
    assert also_accepted_line(path, 2) == (number, 'also_accepted = ["about"]')


def test_export_asks_to_delete_the_wrong_label_note_of_a_label_now_accepted():
    accept(3, "importance")  # sentence 3 has a note for "importance"
    assert "also delete its note `importance = ...` under [sentences.feedback]" in export()


def test_export_lists_labels_the_files_say_already_for_the_next_load(content):
    accept(2, "about")
    apply_printed_edits(export(content), content)
    output = export(content)
    assert "--- " not in output
    assert f"In the files already (the next `manage.py load_guide` retires them): {SLUG} sentence 2 (about)" in output


def test_load_retires_the_override_once_the_printed_edit_is_made_and_the_label_stays_accepted(content):
    accept(5, "lead-in")
    accept(2, "about")
    assert verdict("lead-in", 5) == Verdict.ACCEPTED  # from the override, and now cached
    apply_printed_edits(export(content), content)

    output = load(content)

    assert f"Retired 2 overrides now in the files: {SLUG} sentence 2 (about), {SLUG} sentence 5 (lead-in).\n" in output
    assert "not in the files yet" not in output
    assert not AcceptedLabel.objects.exists()
    assert Exercise.objects.get(slug=SLUG).sentences.get(position=5).also_accepted == ["about", "lead-in"]
    assert verdict("lead-in", 5) == Verdict.ACCEPTED  # from the file
    assert export(content) == NONE_PENDING + "\n"


def test_load_retires_an_override_whose_label_the_files_make_the_right_one(content):
    accept(2, "about")
    path = content / f"exercises/{SLUG}.toml"
    path.write_text(path.read_text().replace('label = "problem"', 'label = "about"', 1))
    assert f"Retired 1 override now in the files: {SLUG} sentence 2 (about)." in load(content)
    assert verdict("about", 2) == Verdict.RIGHT


def test_an_override_the_files_do_not_say_survives_a_reload_and_is_reported_as_remaining(content):
    kept = accept(2, "about")
    accept(5, "lead-in")
    apply_printed_edits(export(content), content, positions={5})

    output = load(content)

    assert f"Retired 1 override now in the files: {SLUG} sentence 5 (lead-in)." in output
    assert (
        "1 label accepted for everyone not in the files yet: `manage.py export_overrides` prints the edits." in output
    )
    assert list(AcceptedLabel.objects.all()) == [kept]
    assert verdict("about", 2) == Verdict.ACCEPTED
    assert "sentence 2" in export(content) and "sentence 5" not in export(content)


def test_a_load_refused_for_an_error_in_the_files_writes_nothing_and_keeps_the_overrides(content):
    accept(5, "lead-in")
    apply_printed_edits(export(content), content)
    path = content / "exercises/lee-2016-wta.toml"
    path.write_text(re.sub(r'(?m)^label = "\S+"', 'label = "not-a-label"', path.read_text(), count=1))
    with pytest.raises(ContentErrors, match="unknown label 'not-a-label'"):
        load_guide(content)
    assert AcceptedLabel.objects.count() == 1
    assert Exercise.objects.get(slug=SLUG).sentences.get(position=5).also_accepted == ["about"]


def test_the_retirement_is_undone_with_the_load_it_belongs_to(content, monkeypatch):
    accept(5, "lead-in")
    apply_printed_edits(export(content), content)
    retire = loader.retire_overrides

    def retire_then_fail(before):
        retire(before)
        raise ProtectedError("a later write failed", set())

    monkeypatch.setattr(loader, "retire_overrides", retire_then_fail)
    with pytest.raises(ContentErrors):
        load_guide(content)
    assert AcceptedLabel.objects.count() == 1
    assert Exercise.objects.get(slug=SLUG).sentences.get(position=5).also_accepted == ["about"]


def test_a_sentence_gone_from_the_files_takes_its_override_and_the_load_says_so(content):
    accept(6, "about")
    path = content / f"exercises/{SLUG}.toml"
    head, _, _last = path.read_text().rpartition("\n[[sentences]]\n")
    path.write_text(head + "\n")
    output = load(content)
    assert f"Deleted 1 override with their sentence, gone from the files: {SLUG} sentence 6 (about)." in output
    assert not AcceptedLabel.objects.exists()


def test_a_load_says_which_kept_overrides_sit_on_a_sentence_whose_text_changed(content):
    accept(2, "about")
    path = content / f"exercises/{SLUG}.toml"
    path.write_text(path.read_text().replace("training such networks is difficult", "training them is difficult", 1))
    output = load(content)
    assert (
        f"Kept 1 override on a sentence whose text the files changed (check each still fits): {SLUG} sentence 2"
        in output
    )
    assert AcceptedLabel.objects.count() == 1


def test_a_load_with_no_overrides_says_nothing_of_them():
    output = load(settings.FIXTURES_DIR)
    assert output.startswith("Loaded the guide:") and output.count("\n") == 1
