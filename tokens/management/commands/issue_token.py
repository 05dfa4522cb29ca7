from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from tokens.scopes import ALL_SCOPES, scopes_allowed_for
from tokens.services import application_get_or_create, token_issue
from tokens.settings import token_setting


class Command(BaseCommand):
    help = (
        "Generate an auth token for a user and print it once. "
        "Scopes default to every scope the user's permissions allow."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="What the token is for.")
        parser.add_argument(
            "--application", required=True, help="The integration or device using it."
        )
        parser.add_argument(
            "--scope",
            action="append",
            dest="scopes",
            metavar="SCOPE",
            help=f"Repeat for each scope. Known: {', '.join(ALL_SCOPES)}.",
        )
        parser.add_argument(
            "--hours",
            type=int,
            default=token_setting("MAX_LIFETIME_HOURS"),
            help="Validity in hours (at most the configured maximum).",
        )

    def handle(self, *args, username, name, application, scopes, hours, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        try:
            with transaction.atomic():
                app = application_get_or_create(user=user, name=application)
                token, clear = token_issue(
                    user=user,
                    name=name,
                    application=app,
                    scopes=scopes or scopes_allowed_for(user),
                    lifetime_hours=hours,
                )
        except ValidationError as error:
            problems = "; ".join(
                f"{field}: {' '.join(messages)}"
                for field, messages in error.message_dict.items()
            )
            raise CommandError(problems) from None
        self.stdout.write(clear)
        self.stderr.write(
            f"Token {token.display} for {user} ({app.name}), scopes "
            f"{' '.join(token.scopes)}, expires {token.expires_at:%Y-%m-%d %H:%M %Z}. "
            "It is shown only now."
        )
