from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from mentoring.services.participants import personal_data_erased
        from surveys.services import responses

        personal_data_erased.connect(
            responses.anonymise_on_erasure, dispatch_uid="surveys-anonymise-on-erasure"
        )
