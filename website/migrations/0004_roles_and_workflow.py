"""The volunteer roles as Wagtail groups with their permissions, and the editorial workflow:
a content officer submits, a guest editor or a director approves. Approving publishes, which
in Wagtail needs the publish permission: guest editors have it, content officers do not.

Wagtail's default Editors and Moderators groups and its "Moderators approval" workflow are
removed so that the roles below are the only ones."""

from django.db import migrations

ACCESS_ADMIN = "wagtailadmin.access_admin"
PAGE_ALL = ["add_page", "change_page", "publish_page", "bulk_delete_page", "lock_page",
            "unlock_page"]
MEDIA_ALL = ["add_image", "change_image", "delete_image", "choose_image",
             "add_document", "change_document", "delete_document", "choose_document"]

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
        ],
        "page": PAGE_ALL,
        "collection": [*MEDIA_ALL, "add_collection", "change_collection", "delete_collection"],
    },
    "Content officers": {
        "model": [ACCESS_ADMIN],
        "page": ["add_page", "change_page"],
        "collection": ["add_image", "choose_image", "add_document", "choose_document"],
    },
    "Guest editors": {
        "model": [ACCESS_ADMIN],
        "page": ["change_page", "publish_page"],
        "collection": ["choose_image", "choose_document"],
    },
    "Ambassadors": {
        "model": [ACCESS_ADMIN],
        "page": [],
        "collection": ["choose_image"],
    },
    "Social coordinators": {
        "model": [ACCESS_ADMIN],
        "page": [],
        "collection": ["choose_image"],
    },
    "Communications officers": {
        "model": [ACCESS_ADMIN],
        "page": [],
        "collection": ["add_image", "choose_image"],
    },
    "Data officers": {
        "model": [ACCESS_ADMIN],
        "page": [],
        "collection": [],
    },
}
WORKFLOW_NAME = "Editorial review"
REVIEW_TASK_NAME = "Review by a guest editor or director"
REVIEW_GROUPS = ["Guest editors", "Directors"]


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


def create_roles(apps, schema_editor):
    ensure_model_permissions(apps)
    Group = apps.get_model("auth.Group")
    Page = apps.get_model("wagtailcore.Page")
    Collection = apps.get_model("wagtailcore.Collection")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore.GroupCollectionPermission")
    Workflow = apps.get_model("wagtailcore.Workflow")
    Task = apps.get_model("wagtailcore.Task")
    GroupApprovalTask = apps.get_model("wagtailcore.GroupApprovalTask")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore.WorkflowPage")
    ContentType = apps.get_model("contenttypes.ContentType")

    Workflow.objects.filter(name="Moderators approval").delete()
    Task.objects.filter(name="Moderators approval").delete()
    Group.objects.filter(name__in=["Editors", "Moderators"]).delete()

    root_page = Page.objects.get(depth=1)
    root_collection = Collection.objects.get(depth=1)
    model_of = {
        "image": ("wagtailimages", "image"),
        "document": ("wagtaildocs", "document"),
        "collection": ("wagtailcore", "collection"),
    }
    for name, spec in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set([permission(apps, label) for label in spec["model"]])
        GroupPagePermission.objects.filter(group=group).delete()
        for codename in spec["page"]:
            GroupPagePermission.objects.create(
                group=group, page=root_page,
                permission=permission(apps, f"wagtailcore.{codename}"),
            )
        GroupCollectionPermission.objects.filter(group=group).delete()
        for codename in spec["collection"]:
            app_label, _model = model_of[codename.split("_", 1)[1]]
            GroupCollectionPermission.objects.create(
                group=group, collection=root_collection,
                permission=permission(apps, f"{app_label}.{codename}"),
            )

    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task, _ = GroupApprovalTask.objects.get_or_create(
        name=REVIEW_TASK_NAME, defaults={"content_type": task_type, "active": True}
    )
    task.groups.set(Group.objects.filter(name__in=REVIEW_GROUPS))
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=root_page, defaults={"workflow": workflow})


def remove_roles(apps, schema_editor):
    apps.get_model("wagtailcore.Workflow").objects.filter(name=WORKFLOW_NAME).delete()
    apps.get_model("wagtailcore.Task").objects.filter(name=REVIEW_TASK_NAME).delete()
    apps.get_model("auth.Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("website", "0003_create_homepage"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
