"""Per-network text templates: a director edits what each network says; the placeholders
are checked; every post fits its network's limit (X's weighted count, 23 per link) with the
link kept whole, hashtags dropped first, then the intro shortened."""

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from social.content import (
    DEFAULT_TEMPLATES,
    LIMITS,
    PageContent,
    TemplateValidator,
    compose,
    length,
    text_for,
)
from social.models import SocialSettings
from website.factories.website import StandardPageFactory, UserFactory

URL = "https://network.example.org/blog/" + "a" * 60 + "/"


def content(**fields) -> PageContent:
    values = {
        "title": "A long title about mentoring",
        "description": "word " * 400,
        "url": URL,
        "hashtags": ["#Mentoring", "#Libraries", "#Librarians"],
    }
    return PageContent(**(values | fields))


@pytest.mark.parametrize("network", list(LIMITS))
def test_default_texts_fit_each_network_with_the_link_whole(network):
    text = compose(content(), network)
    assert length(text, network, URL) <= LIMITS[network]
    assert text.startswith("A long title about mentoring")
    assert (URL in text) == ("{link}" in DEFAULT_TEMPLATES[network])


def test_hashtags_go_before_the_intro_is_cut():
    short = content(description="Stories from round 8 partners in Lagos and Leeds.")
    text = compose(short, "x")
    assert text == (
        "A long title about mentoring\n\nStories from round 8 partners in Lagos and Leeds."
        f"\n\n{URL}\n\n#Mentoring #Libraries #Librarians"
    )
    longer = content(description="Stories " * 25)
    text = compose(longer, "x")
    assert "#Mentoring" in text and "#Librarians" not in text
    assert length(text, "x", URL) <= 280


def test_the_intro_is_cut_at_a_word_with_an_ellipsis():
    text = compose(content(hashtags=[]), "bluesky")
    intro = text.split("\n\n")[1]
    assert intro.endswith("word…")
    assert len(text) <= 300


def test_x_counts_cjk_characters_twice():
    title = "国際図書館員ネットワーク" * 3
    text = compose(content(title=title, description="図書館" * 200, hashtags=[]), "x")
    assert length(text, "x", URL) <= 280
    wide = sum(ord(char) > 4351 for char in text)
    assert 120 <= wide <= (280 - 23) // 2
    on_mastodon = compose(content(title=title, description="図書館" * 200), "mastodon")
    assert sum(ord(char) > 4351 for char in on_mastodon) > 400  # one each there


def test_a_directors_template_is_used_on_its_network_only():
    config = SocialSettings(x_template="New on the blog: {title} {link}")
    page = content(description="Intro")
    assert text_for(config, page, "x") == f"New on the blog: A long title about mentoring {URL}"
    assert text_for(config, page, "mastodon").startswith("A long title about mentoring\n\nIntro")


def test_empty_placeholders_leave_no_blank_lines():
    text = compose(content(description="", hashtags=[]), "mastodon")
    assert text == f"A long title about mentoring\n\n{URL}"


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{title} {summary}", "Unknown placeholder {summary}"),
        ("{title.__class__}", "Unknown placeholder"),
        ("Read our new post", "at least one of"),
        ("x" * 260 + "{link}", "too little room"),
    ],
)
def test_bad_templates_are_refused_with_a_clear_message(template, message):
    with pytest.raises(ValidationError) as raised:
        TemplateValidator("x")(template)
    assert message in " ".join(raised.value.messages)


def test_every_default_template_is_valid():
    for network, template in DEFAULT_TEMPLATES.items():
        TemplateValidator(network)(template)


@pytest.mark.django_db
def test_director_edits_a_template_in_the_settings_and_bad_input_is_kept(client, site):
    client.force_login(UserFactory(username="dir", groups=[django_settings.DIRECTORS_GROUP]))
    url = reverse("wagtailsettings:edit", args=["social", "socialsettings", site.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert "{title}" in form.content.decode()
    config = SocialSettings.for_site(site)
    data = {
        name: getattr(config, name)
        for name in [f.name for f in SocialSettings._meta.fields]
        if name not in {"id", "site"}
    }
    data = {key: value for key, value in data.items() if value not in (False, None)}
    data["mastodon_template"] = "{title} — {summary}"
    refused = client.post(url, data)
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Unknown placeholder {summary}" in page
    assert "{title} — {summary}" in page
    data["mastodon_template"] = "{title}\n{link}"
    assert client.post(url, data).status_code == 302
    assert SocialSettings.for_site(site).mastodon_template == "{title}\n{link}"


@pytest.mark.django_db
def test_post_now_previews_each_networks_text(client, social_settings, home_page, networks):
    social_settings.x_template = "On the blog: {title} {link}"
    social_settings.save()
    page = StandardPageFactory(parent=home_page, title="An older story")
    client.force_login(UserFactory(username="dir", groups=[django_settings.DIRECTORS_GROUP]))
    url = reverse("wagtailsnippets_social_socialpost:post_now")
    response = client.post(url, {"page": page.pk, "preview": "1"})
    text = response.content.decode()
    assert f"On the blog: An older story {page.full_url}" in text
    assert "Bluesky" in text and "LinkedIn" in text
    assert networks.requests == []
