"""One save of a page at a time.

Wagtail's editor autosaves a draft as its user types, and refuses an autosave made from a
revision older than the page's latest ("Saving will overwrite a newer version"). It makes
that check when the request starts, however, and saves at its end. An autosave that arrives
while the same editor's "Submit for review" or "Publish" is still being saved passes the
check, then stores the older form it carried on top of what was just submitted: the
reviewer is shown, and approves, a page without the text that was submitted.

Every POST to a page's edit view therefore holds the page's row for the length of the
request (`SELECT ... FOR UPDATE` on PostgreSQL): a second save of the same page starts, and
makes its check, only once the first has committed. Reading the editor is not held up.
"""

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from wagtail.admin.views.pages.edit import EditView
from wagtail.models import Page

_edit = EditView.as_view()


def edit_page(request: HttpRequest, page_id: int, **kwargs) -> HttpResponse:
    """Wagtail's page editor, with saves of one page taken one after another."""
    if request.method != "POST":
        return _edit(request, page_id, **kwargs)
    with transaction.atomic():
        list(Page.objects.select_for_update().filter(pk=page_id).values_list("pk", flat=True))
        return _edit(request, page_id, **kwargs)
