import pytest

from social.models import SocialSettings


@pytest.fixture
def social_settings(site, networks, settings):
    settings.SOCIAL_AUTOPOST_PAGE_TYPES = ["website.StandardPage"]
    config = SocialSettings.for_site(site)
    config.hashtags = "#librarians"
    config.x_enabled, config.x_api_url, config.x_access_token = True, networks.url, "x-token"
    config.facebook_enabled, config.facebook_api_url = True, networks.url
    config.facebook_page_id, config.facebook_page_token = "4242", "fb-token"
    config.linkedin_enabled, config.linkedin_api_url = True, networks.url
    config.linkedin_organisation_id, config.linkedin_access_token = "5515715", "li-token"
    config.mastodon_enabled, config.mastodon_url = True, networks.url
    config.mastodon_access_token = "md-token"
    config.bluesky_enabled, config.bluesky_url = True, networks.url
    config.bluesky_handle, config.bluesky_app_password = "iln.example", "app-pass"
    config.save()
    return config
