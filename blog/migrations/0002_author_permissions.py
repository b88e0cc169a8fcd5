"""Who may manage the authors snippet: directors all of it, content officers add and edit,
guest editors edit (to correct a byline while reviewing)."""

from django.db import migrations

GRANTS = {
    "Directors": ["add_author", "change_author", "delete_author"],
    "Content officers": ["add_author", "change_author"],
    "Guest editors": ["change_author"],
}


def ensure_permissions(apps):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("blog")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None


def grant(apps, schema_editor):
    ensure_permissions(apps)
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    for name, codenames in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="blog", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    for name, codenames in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label="blog", codename__in=codenames)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0001_initial"),
        ("website", "0004_roles_and_workflow"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
