"""Personal survey links: a signed token names the survey and the participant's application
and carries part of its access key, so erasing the person's data kills the link."""

from datetime import timedelta

from django.core import signing

from mentoring.links import LinkError, absolute, english_reverse
from mentoring.models import Application
from surveys.models import Survey

SALT = "surveys.answer"
LIFETIME = timedelta(days=400)


def make_token(survey: Survey, application: Application) -> str:
    payload = {"s": survey.pk, "id": application.pk, "k": str(application.access_key)[:8]}
    return signing.dumps(payload, salt=SALT, compress=True)


def read_token(token: str) -> tuple[Survey, Application]:
    try:
        data = signing.loads(token, salt=SALT, max_age=LIFETIME)
    except signing.SignatureExpired as error:
        raise LinkError(expired=True) from error
    except (signing.BadSignature, ValueError) as error:
        raise LinkError() from error
    if not isinstance(data, dict) or not all(isinstance(data.get(k), int) for k in ("s", "id")):
        raise LinkError()
    key = str(data.get("k", ""))
    application = (
        Application.objects.select_related("round", "pathway", "partnership__proposal")
        .filter(pk=data["id"])
        .first()
    )
    survey = Survey.objects.select_related("round").filter(pk=data["s"]).first()
    if (
        application is None
        or survey is None
        or not key
        or not str(application.access_key).startswith(key)
    ):
        raise LinkError()
    return survey, application


def answer_url(survey: Survey, application: Application) -> str:
    return absolute(english_reverse("surveys:answer", token=make_token(survey, application)))
