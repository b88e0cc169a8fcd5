"""The permission model in code, as the README's Roles table writes it.

Roles are Wagtail groups with model, page and collection permissions (made by the data
migrations); what the groups alone cannot say lives here, in one place:

- user accounts: only superusers touch superusers or grant superuser; nobody edits their own
  account through the users screen (their own groups and status); a director manages the
  accounts whose groups all lie below Directors, and gives only those groups;
- snippet choosers and wagtail-localize's snippet API, which Wagtail opens to every admin user,
  list a model only to those whose permission policy gives them any right on it;
- approving a workflow publishes with the workflow's authority (`website.workflows`), so guest
  editors approve without the free publish, unpublish, move, delete and privacy rights that
  the publish permission would bring; deleting and moving pages comes with bulk delete;
- every refusal in the admin is a 403 page that says so, logged with the user and the URL.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry
from wagtail.snippets.models import get_snippet_models
from wagtail.users.views import users as wagtail_users

logger = logging.getLogger("website.permissions")

ANY_RIGHT = ["add", "change", "delete", "view"]
"""Any of these on a model lets a user list it: in its listing, its chooser, its API."""

OPEN_CHOOSERS = {"mentoring.round", "blog.author"}
"""Snippets that page editors pick in the page editor (a topic's round, a post's authors)
and whose names the public site shows anyway: their choosers are open to every admin user."""

WAGTAIL_DENIED = gettext_lazy("Sorry, you do not have permission to access this area.")
"""The message with which Wagtail's admin redirects a refused request to the dashboard."""


def log_refusal(request: HttpRequest, reason: str) -> None:
    user = getattr(request, "user", None)
    logger.warning(
        "Refused %s %s to %s: %s",
        request.method,
        request.get_full_path(),
        getattr(user, "username", None) or "anonymous",
        reason,
    )


# Users


def manageable_groups(user) -> QuerySet[Group]:
    """The groups whose members `user` may manage and which they may give: all of them for a
    superuser; for a director (who has the change-user permission), every group below
    Directors; for anybody else, none."""
    if user.is_superuser:
        return Group.objects.all()
    app_label, model_name = settings.AUTH_USER_MODEL.lower().split(".")
    if not user.has_perm(f"{app_label}.change_{model_name}"):
        return Group.objects.none()
    return Group.objects.exclude(name=settings.DIRECTORS_GROUP)


class UserPermissionPolicy(ModelPermissionPolicy):
    """Model permissions say who manages accounts at all; this says whose."""

    def user_has_permission_for_instance(self, user, action: str, instance) -> bool:
        if not self.user_has_permission(user, action):
            return False
        if user.is_superuser:
            return True
        if instance.pk == user.pk or instance.is_superuser:
            return False
        allowed = set(manageable_groups(user).values_list("pk", flat=True))
        return set(instance.groups.values_list("pk", flat=True)) <= allowed

    def user_has_any_permission_for_instance(self, user, actions, instance) -> bool:
        return any(self.user_has_permission_for_instance(user, a, instance) for a in actions)

    def instances_user_has_any_permission_for(self, user, actions) -> QuerySet:
        users = get_user_model().objects.all()
        if not self.user_has_any_permission(user, actions):
            return users.none()
        if user.is_superuser:
            return users
        outside = Group.objects.exclude(pk__in=manageable_groups(user))
        return users.exclude(Q(is_superuser=True) | Q(pk=user.pk) | Q(groups__in=outside))


class UserFormMixin:
    """The account form as the acting user may fill it in: a non-superuser never sees the
    superuser switch (so it is never saved from their request) and may give only the groups
    they manage."""

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        user = self.request.user
        if not user.is_superuser:
            form.fields.pop("is_superuser", None)
        if "groups" in form.fields:
            form.fields["groups"].queryset = manageable_groups(user)
        return form


class UserInstanceMixin:
    """Only the accounts the policy gives the acting user for this action can be opened."""

    instance_action = "change"

    def get_object(self, *args, **kwargs):
        instance = super().get_object(*args, **kwargs)
        policy = policy_registry.get_by_type(get_user_model())
        if not policy.user_has_permission_for_instance(
            self.request.user, self.instance_action, instance
        ):
            raise PermissionDenied
        return instance


class UserIndexView(wagtail_users.IndexView):
    """Lists the accounts the acting user manages."""

    def get_base_queryset(self):
        policy = policy_registry.get_by_type(get_user_model())
        managed = policy.instances_user_has_any_permission_for(self.request.user, ["change"])
        return super().get_base_queryset().filter(pk__in=managed.values("pk"))


class UserCreateView(UserFormMixin, wagtail_users.CreateView):
    pass


class UserEditView(UserInstanceMixin, UserFormMixin, wagtail_users.EditView):
    pass


class UserDeleteView(UserInstanceMixin, wagtail_users.DeleteView):
    instance_action = "delete"


class UserHistoryView(UserInstanceMixin, wagtail_users.HistoryView):
    pass


class UserViewSet(wagtail_users.UserViewSet):
    index_view_class = UserIndexView
    add_view_class = UserCreateView
    edit_view_class = UserEditView
    delete_view_class = UserDeleteView
    history_view_class = UserHistoryView
    copy_view_enabled = False


# Snippets reachable outside their viewsets


def snippet_model(app_label: str, model_name: str) -> type[Model] | None:
    for model in get_snippet_models():
        if model._meta.app_label == app_label and model._meta.model_name == model_name:
            return model
    return None


def user_may_list(user, model: type[Model]) -> bool:
    return policy_registry.get_by_type(model).user_has_any_permission(user, ANY_RIGHT)


def chooser_model(namespace: str) -> type[Model] | None:
    """The snippet model behind a chooser URL namespace (`wagtailsnippetchoosers_<app>_<model>`)."""
    prefix = "wagtailsnippetchoosers_"
    if not namespace.startswith(prefix):
        return None
    for model in get_snippet_models():
        if namespace == f"{prefix}{model._meta.app_label}_{model._meta.model_name}":
            return model
    return None


def guarded_snippet(request: HttpRequest) -> type[Model] | None:
    """The snippet model a chooser or wagtail-localize's snippet API request would list."""
    match = request.resolver_match
    if match is None:
        return None
    if match.namespace.startswith("wagtailsnippetchoosers_"):
        return chooser_model(match.namespace)
    if match.namespace == "wagtail_localize" and match.url_name in {
        "snippets_api_listing",
        "snippets_api_detail",
    }:
        return snippet_model(match.kwargs["app_label"], match.kwargs["model_name"])
    return None


class AdminPermissionMiddleware:
    """Choosers and the snippet API follow the models' permission policies; refusals in the
    admin become a 403 page with their message, and are logged."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(admin_prefix()):
            return response
        if response.status_code == 403 and not getattr(response, "refusal_logged", False):
            log_refusal(request, "forbidden")
        elif response.status_code in (301, 302) and self._consume_denial(request):
            log_refusal(request, "permission denied")
            return refusal_page(request)
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        model = guarded_snippet(request)
        if model is None or model._meta.label_lower in OPEN_CHOOSERS:
            return None
        if request.user.is_authenticated and user_may_list(request.user, model):
            return None
        log_refusal(request, f"no right on {model._meta.label}")
        return refusal_page(request)

    @staticmethod
    def _consume_denial(request: HttpRequest) -> bool:
        """Take Wagtail's "no permission" message out of the queue, if it was just added."""
        storage = messages.get_messages(request)
        pending = list(storage)
        texts = denial_texts()
        denied = [m for m in pending if any(text in str(m.message) for text in texts)]
        if not denied:
            storage.used = False
            return False
        for message in pending:
            if message not in denied:
                storage.add(message.level, message.message, message.extra_tags)
        return True


def denial_texts() -> set[str]:
    """Wagtail's "no permission" message in each admin language, as its messages show it."""
    texts = set()
    for code, _name in settings.WAGTAILADMIN_PERMITTED_LANGUAGES:
        with translation.override(code):
            texts.add(escape(str(WAGTAIL_DENIED)))
    return texts


def admin_prefix() -> str:
    from django.urls import reverse

    return reverse("wagtailadmin_home")


def refusal_page(request: HttpRequest) -> HttpResponse:
    """The 403 answer to a refused admin request (already logged by the caller)."""
    message = _("You do not have permission to do this. Nothing was changed.")
    if request.headers.get("x-requested-with") == "XMLHttpRequest":
        response = HttpResponseForbidden(message, content_type="text/plain; charset=utf-8")
    else:
        response = TemplateResponse(
            request, "website/admin/refused.html", {"message": message}, status=403
        ).render()
    response.refusal_logged = True
    return response


# Pages


def may_restructure(user, page) -> bool:
    """Deleting and moving pages comes with the bulk delete permission (directors)."""
    if user.is_superuser:
        return True
    return "bulk_delete" in page.permissions_for_user(user).permissions


def pages_outside(user, pages: Iterable) -> list:
    return [page for page in pages if not may_restructure(user, page)]
