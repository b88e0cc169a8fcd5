"""Directors set pinned and forbidden pairs; data officers can read them."""

from django.db import migrations

PERMISSIONS = {
    "Directors": [
        "add_pairrule",
        "change_pairrule",
        "delete_pairrule",
        "view_pairrule",
        "view_matchrun",
    ],
    "Data officers": ["view_pairrule", "view_matchrun"],
}


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in PERMISSIONS.items():
        Group.objects.get(name=name).permissions.add(
            *Permission.objects.filter(content_type__app_label="mentoring", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0004_matching_runs")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
