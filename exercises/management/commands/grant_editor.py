"""Make an account one of the site's content editors, who decide self-study objections at /objections/
and accept labels for everyone (the `exercises.decide_objections` permission), or stop it being one."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management.base import BaseCommand, CommandError

from exercises.models import AcceptedLabel

CODENAME = "decide_objections"


class Command(BaseCommand):
    help = (
        "Let USERNAME decide the objections of learners working on their own (at /objections/) and accept "
        "labels for everyone; with --revoke, take that away."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="The account's username, exactly as it logs in.")
        parser.add_argument("--revoke", action="store_true", help="Take the permission away instead.")

    def handle(self, *args, username, revoke=False, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(
                f"No account is called {username!r}. Check the spelling (usernames are exact here); "
                "the person must sign up before they can be made an editor."
            )
        permission = Permission.objects.filter(
            content_type__app_label=AcceptedLabel._meta.app_label, codename=CODENAME
        ).first()
        if permission is None:
            raise CommandError("The permission exercises.decide_objections does not exist yet: run `migrate` first.")
        had_it = user.user_permissions.filter(pk=permission.pk).exists()
        if revoke:
            user.user_permissions.remove(permission)
            done = "can no longer decide" if had_it else "could not decide (nothing changed)"
        else:
            user.user_permissions.add(permission)
            done = "could already decide (nothing changed)" if had_it else "can now decide"
        self.stdout.write(f"{username} {done} objections from self-study at /objections/.")
        # A fresh read: the permission cache of `user` holds what it had before.
        fresh = get_user_model().objects.get(pk=user.pk)
        if revoke and fresh.has_perm(f"{permission.content_type.app_label}.{CODENAME}"):
            self.stdout.write(
                f"Note: {username} still has it, as a superuser or through a group: change that in the admin."
            )
