from django.apps import AppConfig


class TokensConfig(AppConfig):
    name = "tokens"
    verbose_name = "Auth tokens"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from tokens import checks, schema  # noqa: F401  register checks and schema
