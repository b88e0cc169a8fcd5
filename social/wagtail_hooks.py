"""Registers the social queue."""

from wagtail.snippets.models import register_snippet

from social.viewsets import SocialPostViewSet

register_snippet(SocialPostViewSet)
