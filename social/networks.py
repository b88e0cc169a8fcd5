"""One adapter per network. X, Facebook and LinkedIn speak the network's documented HTTP API
with `requests`; Mastodon goes through Mastodon.py and Bluesky through atproto's Client, the
maintained clients of those APIs. Every adapter takes its API address from the settings, so
tests point it at a local server.

An adapter posts once and returns the post's id and link, or raises SocialError with the
network's own message."""

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
import requests
from atproto import Client, Request, models
from atproto.exceptions import AtProtocolError, BadRequestError, RequestErrorBase
from mastodon import Mastodon, MastodonAPIError, MastodonError, MastodonNetworkError

from social.content import PageContent, text_for
from social.models import SocialSettings

TIMEOUT = 30


class SocialError(Exception):
    pass


@dataclass(frozen=True)
class PostKey:
    """Names one queued post to the network, the same on every attempt, so that a network
    that can recognise a repeat (Mastodon's Idempotency-Key, a Bluesky record key) does."""

    idempotency_key: str
    record_key: str

    @classmethod
    def for_post(cls, pk: int, queued_at: datetime) -> "PostKey":
        return cls(f"iln-social-{pk}", record_key(queued_at, pk))


TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"


def record_key(when: datetime, clock_id: int) -> str:
    """An AT Protocol TID (13 base32-sortable characters: 53 bits of microseconds since the
    epoch, 10 bits of clock id) made from the post's queued time and id, so every attempt
    at one post names the same record."""
    micros = int(when.timestamp() * 1_000_000) & ((1 << 53) - 1)
    value = (micros << 10) | (clock_id & 0x3FF)
    return "".join(TID_ALPHABET[(value >> (5 * shift)) & 31] for shift in range(12, -1, -1))


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


def post_x(config: SocialSettings, content: PageContent, key: PostKey) -> Posted:
    """X API v2: POST /2/media/upload for the image, POST /2/tweets for the post."""
    base = config.x_api_url.rstrip("/")
    headers = {"Authorization": f"Bearer {config.x_access_token}"}
    text = text_for(config, content, "x")
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


def post_facebook(config: SocialSettings, content: PageContent, key: PostKey) -> Posted:
    """Graph API: POST /{page-id}/feed with the message and the link (its card shows the
    page's Open Graph image)."""
    base = config.facebook_api_url.rstrip("/")
    text = text_for(config, content, "facebook")
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


def post_linkedin(config: SocialSettings, content: PageContent, key: PostKey) -> Posted:
    """Posts API: POST /rest/posts as the organisation, with an article card."""
    base = config.linkedin_api_url.rstrip("/")
    text = text_for(config, content, "linkedin")
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


# Mastodon.py is told the server's version rather than asking the server (GET /api/v1/instance)
# before the first upload; from 3.1.4 on, it sends media to /api/v2/media.
MASTODON_VERSION = "4.0.0"


def _mastodon_error(error: MastodonError) -> SocialError:
    if isinstance(error, MastodonNetworkError):
        return SocialError(f"Mastodon could not be reached: {error}")
    if isinstance(error, MastodonAPIError) and len(error.args) == 4:
        _, status, reason, message = error.args
        return SocialError(f"Mastodon answered {status}: {message or reason}")
    return SocialError("Mastodon: " + " ".join(str(arg) for arg in error.args))


def post_mastodon(config: SocialSettings, content: PageContent, key: PostKey) -> Posted:
    """Mastodon.py: media_post for the image with its alt text, then status_post with an
    Idempotency-Key, so that the server (which keeps the key for an hour) recognises a retry
    of the same post and does not post it twice."""
    text = text_for(config, content, "mastodon")
    with requests.Session() as session:
        try:
            # The token is set after construction: Mastodon.py reads a token that names an
            # existing file from that file, which a settings field must never make it do.
            client = Mastodon(
                api_base_url=config.mastodon_url,
                mastodon_version=MASTODON_VERSION,
                version_check_mode="created",
                ratelimit_method="throw",
                request_timeout=TIMEOUT,
                session=session,
            )
            client.access_token = config.mastodon_access_token
            media_ids = []
            if content.image:
                media = client.media_post(
                    content.image,
                    mime_type=content.image_type,
                    description=content.image_alt or None,
                )
                media_ids.append(media["id"])
            status = client.status_post(
                text,
                visibility="public",
                media_ids=media_ids or None,
                idempotency_key=key.idempotency_key,
            )
        except MastodonError as error:
            raise _mastodon_error(error) from error
    return Posted(str(status["id"]), status.get("url") or "", text)


def _bluesky_error(error: Exception) -> SocialError:
    if isinstance(error, RequestErrorBase) and error.response is not None:
        return SocialError(f"Bluesky answered {error}")
    if isinstance(error, (RequestErrorBase, httpx.HTTPError)):
        return SocialError(f"Bluesky could not be reached: {error.__cause__ or error}")
    return SocialError(f"Bluesky answered something unexpected: {error}")


def _is_not_found(error: BadRequestError) -> bool:
    """A PDS answers getRecord for a missing record with 400 RecordNotFound (older ones with
    InvalidRequest, "Could not locate record")."""
    answer = error.response.content if error.response is not None else None
    if not isinstance(answer, models.common.XrpcError):
        return False
    return answer.error == "RecordNotFound" or (answer.message or "").startswith(
        "Could not locate record"
    )


def _link_card(client: Client, content: PageContent) -> models.AppBskyEmbedExternal.Main:
    thumb = None
    if content.image:
        upload = client.com.atproto.repo.upload_blob(
            content.image, headers={"Content-Type": content.image_type}
        )
        thumb = upload.blob
    return models.AppBskyEmbedExternal.Main(
        external=models.AppBskyEmbedExternal.External(
            uri=content.url,
            title=content.title,
            description=content.description[:300],
            thumb=thumb,
        )
    )


HASHTAG = re.compile(r"(?<![\w#])#(\w+)")


def _facet(text: str, start: int, end: int, feature) -> models.AppBskyRichtextFacet.Main:
    """A facet over text[start:end], its place counted in bytes of UTF-8 as Bluesky does."""
    byte_start = len(text[:start].encode("utf-8"))
    return models.AppBskyRichtextFacet.Main(
        index=models.AppBskyRichtextFacet.ByteSlice(
            byte_start=byte_start, byte_end=byte_start + len(text[start:end].encode("utf-8"))
        ),
        features=[feature],
    )


def _facets(text: str, url: str) -> list[models.AppBskyRichtextFacet.Main] | None:
    """The link and the hashtags, which Bluesky only makes clickable when they are facets."""
    facets = []
    start = text.find(url)
    if start >= 0:
        facets.append(
            _facet(text, start, start + len(url), models.AppBskyRichtextFacet.Link(uri=url))
        )
    for match in HASHTAG.finditer(text):
        if start >= 0 and start <= match.start() < start + len(url):
            continue
        facets.append(
            _facet(text, match.start(), match.end(), models.AppBskyRichtextFacet.Tag(tag=match[1]))
        )
    return facets or None


def _post_bluesky(
    client: Client, config: SocialSettings, content: PageContent, key: PostKey
) -> Posted:
    sessions = []
    client.on_session_change(lambda event, session: sessions.append(session))
    # The session names the account's DID; its Bluesky profile is not needed.
    client.login(config.bluesky_handle, config.bluesky_app_password, fetch_bsky_profile=False)
    did = sessions[-1].did
    text = text_for(config, content, "bluesky")
    link = f"https://bsky.app/profile/{did}/post/{key.record_key}"
    collection = models.ids.AppBskyFeedPost
    try:
        earlier = client.com.atproto.repo.get_record(
            models.ComAtprotoRepoGetRecord.Params(
                repo=did, collection=collection, rkey=key.record_key
            )
        )
    except BadRequestError as error:
        if not _is_not_found(error):
            raise
    else:
        return Posted(earlier.uri, link, getattr(earlier.value, "text", None) or text)
    record = models.AppBskyFeedPost.Record(
        text=text,
        created_at=datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        facets=_facets(text, content.url),
        embed=_link_card(client, content),
    )
    created = client.com.atproto.repo.create_record(
        models.ComAtprotoRepoCreateRecord.Data(
            repo=did, collection=collection, rkey=key.record_key, record=record
        )
    )
    return Posted(created.uri, link, text)


def post_bluesky(config: SocialSettings, content: PageContent, key: PostKey) -> Posted:
    """atproto's Client on the configured PDS: log in with the app password, then create an
    app.bsky.feed.post (link facet, link card with the image as its thumbnail) under the
    post's own record key. A record already under that key is an earlier attempt that got
    through, so it is returned instead of posting again."""
    client = Client(base_url=config.bluesky_url, request=Request(timeout=TIMEOUT))
    try:
        return _post_bluesky(client, config, content, key)
    except (AtProtocolError, httpx.HTTPError, ValueError) as error:
        raise _bluesky_error(error) from error
    finally:
        client.request.close()


ADAPTERS = {
    "x": post_x,
    "facebook": post_facebook,
    "linkedin": post_linkedin,
    "mastodon": post_mastodon,
    "bluesky": post_bluesky,
}
