"""Directors build surveys and read their results and exports; data officers read the results
and exports (responses are personal data until anonymised, and data officers answer the data
requests), and build nothing."""

from django.db import migrations

GRANTS = {
    "Directors": [f"{action}_survey" for action in ("add", "change", "delete", "view")],
    "Data officers": ["view_survey"],
}


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
    for name, codenames in GRANTS.items():
        group, _created = Group.objects.get_or_create(name=name)
        for codename in codenames:
            group.permissions.add(
                Permission.objects.get(content_type__app_label="surveys", codename=codename)
            )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    for group in Group.objects.filter(name__in=GRANTS):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="surveys", codename__in=GRANTS[group.name]
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0001_initial"),
        ("website", "0007_image_alt_text"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
