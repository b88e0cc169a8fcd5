"""Registers the program email screens."""

from wagtail.snippets.models import register_snippet

from campaigns.viewsets import ProgramEmailViewSetGroup

register_snippet(ProgramEmailViewSetGroup)
