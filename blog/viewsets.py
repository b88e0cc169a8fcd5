"""Admin screens of the blog: authors, a snippet chosen on posts."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Author


class AuthorViewSet(SnippetViewSet):
    model = Author
    icon = "user"
    menu_label = _("Authors")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["name", "country"]
    search_fields = ["name"]
