"""Directors manage the ambassadors' profiles and may submit any page for translation.
Ambassadors need no model permission here: they edit their own profile (see
ambassadors.permissions), and their page permissions come with their languages' groups."""

from django.db import migrations

DIRECTORS = "Directors"
GRANTS = [
    ("ambassadors", "add_ambassador"),
    ("ambassadors", "change_ambassador"),
    ("ambassadors", "delete_ambassador"),
    ("ambassadors", "view_ambassador"),
    ("wagtail_localize", "submit_translation"),
]


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
    directors, _created = Group.objects.get_or_create(name=DIRECTORS)
    for app_label, codename in GRANTS:
        directors.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    directors = Group.objects.filter(name=DIRECTORS).first()
    if directors is None:
        return
    for app_label, codename in GRANTS:
        directors.permissions.remove(
            *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("ambassadors", "0001_initial"),
        ("website", "0004_roles_and_workflow"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
