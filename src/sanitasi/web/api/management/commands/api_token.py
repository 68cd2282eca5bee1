"""``api_token <username>``: issue (or ``--revoke``) the user's API bearer token."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from sanitasi.web.api.models import ApiToken


class Command(BaseCommand):
    help = (
        "Issue a new API token for a user (replacing the old one) and print it once; "
        "use it as 'Authorization: Bearer <token>'."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--revoke", action="store_true", help="delete the user's token")

    def handle(self, *args: Any, **opts: Any) -> None:
        User = get_user_model()
        try:
            user = User.objects.get(username=opts["username"])
        except User.DoesNotExist:
            raise CommandError(f"no such user: {opts['username']}") from None
        if opts["revoke"]:
            deleted, _ = ApiToken.objects.filter(user=user).delete()
            self.stdout.write("Token revoked." if deleted else "The user had no token.")
            return
        if not user.is_active:
            raise CommandError(f"user {user.get_username()} is inactive")
        self.stdout.write(ApiToken.issue(user))
