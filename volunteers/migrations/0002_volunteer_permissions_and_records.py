"""Directors manage the volunteers: their records, the expressions of interest (personal
data: nobody else), the document versions and the noticeboard's announcements. Existing
admin users in a role group get a volunteer record (from their groups; an ambassador's term
from their profile), and existing applications an acceptance of the code of conduct at
version 1, from the time they agreed to it."""

from datetime import date, timedelta

from django.db import migrations

DIRECTORS = "Directors"
GRANTS = [
    ("volunteers", "add_volunteerrecord"),
    ("volunteers", "change_volunteerrecord"),
    ("volunteers", "view_volunteerrecord"),
    ("volunteers", "view_expressionofinterest"),
    ("volunteers", "delete_expressionofinterest"),
    ("volunteers", "add_documentversion"),
    ("volunteers", "view_documentversion"),
    ("volunteers", "add_announcement"),
    ("volunteers", "change_announcement"),
    ("volunteers", "delete_announcement"),
    ("volunteers", "view_announcement"),
]
ROLE_OF_GROUP = {
    "Directors": "director",
    "Content officers": "content_officer",
    "Guest editors": "guest_editor",
    "Ambassadors": "ambassador",
    "Social coordinators": "social_coordinator",
    "Communications officers": "communications_officer",
    "Data officers": "data_officer",
}


def ensure_model_permissions(apps):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def one_term_after(start: date) -> date:
    try:
        end = start.replace(year=start.year + 1)
    except ValueError:
        end = start.replace(year=start.year + 1, day=28)
    return end - timedelta(days=1)


def forward(apps, schema_editor):
    ensure_model_permissions(apps)
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    directors, _created = Group.objects.get_or_create(name=DIRECTORS)
    for app_label, codename in GRANTS:
        directors.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    User = apps.get_model("website", "User")
    Record = apps.get_model("volunteers", "VolunteerRecord")
    Ambassador = apps.get_model("ambassadors", "Ambassador")
    today = date.today()
    users = User.objects.filter(is_superuser=False, groups__name__in=ROLE_OF_GROUP).distinct()
    for user in users:
        roles = sorted(
            {ROLE_OF_GROUP[g] for g in user.groups.values_list("name", flat=True) if g in ROLE_OF_GROUP}
        )
        profile = Ambassador.objects.filter(user=user).first()
        Record.objects.get_or_create(
            user=user,
            defaults={
                "roles": roles,
                "started_on": profile.term_starts_on if profile else today,
                "term_ends_on": profile.term_ends_on if profile else one_term_after(today),
            },
        )
    Application = apps.get_model("mentoring", "Application")
    Acceptance = apps.get_model("volunteers", "Acceptance")
    Acceptance.objects.bulk_create(
        [
            Acceptance(
                application_id=pk,
                document="code_of_conduct",
                version=1,
                accepted_at=agreed_at,
            )
            for pk, agreed_at in Application.objects.values_list("pk", "agreed_code_of_conduct_at")
        ],
        ignore_conflicts=True,
    )


def backward(apps, schema_editor):
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
        ("volunteers", "0001_initial"),
        ("website", "0006_permission_model"),
        ("ambassadors", "0002_ambassador_permissions"),
    ]

    operations = [migrations.RunPython(forward, backward)]
