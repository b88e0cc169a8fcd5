"""One adapter per network, each speaking the network's documented HTTP API with `requests`.
Every adapter takes its API address from the settings, so tests point it at a local server.

An adapter posts once and returns the post's id and link, or raises SocialError with the
network's own message."""

import json
from dataclasses import dataclass
from datetime import UTC, datetime

import requests

from social.content import PageContent, compose
from social.models import SocialSettings

TIMEOUT = 30


class SocialError(Exception):
    pass


@dataclass
class Posted:
    remote_id: str
    url: str
    text: str


def _check(response: requests.Response, network: str) -> dict:
    if response.status_code >= 400:
        try:
            detail = json.dumps(response.json())[:1000]
        except ValueError:
            detail = response.text[:1000]
        raise SocialError(f"{network} answered {response.status_code}: {detail}")
    try:
        return response.json() if response.content else {}
    except ValueError as error:
        raise SocialError(f"{network} answered with something that is not JSON") from error


def _request(method: str, url: str, network: str, **kwargs) -> requests.Response:
    try:
        return requests.request(method, url, timeout=TIMEOUT, **kwargs)
    except requests.RequestException as error:
        raise SocialError(f"{network} could not be reached: {error}") from error


def post_x(config: SocialSettings, content: PageContent, key: str) -> Posted:
    """X API v2: POST /2/media/upload for the image, POST /2/tweets for the post."""
    base = config.x_api_url.rstrip("/")
    headers = {"Authorization": f"Bearer {config.x_access_token}"}
    text = compose(content, "x")
    body: dict = {"text": text}
    if content.image:
        media = _check(
            _request(
                "POST",
                f"{base}/2/media/upload",
                "X",
                headers=headers,
                files={"media": ("image.jpg", content.image, content.image_type)},
                data={"media_category": "tweet_image"},
            ),
            "X",
        )
        body["media"] = {"media_ids": [str(media["data"]["id"])]}
    data = _check(_request("POST", f"{base}/2/tweets", "X", headers=headers, json=body), "X")
    tweet = str(data["data"]["id"])
    return Posted(tweet, f"https://x.com/i/web/status/{tweet}", text)


def post_facebook(config: SocialSettings, content: PageContent, key: str) -> Posted:
    """Graph API: POST /{page-id}/feed with the message and the link (its card shows the
    page's Open Graph image)."""
    base = config.facebook_api_url.rstrip("/")
    text = compose(content, "facebook", with_link=False)
    data = _check(
        _request(
            "POST",
            f"{base}/{config.facebook_page_id}/feed",
            "Facebook",
            data={"message": text, "link": content.url, "access_token": config.facebook_page_token},
        ),
        "Facebook",
    )
    post = str(data["id"])
    return Posted(post, f"https://www.facebook.com/{post}", text)


def post_linkedin(config: SocialSettings, content: PageContent, key: str) -> Posted:
    """Posts API: POST /rest/posts as the organisation, with an article card."""
    base = config.linkedin_api_url.rstrip("/")
    text = compose(content, "linkedin", with_link=False)
    body = {
        "author": f"urn:li:organization:{config.linkedin_organisation_id}",
        "commentary": text,
        "visibility": "PUBLIC",
        "distribution": {
            "feedDistribution": "MAIN_FEED",
            "targetEntities": [],
            "thirdPartyDistributionChannels": [],
        },
        "content": {
            "article": {
                "source": content.url,
                "title": content.title,
                "description": content.description[:250],
            }
        },
        "lifecycleState": "PUBLISHED",
        "isReshareDisabledByAuthor": False,
    }
    response = _request(
        "POST",
        f"{base}/rest/posts",
        "LinkedIn",
        json=body,
        headers={
            "Authorization": f"Bearer {config.linkedin_access_token}",
            "LinkedIn-Version": "202405",
            "X-Restli-Protocol-Version": "2.0.0",
        },
    )
    _check(response, "LinkedIn")
    urn = response.headers.get("x-restli-id", "")
    return Posted(urn, f"https://www.linkedin.com/feed/update/{urn}/", text)


def post_mastodon(config: SocialSettings, content: PageContent, key: str) -> Posted:
    """POST /api/v2/media then /api/v1/statuses, with an Idempotency-Key: a retry of the
    same post is recognised by the server and not posted twice."""
    base = config.mastodon_url.rstrip("/")
    headers = {"Authorization": f"Bearer {config.mastodon_access_token}"}
    text = compose(content, "mastodon")
    data: dict = {"status": text, "visibility": "public"}
    if content.image:
        media = _check(
            _request(
                "POST",
                f"{base}/api/v2/media",
                "Mastodon",
                headers=headers,
                files={"file": ("image.jpg", content.image, content.image_type)},
                data={"description": content.image_alt},
            ),
            "Mastodon",
        )
        data["media_ids[]"] = [str(media["id"])]
    status = _check(
        _request(
            "POST",
            f"{base}/api/v1/statuses",
            "Mastodon",
            headers={**headers, "Idempotency-Key": key},
            data=data,
        ),
        "Mastodon",
    )
    return Posted(str(status["id"]), status.get("url") or "", text)


def post_bluesky(config: SocialSettings, content: PageContent, key: str) -> Posted:
    """AT Protocol: createSession, uploadBlob for the image, createRecord of an
    app.bsky.feed.post with a link facet and an external embed (the link card)."""
    base = config.bluesky_url.rstrip("/")
    session = _check(
        _request(
            "POST",
            f"{base}/xrpc/com.atproto.server.createSession",
            "Bluesky",
            json={"identifier": config.bluesky_handle, "password": config.bluesky_app_password},
        ),
        "Bluesky",
    )
    headers = {"Authorization": f"Bearer {session['accessJwt']}"}
    text = compose(content, "bluesky")
    external: dict = {
        "uri": content.url,
        "title": content.title,
        "description": content.description[:300],
    }
    if content.image:
        blob = _check(
            _request(
                "POST",
                f"{base}/xrpc/com.atproto.repo.uploadBlob",
                "Bluesky",
                headers={**headers, "Content-Type": content.image_type},
                data=content.image,
            ),
            "Bluesky",
        )
        external["thumb"] = blob["blob"]
    record: dict = {
        "$type": "app.bsky.feed.post",
        "text": text,
        "createdAt": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        "embed": {"$type": "app.bsky.embed.external", "external": external},
    }
    encoded = text.encode("utf-8")
    start = encoded.find(content.url.encode("utf-8"))
    if start >= 0:
        record["facets"] = [
            {
                "index": {"byteStart": start, "byteEnd": start + len(content.url.encode("utf-8"))},
                "features": [{"$type": "app.bsky.richtext.facet#link", "uri": content.url}],
            }
        ]
    created = _check(
        _request(
            "POST",
            f"{base}/xrpc/com.atproto.repo.createRecord",
            "Bluesky",
            headers=headers,
            json={"repo": session["did"], "collection": "app.bsky.feed.post", "record": record},
        ),
        "Bluesky",
    )
    uri = created["uri"]
    rkey = uri.rsplit("/", 1)[-1]
    return Posted(uri, f"https://bsky.app/profile/{session['did']}/post/{rkey}", text)


ADAPTERS = {
    "x": post_x,
    "facebook": post_facebook,
    "linkedin": post_linkedin,
    "mastodon": post_mastodon,
    "bluesky": post_bluesky,
}
