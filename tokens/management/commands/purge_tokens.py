from django.core.management.base import BaseCommand

from tokens.services import token_purge
from tokens.settings import token_setting


class Command(BaseCommand):
    help = (
        "Delete tokens that expired or were revoked longer ago than "
        "TOKENS['RETENTION_DAYS']."
    )

    def handle(self, *args, **options):
        count = token_purge()
        days = token_setting("RETENTION_DAYS")
        self.stdout.write(f"Purged {count} token(s) older than {days} days.")
