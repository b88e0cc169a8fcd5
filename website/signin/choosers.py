"""Wagtail's choosers (page, image, document, snippet) write an inline script after their
field: `<script>new SnippetChooser("id", {...});</script>`. The admin's Content-Security-
Policy refuses inline scripts, so the chooser leaves the same call as data instead, which
website/signin/static/signin/admin-init.js makes (the date choosers' and inline panels'
templates are overridden in templates/wagtailadmin/ to the same end)."""

import json

from django.utils.html import format_html
from django.utils.safestring import SafeString
from wagtail.admin.widgets.chooser import BaseChooser
from wagtail.admin.widgets.workflows import AdminTaskChooser

original_render = BaseChooser.render


def render(self: BaseChooser, name, value, attrs=None, renderer=None) -> SafeString:
    if not attrs or "id" not in attrs:
        raise TypeError("BaseChooser cannot be rendered without an 'id' attribute")
    id_ = attrs["id"]
    value_data = self.get_value_data(value)
    html = self.render_html(name, value_data, attrs)
    if isinstance(self, AdminTaskChooser):
        # Its script is `createTaskChooser(id)`, a call rather than a constructor.
        return format_html(
            '{}<script type="application/json" data-signin-init="createTaskChooser" '
            'data-signin-args="{}"></script>',
            html,
            json.dumps([id_]),
        )
    if type(self).render_js_init is not BaseChooser.render_js_init:
        return original_render(self, name, value, attrs, renderer)
    options = self.get_js_init_options(id_, name, value_data)
    return format_html(
        '{}<script type="application/json" data-signin-init="{}" data-signin-construct '
        'data-signin-args="{}"></script>',
        html,
        self.js_constructor,
        json.dumps([id_, options]),
    )


def start_choosers_without_inline_scripts() -> None:
    BaseChooser.render = render
