from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from mentoring.services.participants import personal_data_erased, personal_data_exported
        from surveys.services import responses

        personal_data_erased.connect(
            responses.anonymise_on_erasure, dispatch_uid="surveys-anonymise-on-erasure"
        )
        personal_data_exported.connect(
            responses.export_for_person, dispatch_uid="surveys-export-for-person"
        )
