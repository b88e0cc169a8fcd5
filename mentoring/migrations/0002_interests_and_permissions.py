"""The areas of interest offered on the form (the matching engine's codes), and the
mentoring permissions of the Directors and Data officers groups."""

from django.db import migrations

INTERESTS = [
    ("reference", "Reference and enquiry services"),
    ("cataloguing", "Cataloguing and metadata"),
    ("collections", "Collection development"),
    ("digital", "Digital libraries"),
    ("data", "Research data management"),
    ("technology", "Library technology and systems"),
    ("information_literacy", "Information literacy"),
    ("instruction", "Teaching and training"),
    ("research_support", "Research support"),
    ("scholarly_communication", "Scholarly communication"),
    ("open_access", "Open access"),
    ("archives", "Archives and records"),
    ("preservation", "Preservation and conservation"),
    ("children_youth", "Children and young people"),
    ("community", "Community engagement"),
    ("outreach_marketing", "Outreach and marketing"),
    ("advocacy", "Advocacy"),
    ("diversity_inclusion", "Diversity and inclusion"),
    ("leadership", "Leadership"),
    ("management", "Management and planning"),
]

ALL = ("add", "change", "delete", "view")
PERMISSIONS = {
    "Directors": {
        "round": ALL,
        "pathway": ALL,
        "partnerorganisation": ALL,
        "interest": ALL,
        "application": ALL,
        "partnership": ALL,
        "interestedperson": ALL,
        "barredemail": ALL,
        "unresponsivereport": ("view", "delete"),
        "programsettings": ("change",),
    },
    "Data officers": {
        "round": ("view",),
        "pathway": ("view",),
        "application": ("view", "change"),
        "partnership": ("view",),
        "interestedperson": ("view",),
        "unresponsivereport": ("view",),
    },
}


def seed(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Interest = apps.get_model("mentoring", "Interest")
    for order, (code, name) in enumerate(INTERESTS):
        Interest.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, models in PERMISSIONS.items():
        group = Group.objects.get(name=group_name)
        for model, actions in models.items():
            for action in actions:
                group.permissions.add(
                    Permission.objects.get(
                        content_type__app_label="mentoring", codename=f"{action}_{model}"
                    )
                )


class Migration(migrations.Migration):
    dependencies = [
        ("mentoring", "0001_initial"),
        ("website", "0004_roles_and_workflow"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
