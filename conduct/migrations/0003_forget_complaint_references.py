"""Complaints no longer appear on the "usage" screens of the applications, rounds and
accounts they name: the reference index rows already recorded for them are removed."""

from django.db import migrations


def forget_references(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ReferenceIndex = apps.get_model("wagtailcore", "ReferenceIndex")
    types = ContentType.objects.filter(app_label="conduct", model__in=["complaint", "evidence"])
    ReferenceIndex.objects.filter(base_content_type__in=types).delete()
    ReferenceIndex.objects.filter(content_type__in=types).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("conduct", "0002_complaint_permissions"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0096_referenceindex_referenceindex_source_object_and_more"),
    ]

    operations = [migrations.RunPython(forget_references, migrations.RunPython.noop)]
