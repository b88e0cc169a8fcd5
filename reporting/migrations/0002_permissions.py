"""Directors see the statistics dashboard and the partner reports, and send their links."""

from django.db import migrations

GROUPS = ["Directors"]
GRANTS = [("reporting", "view_dashboard"), ("reporting", "send_partner_reports")]


def ensure_model_permissions(apps):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def grant(apps, schema_editor):
    ensure_model_permissions(apps)
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    for name in GROUPS:
        group, _created = Group.objects.get_or_create(name=name)
        for app_label, codename in GRANTS:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    for group in Group.objects.filter(name__in=GROUPS):
        for app_label, codename in GRANTS:
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0001_initial"),
        ("website", "0006_permission_model"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
