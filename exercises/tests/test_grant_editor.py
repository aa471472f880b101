"""`manage.py grant_editor`: the site's content editors are made (and unmade) from the command line."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db

PERMISSION = "exercises.decide_objections"


def grant(*args):
    out = StringIO()
    call_command("grant_editor", *args, stdout=out)
    return out.getvalue()


def fresh(user):
    """The account read again: a user object caches its permissions."""
    return get_user_model().objects.get(pk=user.pk)


def test_it_makes_an_account_an_editor(student):
    assert not student.has_perm(PERMISSION)
    assert grant("student") == "student can now decide objections from self-study at /objections/.\n"
    assert fresh(student).has_perm(PERMISSION)


def test_granting_twice_is_harmless_and_says_so(student):
    grant("student")
    assert "student could already decide (nothing changed)" in grant("student")
    assert fresh(student).has_perm(PERMISSION)


def test_revoke_takes_it_away(student):
    grant("student")
    assert grant("student", "--revoke") == "student can no longer decide objections from self-study at /objections/.\n"
    assert not fresh(student).has_perm(PERMISSION)


def test_revoking_from_a_non_editor_changes_nothing_and_says_so(student):
    assert "student could not decide (nothing changed)" in grant("student", "--revoke")
    assert not fresh(student).has_perm(PERMISSION)


def test_revoking_warns_when_a_group_still_grants_it(student):
    group = Group.objects.create(name="editors")
    group.permissions.add(Permission.objects.get(codename="decide_objections"))
    student.groups.add(group)
    assert "still has it, as a superuser or through a group" in grant("student", "--revoke")


@pytest.mark.parametrize("args", [("nobody",), ("nobody", "--revoke"), ("STUDENT",)])
def test_an_unknown_username_is_a_clear_error_and_changes_nothing(student, args):
    with pytest.raises(CommandError, match=r"No account is called '\w+'\. Check the spelling"):
        grant(*args)
    assert not fresh(student).user_permissions.exists()


def test_it_needs_a_username():
    with pytest.raises(CommandError, match="username"):
        grant()
