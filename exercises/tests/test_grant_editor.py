"""`manage.py grant_editor`: the site's content editors are made (and unmade) from the command line.
Editors hold every permission of `settings.EDITOR_PERMISSIONS`: deciding self-study objections and
moderating questions and answers."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db

PERMISSION = "exercises.decide_objections"
MODERATE = "questions.moderate_posts"
DECIDE_LINE = "decide learners' objections outside courses, for everyone (exercises.decide_objections)"
MODERATE_LINE = "hide and restore any question or answer, and review held posts (questions.moderate_posts)"


def grant(*args):
    out = StringIO()
    call_command("grant_editor", *args, stdout=out)
    return out.getvalue()


def fresh(user):
    """The account read again: a user object caches its permissions."""
    return get_user_model().objects.get(pk=user.pk)


def test_it_makes_an_account_an_editor_who_decides_objections_and_moderates_posts(student):
    assert not student.has_perm(PERMISSION)
    assert grant("student") == f"student can now {DECIDE_LINE}.\nstudent can now {MODERATE_LINE}.\n"
    assert fresh(student).has_perm(PERMISSION)
    assert fresh(student).has_perm(MODERATE)


def test_granting_twice_is_harmless_and_says_so(student):
    grant("student")
    assert "student could already decide learners' objections" in grant("student")
    assert fresh(student).has_perm(PERMISSION)


def test_granting_gives_what_is_missing_when_the_account_has_part_of_it(student):
    student.user_permissions.add(Permission.objects.get(codename="moderate_posts"))
    out = grant("student")
    assert f"student can now {DECIDE_LINE}." in out
    assert f"student could already {MODERATE_LINE}: nothing changed." in out
    assert fresh(student).has_perm(PERMISSION) and fresh(student).has_perm(MODERATE)


def test_revoke_takes_it_all_away(student):
    grant("student")
    out = grant("student", "--revoke")
    assert out == f"student can no longer {DECIDE_LINE}.\nstudent can no longer {MODERATE_LINE}.\n"
    assert not fresh(student).has_perm(PERMISSION)
    assert not fresh(student).has_perm(MODERATE)


def test_revoking_from_a_non_editor_changes_nothing_and_says_so(student):
    assert "student could not decide learners' objections" in grant("student", "--revoke")
    assert not fresh(student).has_perm(PERMISSION)


def test_revoking_warns_when_a_group_still_grants_it(student):
    group = Group.objects.create(name="editors")
    group.permissions.add(Permission.objects.get(codename="decide_objections"))
    student.groups.add(group)
    out = grant("student", "--revoke")
    assert "still has exercises.decide_objections, as a superuser or through a group" in out
    assert "still has questions.moderate_posts" not in out


def test_it_grants_what_the_settings_name_and_skips_apps_not_installed(student, settings):
    settings.EDITOR_PERMISSIONS = ["questions.moderate_posts", "forum.moderate"]
    assert grant("student") == f"student can now {MODERATE_LINE}.\n"
    assert fresh(student).has_perm(MODERATE)
    assert not fresh(student).has_perm(PERMISSION)


def test_a_permission_not_migrated_yet_is_a_clear_error_and_changes_nothing(student, settings):
    settings.EDITOR_PERMISSIONS = ["exercises.decide_objections", "questions.no_such_right"]
    with pytest.raises(CommandError, match=r"questions\.no_such_right does not exist yet: run `migrate` first"):
        grant("student")
    assert not fresh(student).user_permissions.exists()


@pytest.mark.parametrize("args", [("nobody",), ("nobody", "--revoke"), ("STUDENT",)])
def test_an_unknown_username_is_a_clear_error_and_changes_nothing(student, args):
    with pytest.raises(CommandError, match=r"No account is called '\w+'\. Check the spelling"):
        grant(*args)
    assert not fresh(student).user_permissions.exists()


def test_it_needs_a_username():
    with pytest.raises(CommandError, match="username"):
        grant()
