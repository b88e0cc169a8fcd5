"""The social queue for coordinators: each page's post per network with its status (queued,
posted with its link, failed with the network's error), retry, skip, and "post now" for
older pages."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets.button import HeaderButton, ListingButton
from wagtail.snippets.views.snippets import IndexView, InspectView, SnippetViewSet

from social import services
from social.forms import MarkPostedForm, PostNowForm
from social.models import SocialPost
from website.admin_display import ReadableInspectMixin

NAMESPACE = "wagtailsnippets_social_socialpost"
PERMISSION = "social.post_socialpost"


def url(name: str, *args) -> str:
    return reverse(f"{NAMESPACE}:{name}", args=args)


class LinkColumn(Column):
    def get_value(self, instance):
        if instance.remote_url:
            return format_html(
                '<a href="{}" target="_blank" rel="noopener">{}</a>',
                instance.remote_url,
                _("View post"),
            )
        return instance.error[:300]


class SocialQueueIndexView(IndexView):
    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.request.user.has_perm(PERMISSION):
            buttons.append(
                HeaderButton(_("Post a page now"), url=url("post_now"), icon_name="plus")
            )
        return buttons

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        if not self.request.user.has_perm(PERMISSION):
            return buttons
        if instance.status == SocialPost.Status.FAILED:
            buttons.append(ListingButton(_("Retry"), url=url("retry", instance.pk), priority=1))
        if instance.status == SocialPost.Status.IN_DOUBT:
            buttons.append(
                ListingButton(_("Mark posted"), url=url("mark_posted", instance.pk), priority=1)
            )
            buttons.append(
                ListingButton(_("Post again"), url=url("retry", instance.pk), priority=2)
            )
        if instance.status in services.POSTABLE:
            buttons.append(ListingButton(_("Skip"), url=url("skip", instance.pk), priority=3))
        return buttons


def _confirm(request, post: SocialPost, action, question: str, done: str, refused: str):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    if request.method == "POST":
        if action(post):
            messages.success(request, done)
        else:
            messages.warning(request, refused)
        return redirect(url("list"))
    return render(
        request,
        "social/admin/confirm.html",
        {"post": post, "question": question, "header_title": question},
    )


def retry_view(request, pk: int):
    post = get_object_or_404(SocialPost.objects.select_related("page"), pk=pk)
    question = _("Post “%(page)s” to %(network)s again?") % {
        "page": post.page.title,
        "network": post.get_network_display(),
    }
    if post.status == SocialPost.Status.IN_DOUBT:
        question += " " + _(
            "Look at the page on %(network)s first: if the post is there, posting again "
            "would show it twice."
        ) % {"network": post.get_network_display()}
    return _confirm(
        request,
        post,
        services.retry,
        question,
        _("Posting again."),
        _("Only a failed post, or one in doubt, can be posted again."),
    )


def mark_posted_view(request, pk: int):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    post = get_object_or_404(SocialPost.objects.select_related("page"), pk=pk)
    form = MarkPostedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.mark_posted(post, form.cleaned_data["link"]):
            messages.success(request, _("Marked as posted."))
        else:
            messages.warning(request, _("This post is no longer in doubt."))
        return redirect(url("list"))
    title = _("Mark “%(page)s” as posted on %(network)s") % {
        "page": post.page.title,
        "network": post.get_network_display(),
    }
    return render(
        request,
        "social/admin/mark_posted.html",
        {"post": post, "form": form, "header_title": title},
    )


def skip_view(request, pk: int):
    post = get_object_or_404(SocialPost.objects.select_related("page"), pk=pk)
    return _confirm(
        request,
        post,
        services.skip,
        _("Never post “%(page)s” to %(network)s?")
        % {"page": post.page.title, "network": post.get_network_display()},
        _("Skipped."),
        _("This post has gone already."),
    )


def post_now_view(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    models = services.autopost_models()
    form = PostNowForm(request.POST or None, models=models)
    previews = []
    if request.method == "POST" and form.is_valid() and "preview" in request.POST:
        previews = services.preview(form.cleaned_data["page"].specific)
    elif request.method == "POST" and form.is_valid():
        queued = services.queue_page(form.cleaned_data["page"].specific)
        if queued:
            messages.success(
                request,
                _("Posting to %(networks)s.")
                % {"networks": ", ".join(post.get_network_display() for post in queued)},
            )
        else:
            messages.warning(request, _("No network is set up, or the page went out already."))
        return redirect(url("list"))
    return render(
        request,
        "social/admin/post_now.html",
        {
            "form": form,
            "previews": previews,
            "previewed": "preview" in request.POST,
            "header_title": _("Post a page now"),
        },
    )


class SocialPostInspectView(ReadableInspectMixin, InspectView):
    pass


class SocialPostViewSet(SnippetViewSet):
    model = SocialPost
    icon = "globe"
    menu_label = gettext_lazy("Social queue")
    menu_order = 260
    add_to_admin_menu = True
    index_view_class = SocialQueueIndexView
    list_display = [
        "page",
        "network",
        Column("status", label=gettext_lazy("Status"), accessor="get_status_display"),
        LinkColumn("remote_url", label=gettext_lazy("Link or error")),
        "attempts",
        "created_at",
    ]
    list_filter = ["status", "network"]
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_class = SocialPostInspectView

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("retry/<int:pk>/", retry_view, name="retry"),
            path("skip/<int:pk>/", skip_view, name="skip"),
            path("mark-posted/<int:pk>/", mark_posted_view, name="mark_posted"),
            path("post-now/", post_now_view, name="post_now"),
        ]
