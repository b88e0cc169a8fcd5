"""The volunteer roles made by the data migrations (the README's Roles table): each group with
exactly its permissions, and the editorial workflow in which a content officer submits and a
guest editor or a director approves, which publishes."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from wagtail.models import GroupApprovalTask, Page, Workflow

from website.factories.website import StandardPageFactory, UserFactory

ACCESS_ADMIN = {"wagtailadmin.access_admin"}
PAGE_ALL = {
    "add_page",
    "change_page",
    "publish_page",
    "bulk_delete_page",
    "lock_page",
    "unlock_page",
}
MEDIA_ALL = {
    "add_image",
    "change_image",
    "delete_image",
    "choose_image",
    "add_document",
    "change_document",
    "delete_document",
    "choose_document",
}

MENTORING_ALL = ("add", "change", "delete", "view")
MENTORING_DIRECTORS = {
    f"mentoring.{action}_{model}"
    for model in [
        "round",
        "pathway",
        "partnerorganisation",
        "interest",
        "application",
        "partnership",
        "interestedperson",
        "barredemail",
    ]
    for action in MENTORING_ALL
} | {
    "mentoring.view_unresponsivereport",
    "mentoring.delete_unresponsivereport",
    "mentoring.change_programsettings",
    "mentoring.add_pairrule",
    "mentoring.change_pairrule",
    "mentoring.delete_pairrule",
    "mentoring.view_pairrule",
    "mentoring.view_matchrun",
}
MENTORING_DATA_OFFICERS = {
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
}

AMBASSADORS_DIRECTORS = {
    "ambassadors.add_ambassador",
    "ambassadors.change_ambassador",
    "ambassadors.delete_ambassador",
    "ambassadors.view_ambassador",
    "wagtail_localize.submit_translation",
}

# volunteers: records, expressions of interest, document versions, announcements
VOLUNTEERS_DIRECTORS = {
    "volunteers.add_volunteerrecord",
    "volunteers.change_volunteerrecord",
    "volunteers.view_volunteerrecord",
    "volunteers.view_expressionofinterest",
    "volunteers.delete_expressionofinterest",
    "volunteers.add_documentversion",
    "volunteers.view_documentversion",
    "volunteers.add_announcement",
    "volunteers.change_announcement",
    "volunteers.delete_announcement",
    "volunteers.view_announcement",
}

BLOG_DIRECTORS = {"blog.add_author", "blog.change_author", "blog.delete_author"}
BLOG_CONTENT_OFFICERS = {"blog.add_author", "blog.change_author"}
BLOG_GUEST_EDITORS = {"blog.change_author"}

CAMPAIGNS = {f"campaigns.{action}_campaign" for action in ("add", "change", "delete", "view")} | {
    "campaigns.send_campaign"
}
SUPPRESSION = {f"campaigns.{action}_suppression" for action in ("add", "change", "delete", "view")}
OUTBOX = {"website.view_outboundemail"}
# surveys (#15): directors build, read results and export; data officers list and inspect
SURVEYS_DIRECTORS = {
    f"surveys.{action}_survey" for action in ("add", "change", "delete", "view")
} | {"surveys.view_survey_results"}
SURVEYS_DATA_OFFICERS = {"surveys.view_survey"}
# Statistics (#15): the dashboard and the partner reports, directors only.
REPORTING = {"reporting.view_dashboard", "reporting.send_partner_reports"}
SOCIAL = {"social.view_socialpost", "social.post_socialpost", "social.change_socialsettings"}
# Code of conduct (#16): complaints are for directors only, and never deleted.
CONDUCT_DIRECTORS = {f"conduct.{action}_complaint" for action in ("add", "change", "view")}

EXPECTED = {
    settings.DIRECTORS_GROUP: (
        ACCESS_ADMIN
        | {
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
        }
        | MENTORING_DIRECTORS
        | AMBASSADORS_DIRECTORS
        | VOLUNTEERS_DIRECTORS
        | BLOG_DIRECTORS
        | CAMPAIGNS
        | SUPPRESSION
        | SOCIAL
        | OUTBOX
        | {"website.change_outboundemail"}
        | CONDUCT_DIRECTORS
        | SURVEYS_DIRECTORS
        | REPORTING,
        PAGE_ALL,
        MEDIA_ALL | {"add_collection", "change_collection", "delete_collection"},
    ),
    settings.CONTENT_OFFICERS_GROUP: (
        ACCESS_ADMIN | BLOG_CONTENT_OFFICERS,
        {"add_page", "change_page"},
        {"add_image", "choose_image", "add_document", "choose_document"},
    ),
    settings.GUEST_EDITORS_GROUP: (
        ACCESS_ADMIN | BLOG_GUEST_EDITORS,
        {"change_page"},
        {"choose_image", "choose_document"},
    ),
    settings.AMBASSADORS_GROUP: (ACCESS_ADMIN, set(), {"choose_image"}),
    settings.SOCIAL_COORDINATORS_GROUP: (ACCESS_ADMIN | SOCIAL, set(), {"choose_image"}),
    settings.COMMUNICATIONS_OFFICERS_GROUP: (
        ACCESS_ADMIN | CAMPAIGNS,
        set(),
        {"add_image", "choose_image"},
    ),
    settings.DATA_OFFICERS_GROUP: (
        ACCESS_ADMIN | MENTORING_DATA_OFFICERS | SUPPRESSION | OUTBOX | SURVEYS_DATA_OFFICERS,
        set(),
        set(),
    ),
}


def model_permissions(group: Group) -> set[str]:
    return {
        f"{permission.content_type.app_label}.{permission.codename}"
        for permission in group.permissions.select_related("content_type")
    }


@pytest.mark.django_db
def test_exactly_the_roles_exist():
    assert set(Group.objects.values_list("name", flat=True)) == set(EXPECTED)


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(EXPECTED))
def test_each_role_has_exactly_its_permissions(name):
    group = Group.objects.get(name=name)
    expected_model, expected_page, expected_collection = EXPECTED[name]
    root = Page.objects.get(depth=1)
    assert model_permissions(group) == expected_model
    page_permissions = group.page_permissions.select_related("permission", "page")
    assert {p.permission.codename for p in page_permissions} == expected_page
    assert all(p.page_id == root.pk for p in page_permissions)
    collection_permissions = group.collection_permissions.select_related("permission")
    assert {p.permission.codename for p in collection_permissions} == expected_collection


@pytest.mark.django_db
def test_editorial_workflow_covers_every_page():
    workflow = Workflow.objects.get(name=settings.EDITORIAL_WORKFLOW_NAME)
    assert workflow.active
    tasks = [task.specific for task in workflow.tasks]
    assert len(tasks) == 1
    assert isinstance(tasks[0], GroupApprovalTask)
    assert {group.name for group in tasks[0].groups.all()} == {
        settings.GUEST_EDITORS_GROUP,
        settings.DIRECTORS_GROUP,
    }
    assert Workflow.objects.filter(active=True).count() == 1
    assert Page.objects.get(depth=2).get_workflow() == workflow


@pytest.mark.django_db
def test_content_officer_submits_and_guest_editor_approves(home_page):
    officer = UserFactory(username="officer", groups=[settings.CONTENT_OFFICERS_GROUP])
    editor = UserFactory(username="guest-editor", groups=[settings.GUEST_EDITORS_GROUP])
    director = UserFactory(username="boss", groups=[settings.DIRECTORS_GROUP])
    page = StandardPageFactory(parent=home_page, title="A new topic", live=False)

    officer_perms = page.permissions_for_user(officer)
    assert officer_perms.can_edit()
    assert not officer_perms.can_publish()
    assert not page.permissions_for_user(editor).can_publish()
    assert page.permissions_for_user(director).can_publish()

    page.save_revision(user=officer)
    workflow_state = page.get_workflow().start(page, officer)
    task_state = workflow_state.current_task_state
    task = task_state.task.specific
    assert task.user_can_access_editor(page, editor)
    actions = {name for name, _label, _modal in task.get_actions(page, editor)}
    assert {"approve", "reject"} <= actions
    assert task.get_actions(page, officer) == []

    task.on_action(task_state, editor, "approve")
    page.refresh_from_db()
    assert page.live
