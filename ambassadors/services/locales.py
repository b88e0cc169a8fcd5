"""Each translated language of the site gets its ambassadors' group, with the right to add and
edit (never publish) the pages under that language's root, and the "Translation review"
workflow, in which a director approves, on that root. Safe to run again and again."""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import translation
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Locale,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

ENGLISH = "en"
AMBASSADOR_PAGE_PERMISSIONS = ["add_page", "change_page"]


def language_label(code: str) -> str:
    """The language's English name, for group names that stay the same whoever reads them."""
    names = dict(settings.WAGTAIL_CONTENT_LANGUAGES)
    with translation.override("en"):
        return str(names.get(code, code))


def group_name(code: str) -> str:
    return f"{settings.AMBASSADORS_GROUP}: {language_label(code)}"


def locale_root(locale: Locale) -> Page | None:
    """The translation of the default site's root page in this locale, if it exists."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        return None
    return site.root_page.get_translation_or_none(locale)


def translation_workflow() -> Workflow:
    task = GroupApprovalTask.objects.filter(name=settings.TRANSLATION_REVIEW_TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=settings.TRANSLATION_REVIEW_TASK_NAME)
    task.groups.set(Group.objects.filter(name=settings.DIRECTORS_GROUP))
    workflow, _created = Workflow.objects.get_or_create(
        name=settings.TRANSLATION_WORKFLOW_NAME, defaults={"active": True}
    )
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    return workflow


@transaction.atomic
def set_up_locale(locale: Locale) -> Group | None:
    """The ambassadors' group of a non-English locale, and, once the locale has its root page,
    that group's page permissions and the review workflow on that root."""
    if locale.language_code == ENGLISH:
        return None
    group, _created = Group.objects.get_or_create(name=group_name(locale.language_code))
    root = locale_root(locale)
    if root is None:
        return group
    for codename in AMBASSADOR_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=root,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": translation_workflow()})
    return group


def set_up_all_locales() -> None:
    for locale in Locale.objects.exclude(language_code=ENGLISH):
        set_up_locale(locale)


def locale_groups() -> dict[str, Group]:
    """The ambassadors' group of each non-English locale, by language code."""
    names = {group_name(code): code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES}
    return {names[group.name]: group for group in Group.objects.filter(name__in=names)}
