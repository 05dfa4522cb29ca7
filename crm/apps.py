from django.apps import AppConfig


class CRMConfig(AppConfig):
    name = "crm"
    verbose_name = "CRM"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        # Connected after django.contrib.auth's handler, so this app's
        # permissions exist by the time the role groups are synced.
        post_migrate.connect(sync_role_groups, sender=self)


def sync_role_groups(sender, using, **kwargs):
    from crm.roles import role_groups_sync

    role_groups_sync()
