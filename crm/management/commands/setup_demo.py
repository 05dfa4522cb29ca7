import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from crm.demo import load_demo_data
from tokens.scopes import ALL_SCOPES
from tokens.services import application_get_or_create, token_issue

DEMO_USERNAME = "demo"


class Command(BaseCommand):
    help = (
        "Load sample data (the Zoho CRM export when present, else a generated set), "
        "then create the demo user with a fresh password and a fresh 24-hour token."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--generated",
            action="store_true",
            help="Load the generated demo set even when the Zoho export is present.",
        )
        parser.add_argument(
            "--base-url",
            default="http://127.0.0.1:8000",
            help="Where the server will listen, for the printed examples.",
        )

    def handle(self, *args, generated, base_url, **options):
        export = settings.SHARED_DATA_DIR / "zoho-crm-analytics-sample"
        if export.is_dir() and not generated:
            self.stdout.write(f"Loading the Zoho CRM sample export from {export}")
            call_command(
                "import_zoho", str(export), stdout=self.stdout, stderr=self.stderr
            )
        else:
            self.stdout.write("Loading the generated demo data set")
            load_demo_data()

        password = secrets.token_urlsafe(12)
        user, _ = get_user_model().objects.get_or_create(
            username=DEMO_USERNAME,
            defaults={
                "first_name": "Demo",
                "last_name": "User",
                "email": "demo@example.com",
            },
        )
        user.is_staff = user.is_superuser = user.is_active = True
        user.set_password(password)
        user.save()

        application = application_get_or_create(user=user, name="Demo")
        token, clear = token_issue(
            user=user,
            name="Demo token",
            application=application,
            scopes=list(ALL_SCOPES),
            lifetime_hours=24,
        )
        self.stdout.write(
            self.style.SUCCESS(f"\nDemo sign-in ({base_url}/login/)")
            + f"\n  username: {DEMO_USERNAME}\n  password: {password}\n"
            + self.style.SUCCESS("Demo auth token (shown only now)")
            + f"\n  {clear}\n  scopes: {' '.join(token.scopes)}"
            + f"\n  expires: {token.expires_at:%Y-%m-%d %H:%M %Z}\n"
            + f'  try: curl -H "Authorization: Bearer {clear}" \\\n'
            + f"         {base_url}/api/v1/leads/\n"
        )
