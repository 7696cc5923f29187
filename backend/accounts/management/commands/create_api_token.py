"""``manage.py create_api_token USER [--staff] [--rotate]``: make a user's API token, print it once."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.services import TokenExistsError, api_token_create

__all__ = ["Command"]


class Command(BaseCommand):
    help = ("Create the user if needed and a token for them, printed once: only its SHA-256 is "
            "stored, so a lost token is replaced with --rotate.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--staff", action="store_true",
                            help="staff may delete any analysis, anonymous uploads included")
        parser.add_argument("--rotate", action="store_true",
                            help="replace an existing token (the old one stops working)")

    def handle(self, *args: Any, **options: Any) -> None:
        user, created = get_user_model().objects.get_or_create(username=options["username"])
        if created:
            user.set_unusable_password()
        if options["staff"]:
            user.is_staff = True
        user.save()
        try:
            token = api_token_create(user=user, rotate=options["rotate"])
        except TokenExistsError as exc:
            raise CommandError(f"{exc}; it is stored hashed and cannot be shown again. "
                               "Use --rotate to replace it.") from None
        self.stderr.write("The token is shown only now; store it safely.")
        self.stdout.write(token)
