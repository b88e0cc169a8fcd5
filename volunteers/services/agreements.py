"""Versioned documents and their acceptance: one mechanism for applicants and volunteers.

The code of conduct and each role's position description are at a version number, 1 until
directors publish a material change (a DocumentVersion), which raises it by one. An
applicant accepts the code of conduct at its current version on applying; a volunteer
accepts the code and the description of each of their roles on first sign-in to the admin
and again whenever one of them is at a newer version than they accepted."""

from dataclasses import dataclass

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from wagtail.log_actions import log

from volunteers.models import Acceptance, DocumentVersion, PositionPage, VolunteerRecord
from volunteers.roles import CODE_OF_CONDUCT, Role, document_label, position_document

STAMP_KEY = "volunteers:acceptance-stamp"


def acceptance_stamp() -> int:
    """A number that moves whenever what someone must accept may have changed (a version
    published, a record saved); sessions remember "nothing pending" against it."""
    stamp = cache.get(STAMP_KEY)
    if stamp is None:
        stamp = 1
        cache.add(STAMP_KEY, stamp, timeout=None)
    return stamp


def move_acceptance_stamp() -> None:
    try:
        cache.incr(STAMP_KEY)
    except ValueError:
        cache.set(STAMP_KEY, 2, timeout=None)


def current_versions(documents: list[str]) -> dict[str, int]:
    found = dict(
        DocumentVersion.objects.filter(document__in=documents)
        .values("document")
        .annotate(latest=Max("number"))
        .values_list("document", "latest")
    )
    return {document: found.get(document) or 1 for document in documents}


def current_version(document: str) -> int:
    return current_versions([document])[document]


def publish_version(version: DocumentVersion, *, by, attempts: int = 5) -> DocumentVersion:
    """Record a material change: the document's next number. Two directors publishing at
    once both get a number: the one-number-per-document constraint refuses the second
    insert, which then tries the number after."""
    version.published_by = by if by is not None and by.is_authenticated else None
    for attempt in range(attempts):
        latest = DocumentVersion.objects.filter(document=version.document).aggregate(
            latest=Max("number")
        )["latest"]
        version.number = (latest or 1) + 1
        version.published_at = timezone.now()
        try:
            with transaction.atomic():
                version.save(force_insert=True)
        except IntegrityError:
            version.pk = None
            if attempt == attempts - 1:
                raise
            continue
        transaction.on_commit(move_acceptance_stamp)
        move_acceptance_stamp()
        return version
    raise AssertionError("unreachable")


def required_documents(record: VolunteerRecord | None) -> list[str]:
    """What a serving volunteer must have accepted: the code and their roles' descriptions."""
    if record is None or not record.is_serving:
        return []
    return [CODE_OF_CONDUCT] + [
        position_document(role) for role in record.roles if role in Role.values
    ]


@dataclass(frozen=True)
class Pending:
    document: str
    version: int
    label: str
    url: str
    summary: str


def pending_for(user) -> list[Pending]:
    """The documents this user has not accepted at their current version."""
    record = VolunteerRecord.objects.filter(user=user).first()
    documents = required_documents(record)
    if not documents:
        return []
    versions = current_versions(documents)
    accepted = set(
        Acceptance.objects.filter(user=user, document__in=documents).values_list(
            "document", "version"
        )
    )
    missing = [doc for doc in documents if (doc, versions[doc]) not in accepted]
    if not missing:
        return []
    summaries = dict(
        DocumentVersion.objects.filter(
            document__in=missing, number__in={versions[doc] for doc in missing}
        ).values_list("document", "summary")
    )
    return [
        Pending(doc, versions[doc], document_label(doc), document_url(doc), summaries.get(doc, ""))
        for doc in missing
    ]


def document_url(document: str) -> str:
    if document == CODE_OF_CONDUCT:
        page = code_of_conduct_page()
        return page.url if page else ""
    page = PositionPage.for_role(document.split(":", 1)[1])
    return page.url if page else ""


def code_of_conduct_page():
    from wagtail.models import Site

    from mentoring.models import ProgramSettings

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return None
    page = ProgramSettings.for_site(site).code_of_conduct_page
    return page.specific if page else None


@transaction.atomic
def accept(user, pending: list[Pending]) -> list[Acceptance]:
    """Record that the user accepted these documents at these versions (now); safe to rerun."""
    made = []
    for item in pending:
        acceptance, created = Acceptance.objects.get_or_create(
            user=user, document=item.document, version=item.version
        )
        if created:
            made.append(acceptance)
    record = VolunteerRecord.objects.filter(user=user).first()
    if made and record is not None:
        log(
            instance=record,
            action="volunteers.accept",
            user=user,
            data={"accepted": [[a.document, a.version] for a in made]},
        )
    return made


def record_application(application, version: int | None = None) -> Acceptance:
    """The applicant accepted the code of conduct at this version (its current one unless
    given: the one stored in the application's consent_version, on applying)."""
    version = version or current_version(CODE_OF_CONDUCT)
    try:
        with transaction.atomic():
            acceptance, _ = Acceptance.objects.get_or_create(
                application=application,
                document=CODE_OF_CONDUCT,
                version=version,
                defaults={"accepted_at": application.agreed_code_of_conduct_at or timezone.now()},
            )
    except IntegrityError:
        acceptance = Acceptance.objects.get(
            application=application, document=CODE_OF_CONDUCT, version=version
        )
    return acceptance


def accepted_version(application) -> int | None:
    row = (
        Acceptance.objects.filter(application=application, document=CODE_OF_CONDUCT)
        .order_by("-version")
        .first()
    )
    return row.version if row else None
