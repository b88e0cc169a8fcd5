"""The groups brought in line with the README's Roles table, which is the source of truth.

Each role gets exactly the model, page and collection permissions below (the earlier data
migrations of each app added theirs one by one; this one sets the whole of each role).
Changes from those migrations:

- guest editors lose the publish permission: they approve in the workflow, and approving
  publishes (website.workflows), so they no longer publish, unpublish, move, delete or set
  privacy outside it;
- communications officers lose the suppression list (an address list): they keep campaigns,
  their audience counts and delivery figures;
- data officers keep the suppression list, read the barred list, and with directors read the
  outbox.

The language groups of ambassadors ("Ambassadors: Spanish"...) are made by the ambassadors app
as locales appear, and are not touched here."""

from django.db import migrations

ACCESS_ADMIN = "wagtailadmin.access_admin"
CRUD = ("add", "change", "delete", "view")


def crud(app_label: str, *models: str) -> list[str]:
    return [f"{app_label}.{action}_{model}" for model in models for action in CRUD]


PAGE_ALL = ["add_page", "change_page", "publish_page", "bulk_delete_page", "lock_page",
            "unlock_page"]
MEDIA_ALL = ["add_image", "change_image", "delete_image", "choose_image",
             "add_document", "change_document", "delete_document", "choose_document"]

MENTORING_READ = [
    "mentoring.view_round",
    "mentoring.view_pathway",
    "mentoring.view_application",
    "mentoring.change_application",
    "mentoring.view_partnership",
    "mentoring.view_interestedperson",
    "mentoring.view_barredemail",
    "mentoring.view_unresponsivereport",
    "mentoring.view_pairrule",
    "mentoring.view_matchrun",
]
SOCIAL = ["social.view_socialpost", "social.post_socialpost", "social.change_socialsettings"]
CAMPAIGNS = [*crud("campaigns", "campaign"), "campaigns.send_campaign"]
SUPPRESSION = crud("campaigns", "suppression")
OUTBOX = ["website.view_outboundemail"]
OUTBOX_SETTLE = ["website.change_outboundemail"]

ROLES = {
    "Directors": {
        "model": [
            ACCESS_ADMIN,
            "website.change_organisationsettings",
            "website.change_navigationsettings",
            "website.add_user",
            "website.change_user",
            "website.delete_user",
            "wagtailredirects.add_redirect",
            "wagtailredirects.change_redirect",
            "wagtailredirects.delete_redirect",
            "wagtailcore.add_locale",
            "wagtailcore.change_locale",
            "wagtailcore.delete_locale",
            *crud(
                "mentoring",
                "round",
                "pathway",
                "partnerorganisation",
                "interest",
                "application",
                "partnership",
                "interestedperson",
                "barredemail",
                "pairrule",
            ),
            "mentoring.view_unresponsivereport",
            "mentoring.delete_unresponsivereport",
            "mentoring.change_programsettings",
            "mentoring.view_matchrun",
            *crud("ambassadors", "ambassador"),
            "wagtail_localize.submit_translation",
            "blog.add_author",
            "blog.change_author",
            "blog.delete_author",
            *CAMPAIGNS,
            *SUPPRESSION,
            *SOCIAL,
            *OUTBOX,
            *OUTBOX_SETTLE,
        ],
        "page": PAGE_ALL,
        "collection": [*MEDIA_ALL, "add_collection", "change_collection", "delete_collection"],
    },
    "Content officers": {
        "model": [ACCESS_ADMIN, "blog.add_author", "blog.change_author"],
        "page": ["add_page", "change_page"],
        "collection": ["add_image", "choose_image", "add_document", "choose_document"],
    },
    "Guest editors": {
        "model": [ACCESS_ADMIN, "blog.change_author"],
        "page": ["change_page"],
        "collection": ["choose_image", "choose_document"],
    },
    "Ambassadors": {
        "model": [ACCESS_ADMIN],
        "page": [],
        "collection": ["choose_image"],
    },
    "Social coordinators": {
        "model": [ACCESS_ADMIN, *SOCIAL],
        "page": [],
        "collection": ["choose_image"],
    },
    "Communications officers": {
        "model": [ACCESS_ADMIN, *CAMPAIGNS],
        "page": [],
        "collection": ["add_image", "choose_image"],
    },
    "Data officers": {
        "model": [ACCESS_ADMIN, *MENTORING_READ, *SUPPRESSION, *OUTBOX],
        "page": [],
        "collection": [],
    },
}
COLLECTION_MODELS = {
    "image": ("wagtailimages", "image"),
    "document": ("wagtaildocs", "document"),
    "collection": ("wagtailcore", "collection"),
}


def ensure_model_permissions(apps):
    """Permissions are normally made after all migrations; this data migration needs them now."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def permission(apps, label: str):
    Permission = apps.get_model("auth.Permission")
    app_label, codename = label.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def apply_roles(apps, schema_editor):
    ensure_model_permissions(apps)
    Group = apps.get_model("auth.Group")
    Page = apps.get_model("wagtailcore.Page")
    Collection = apps.get_model("wagtailcore.Collection")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore.GroupCollectionPermission")

    root_page = Page.objects.get(depth=1)
    root_collection = Collection.objects.get(depth=1)
    for name, spec in ROLES.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set([permission(apps, label) for label in spec["model"]])
        GroupPagePermission.objects.filter(group=group).delete()
        for codename in spec["page"]:
            GroupPagePermission.objects.create(
                group=group,
                page=root_page,
                permission=permission(apps, f"wagtailcore.{codename}"),
            )
        GroupCollectionPermission.objects.filter(group=group).delete()
        for codename in spec["collection"]:
            app_label, _model = COLLECTION_MODELS[codename.split("_", 1)[1]]
            GroupCollectionPermission.objects.create(
                group=group,
                collection=root_collection,
                permission=permission(apps, f"{app_label}.{codename}"),
            )


def restore_earlier_grants(apps, schema_editor):
    """Going back: guest editors publish again, communications officers keep the suppression
    list, and the grants this migration added are taken away."""
    Group = apps.get_model("auth.Group")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    Page = apps.get_model("wagtailcore.Page")
    guest_editors = Group.objects.filter(name="Guest editors").first()
    if guest_editors is not None:
        GroupPagePermission.objects.get_or_create(
            group=guest_editors,
            page=Page.objects.get(depth=1),
            permission=permission(apps, "wagtailcore.publish_page"),
        )
    officers = Group.objects.filter(name="Communications officers").first()
    if officers is not None:
        officers.permissions.add(*[permission(apps, label) for label in SUPPRESSION])
    data_officers = Group.objects.filter(name="Data officers").first()
    if data_officers is not None:
        data_officers.permissions.remove(
            *[
                permission(apps, label)
                for label in [*SUPPRESSION, *OUTBOX, "mentoring.view_barredemail"]
            ]
        )
    directors = Group.objects.filter(name="Directors").first()
    if directors is not None:
        directors.permissions.remove(
            *[permission(apps, label) for label in [*OUTBOX, *OUTBOX_SETTLE]]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("website", "0005_outbound_email"),
        ("ambassadors", "0002_ambassador_permissions"),
        ("blog", "0003_topics"),
        ("campaigns", "0002_campaign_permissions"),
        ("mentoring", "0005_matching_permissions"),
        ("social", "0003_text_templates_and_in_doubt"),
    ]

    operations = [migrations.RunPython(apply_roles, restore_earlier_grants)]
