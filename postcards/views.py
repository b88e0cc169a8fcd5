"""The public postcard form, and the only way to see a photo of an unpublished postcard:
signed in to the admin, with permission to edit that postcard (streamed from local disk, or
a redirect to a signed, short-lived address in the private bucket)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from blog.models import SubmissionGuidelinesPage
from blog.submissions import SubmissionsClosed
from blog.views import closed_message
from website.public_forms import count_attempt, count_submission, rate_limited_message

from .forms import PostcardForm
from .models import PostcardPhoto, SubmittedPhoto
from .services import PostcardData, submit_postcard
from .storage import signed_url
from .uploads import max_bytes, max_files


@require_http_methods(["GET", "POST"])
def submit_postcard_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and request_too_large(request):
        messages.error(
            request,
            _(
                "What you sent was too large to accept (more than %(limit)s in all); nothing "
                "was kept. Please send fewer or smaller photos."
            )
            % {"limit": filesizeformat(max_request_bytes())},
        )
        return render_form(request, PostcardForm(), status=413)
    form = PostcardForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_bot():
            return redirect("blog:submission_thanks")
        if count_attempt(request, "postcard"):
            form.add_error(None, rate_limited_message())
        elif form.is_valid():
            count_submission(request, "postcard")
            data = form.cleaned_data
            try:
                submit_postcard(
                    PostcardData(
                        text=data["text"],
                        place=data["place"],
                        country=data["country"],
                        name=data["name"],
                        email=data["email"],
                        licence=data["licence"],
                    ),
                    data["photos"],
                )
            except SubmissionsClosed:
                form.add_error(None, closed_message())
            else:
                messages.success(
                    request,
                    _("Thank you! Your postcard has arrived; we have sent you an email."),
                )
                return redirect("blog:submission_thanks")
    return render_form(request, form)


def max_request_bytes() -> int:
    return max_files() * max_bytes() + 1024 * 1024


def request_too_large(request: HttpRequest) -> bool:
    """Refuse a body far beyond what the form can accept before Django reads it."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > max_request_bytes()


def render_form(request: HttpRequest, form: PostcardForm, status: int = 200) -> HttpResponse:
    return TemplateResponse(
        request,
        "postcards/submit_postcard.html",
        {"form": form, "guidelines": SubmissionGuidelinesPage.current()},
        status=status,
    )


@require_GET
@never_cache
def submitted_photo(request: HttpRequest, pk: int) -> HttpResponse:
    photo = get_object_or_404(SubmittedPhoto, pk=pk)
    if not request.user.is_authenticated:
        raise Http404
    pages = [
        row.page
        for row in PostcardPhoto.objects.filter(submitted_photo=photo).select_related("page")
    ]
    if not any(page.permissions_for_user(request.user).can_edit() for page in pages):
        raise PermissionDenied
    if photo.image_id:
        return redirect(photo.image.file.url)
    if not photo.file:
        raise Http404
    address = signed_url(photo.file.name)
    if address:
        # Object storage: the browser fetches the photo itself, at an address that expires.
        response = redirect(address)
        response["Cache-Control"] = "private, no-store"
        return response
    response = FileResponse(photo.file.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
