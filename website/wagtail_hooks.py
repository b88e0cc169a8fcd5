"""Admin screens of the site shell: the Outbox."""

from wagtail import hooks

from website.viewsets import outbox_viewset


@hooks.register("register_admin_viewset")
def register_outbox_viewset():
    return outbox_viewset
