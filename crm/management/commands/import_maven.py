from django.core.management.base import BaseCommand, CommandError

from crm.importers.maven import MavenFolderError, maven_import
from crm.models import User


class Command(BaseCommand):
    help = (
        "Import the Maven Analytics sales-opportunities sample (sales_teams.csv, "
        "accounts.csv, products.csv, sales_pipeline.csv) from FOLDER: users, "
        "accounts, products, and deals in the pipeline 'Maven' with their product as "
        "a line item. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="The folder that holds the four CSV files.")
        parser.add_argument(
            "--owner",
            metavar="USERNAME",
            help=(
                "Owner of accounts and products that no opportunity names "
                "(otherwise skipped)."
            ),
        )

    def handle(self, *args, folder, owner=None, **options):
        fallback_owner = None
        if owner:
            fallback_owner = User.objects.filter(username=owner).first()
            if fallback_owner is None:
                raise CommandError(f"No user is named {owner!r}.")

        try:
            result = maven_import(folder=folder, fallback_owner=fallback_owner)
        except MavenFolderError as error:
            raise CommandError(str(error)) from None

        for problem in result.problems:
            self.stderr.write(f"skipped {problem}")
        for module, counts in result.counts.items():
            self.stdout.write(f"{module}: {counts}")
        self.stdout.write(f"skipped rows: {len(result.problems)}")
