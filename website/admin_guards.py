"""Guards around three faults of Wagtail's admin, so that bad input sent by hand gets a
message or a 404 instead of a server error (each fault is reported to Wagtail with its
reproduction in the project's notes):

- a chooser widget (page, image, snippet) re-rendering a refused form looks up the value it
  was sent, and a value that is not an id raises `ValueError`;
- admin routes take object ids as `<str:pk>` and look them up unchecked, so
  `/admin/snippets/choose/<app>/<model>/chosen/abc/` raises `ValueError`;
- a `next` parameter that is neither a path nor a URL is taken as a view name by
  `redirect()`, so `next=foo` raises `NoReverseMatch` after the action is done;
- a StreamField posted without its `<name>-count` (or with a garbled one), or a rich text
  field whose editor content is not Draft.js JSON, raises `KeyError`/`ValueError`/
  `AttributeError` while the form is read (see `incomplete_stream_fields`);
- an inline panel's row posted with an id that is not a number, or without its id, raises
  `ValidationError`/`KeyError` in django-modelcluster's formset (see `garbled_child_rows`);
- an inline panel posted with thousands of rows (`<name>-TOTAL_FORMS`) is built and rendered
  up to Django's limit of 2,000 forms, which takes minutes (see `oversized_child_rows`);
- a truncated image file passes Wagtail's first look at it and raises `OSError` when its size
  is read (`WagtailImageField.check_image_pixel_size`; see `install_image_field_guard`);
- on SQLite, a choice of several objects (`ModelMultipleChoiceField`) sent an id beyond 64
  bits raises `OverflowError` (see `install_multiple_choice_guard`);
- the image and document listings searched and filtered by usage count at once raise
  `AttributeError` in django-modelsearch, which cannot filter on the annotated count (Wagtail
  already hides the usage-count ordering while searching, not the filter).
"""

import re
from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.models import ModelMultipleChoiceField
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _
from modelcluster.models import ClusterableModel, get_all_child_relations
from wagtail.admin.widgets.chooser import BaseChooser
from wagtail.fields import RichTextField, StreamField
from wagtail.images.fields import WagtailImageField

ADMIN_PREFIX = "/admin/"
# More rows than any inline panel of the project holds (photos, countries, pathways, files).
MAX_INLINE_ROWS = 200
MEDIA_LISTING = re.compile(r"^/admin/(images|documents)/(results/)?$")


def _lenient_get_instance(original: Callable) -> Callable:
    def get_instance(self, value):
        try:
            return original(self, value)
        except (ValueError, TypeError, ValidationError):
            return None

    return get_instance


def install_chooser_guard() -> None:
    """A chooser shows nothing chosen for a value that is not an id (the form's own field
    already refuses it with a message)."""
    if not getattr(BaseChooser.get_instance, "guarded", False):
        BaseChooser.get_instance = _lenient_get_instance(BaseChooser.get_instance)
        BaseChooser.get_instance.guarded = True


def install_image_field_guard() -> None:
    """A truncated or corrupt image is refused by the form as any other file that is not an
    image, with the field's own message."""
    original = WagtailImageField.check_image_pixel_size
    if getattr(original, "guarded", False):
        return

    def check_image_pixel_size(self, f) -> None:
        try:
            original(self, f)
        except OSError as error:
            raise ValidationError(
                self.error_messages["invalid_image"], code="invalid_image"
            ) from error

    check_image_pixel_size.guarded = True
    WagtailImageField.check_image_pixel_size = check_image_pixel_size


def install_multiple_choice_guard() -> None:
    """An id no database column can hold is an unknown choice, refused with the field's own
    message, on SQLite too."""
    original = ModelMultipleChoiceField._check_values
    if getattr(original, "guarded", False):
        return

    def _check_values(self, value):
        try:
            return original(self, value)
        except OverflowError as error:
            raise ValidationError(
                self.error_messages["invalid_pk_value"],
                code="invalid_pk_value",
                params={"pk": next(iter(value), "")},
            ) from error

    _check_values.guarded = True
    ModelMultipleChoiceField._check_values = _check_values


def _is_id_name(name: str) -> bool:
    return name == "pk" or name.endswith("_id")


class AdminInputGuardMiddleware:
    """In the admin: an object id that is not a number is a missing object (404), and a
    `next` that is not a path or URL is dropped (the view then goes to its usual page)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view, args, kwargs) -> HttpResponse | None:
        if not request.path.startswith(ADMIN_PREFIX):
            return None
        if MEDIA_LISTING.match(request.path):
            redirect = _without_usage_count_while_searching(request)
            if redirect is not None:
                return redirect
        for name, value in kwargs.items():
            if _is_id_name(name) and isinstance(value, str) and not value.isdigit():
                raise Http404
        # A NUL is in no id or filter value (PostgreSQL refuses it); search text (q) is cleaned
        # by the search backend instead.
        filters = [values for name, values in request.GET.lists() if name != "q"]
        if any("\x00" in value for values in filters for value in values):
            raise Http404
        if request.path.endswith("/chosen-multiple/") and not all(
            value.isdigit() for value in request.GET.getlist("id")
        ):
            raise Http404  # the choosers' "several chosen" lists take ids only
        for params in ("GET", "POST"):
            data = getattr(request, params)
            if "next" in data and not _is_url_like(data.get("next", "")):
                data = data.copy()
                del data["next"]
                setattr(request, params, data)
        return None


def _without_usage_count_while_searching(request: HttpRequest) -> HttpResponse | None:
    """The same listing, searched, without its usage-count filter, and a message saying why."""
    dropped = [name for name in request.GET if name.startswith("usage_count")]
    if not dropped or not request.GET.get("q", "").strip():
        return None
    kept = request.GET.copy()
    for name in dropped:
        del kept[name]
    messages.warning(
        request,
        _(
            "Usage count cannot be combined with a search: the results below are not "
            "filtered by usage count. Clear the search to filter by it."
        ),
    )
    return HttpResponseRedirect(f"{request.path}?{kept.urlencode()}")


def _is_url_like(value: str) -> bool:
    return value.startswith("/") or "://" in value or value == ""


def incomplete_stream_fields(model: type, request: HttpRequest) -> list[str]:
    """The StreamFields and rich text fields of `model` whose posted data cannot be read
    (missing or garbled counts, an editor's content that is not the editor's JSON: as no
    browser sends them)."""
    broken = []
    for field in model._meta.get_fields():
        if not isinstance(field, StreamField | RichTextField):
            continue
        widget = field.formfield().widget
        try:
            widget.value_from_datadict(request.POST, request.FILES, field.name)
        except (KeyError, ValueError, TypeError, IndexError, AttributeError):
            broken.append(field.name)
    return broken


def oversized_child_rows(model: type, request: HttpRequest) -> list[str]:
    """The inline panels of `model` posted with more than MAX_INLINE_ROWS rows."""
    if not issubclass(model, ClusterableModel):
        return []
    oversized = []
    for relation in get_all_child_relations(model):
        prefix = relation.get_accessor_name()
        total = request.POST.get(f"{prefix}-TOTAL_FORMS", "0")
        if total.isdigit() and int(total) > MAX_INLINE_ROWS:
            oversized.append(prefix)
    return oversized


def garbled_child_rows(model: type, request: HttpRequest) -> list[str]:
    """The inline panels of `model` (child relations) with a stored row posted without a
    numeric id."""
    broken = []
    if not issubclass(model, ClusterableModel):
        return broken
    for relation in get_all_child_relations(model):
        prefix = relation.get_accessor_name()
        initial = request.POST.get(f"{prefix}-INITIAL_FORMS", "0")
        if not initial.isdigit():
            continue  # the formset refuses its management form with a message
        pk_name = relation.related_model._meta.pk.name
        for index in range(min(int(initial), 1000)):
            value = request.POST.get(f"{prefix}-{index}-{pk_name}")
            if value is None or not (value == "" or value.isdigit()):
                broken.append(prefix)
                break
    return broken
