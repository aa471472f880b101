"""Make an account one of the site's content editors, or stop it being one.

Editors hold every permission named in `settings.EDITOR_PERMISSIONS`: they decide self-study
objections at /objections/ and accept labels for everyone (`exercises.decide_objections`), and
moderate questions and answers (`questions.moderate_posts`). The list lives in the settings so
that this command imports no other app; a permission of an app not installed is skipped."""

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management.base import BaseCommand, CommandError


def editor_permissions():
    """[(name as "app_label.codename", Permission)] for each of `EDITOR_PERMISSIONS` whose app is installed."""
    found = []
    for name in settings.EDITOR_PERMISSIONS:
        app_label, _, codename = name.partition(".")
        try:
            apps.get_app_config(app_label)
        except LookupError:
            continue
        permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
        if permission is None:
            raise CommandError(f"The permission {name} does not exist yet: run `migrate` first.")
        found.append((name, permission))
    return found


def _what(permission):
    """A permission's name as a verb phrase: "Can decide objections" -> "decide objections"."""
    text = permission.name
    return text[4:] if text.startswith("Can ") else text[:1].lower() + text[1:]


class Command(BaseCommand):
    help = (
        "Make USERNAME a content editor: decide the objections of learners working on their own (at /objections/), "
        "accept labels for everyone, and moderate questions and answers; with --revoke, take that away."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="The account's username, exactly as it logs in.")
        parser.add_argument("--revoke", action="store_true", help="Take the permissions away instead.")

    def handle(self, *args, username, revoke=False, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(
                f"No account is called {username!r}. Check the spelling (usernames are exact here); "
                "the person must sign up before they can be made an editor."
            )
        permissions = editor_permissions()
        had = set(user.user_permissions.filter(pk__in=[p.pk for _, p in permissions]).values_list("pk", flat=True))
        change = user.user_permissions.remove if revoke else user.user_permissions.add
        change(*(permission for _, permission in permissions))
        # A fresh read: the permission cache of `user` holds what it had before.
        fresh = get_user_model().objects.get(pk=user.pk)
        for name, permission in permissions:
            what = f"{_what(permission)} ({name})"
            if revoke and permission.pk in had:
                self.stdout.write(f"{username} can no longer {what}.")
            elif revoke:
                self.stdout.write(f"{username} could not {what}: nothing changed.")
            elif permission.pk in had:
                self.stdout.write(f"{username} could already {what}: nothing changed.")
            else:
                self.stdout.write(f"{username} can now {what}.")
            if revoke and fresh.has_perm(name):
                self.stdout.write(
                    f"Note: {username} still has {name}, as a superuser or through a group: change that in the admin."
                )
