from django.contrib.auth.management import create_permissions
from django.db import migrations

from crm.roles import ROLE_PERMISSIONS, role_groups_sync


def create_role_groups(apps, schema_editor):
    # Permissions are created after the last migration has run; the groups need
    # this app's permissions now, so create them first.
    app_config = apps.get_app_config("crm")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None

    role_groups_sync(
        group_model=apps.get_model("auth", "Group"),
        permission_model=apps.get_model("auth", "Permission"),
    )


def remove_role_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("crm", "0007_lead_conversion"),
    ]

    operations = [migrations.RunPython(create_role_groups, remove_role_groups)]
