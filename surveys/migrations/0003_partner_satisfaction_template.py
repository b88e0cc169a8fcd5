"""The standard partner-satisfaction question set, as a template directors copy each round."""

import json

from django.db import migrations

from surveys.templates_data import INTRO, TITLE, partner_satisfaction_body


def create(apps, schema_editor):
    Survey = apps.get_model("surveys", "Survey")
    if Survey.objects.filter(is_template=True, title=TITLE).exists():
        return
    Survey.objects.create(
        title=TITLE,
        kind="round",
        is_template=True,
        intro=INTRO,
        body=json.dumps(partner_satisfaction_body()),
    )


def remove(apps, schema_editor):
    Survey = apps.get_model("surveys", "Survey")
    Survey.objects.filter(is_template=True, title=TITLE, responses__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("surveys", "0002_survey_permissions")]

    operations = [migrations.RunPython(create, remove)]
