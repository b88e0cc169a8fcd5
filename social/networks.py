"""One adapter per network. X, Facebook and LinkedIn speak the network's documented HTTP API
with `requests`; Mastodon goes through Mastodon.py and Bluesky through atproto's Client, the
maintained clients of those APIs. Every adapter takes its API address from the settings, so
tests point it at a local server.

An adapter posts once and returns the post's id and link, or raises SocialError with a
sentence a coordinator can act on: the network's own message when it gave one, what went
wrong with the connection when it did not answer; never a Python exception's text.

X is reached with an OAuth 2.0 user token that lasts two hours: with a refresh token (and
the app's client id) it is renewed before it expires, and the new pair is stored encrypted."""

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http import HTTPStatus

import httpx
import requests
from atproto import Client, Request, models
from atproto.exceptions import AtProtocolError, BadRequestError, RequestErrorBase
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from mastodon import Mastodon, MastodonAPIError, MastodonError, MastodonNetworkError

from social.content import PageContent, text_for
from social.models import SocialSettings

TIMEOUT = 30
logger = logging.getLogger(__name__)
UNEXPECTED = gettext_lazy(
    "%(network)s answered something unexpected, not what its API documents (the details are "
    "in the server's log). Retry later; if it happens again, tell the site's developers."
)


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


def _readable(text: str, limit: int = 300) -> str:
    """A network's message as plain words: no markup, one line, not too long."""
    words = " ".join(strip_tags(text or "").split())
    return words if len(words) <= limit else words[: limit - 1] + "…"


def _network_message(body: object) -> str:
    """The message in a network's error answer, in the shapes the APIs document: X's
    `detail` or `errors`, Graph's `error.message`, LinkedIn's `message`, OAuth's
    `error_description`."""
    if not isinstance(body, dict):
        return ""
    error = body.get("error")
    if isinstance(error, dict) and error.get("message"):
        return str(error["message"])
    for name in ("detail", "message", "error_description", "title"):
        if isinstance(body.get(name), str) and body[name]:
            return body[name]
    errors = body.get("errors")
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        return str(errors[0].get("message") or errors[0].get("detail") or "")
    return error if isinstance(error, str) else ""


def answered(network: str, status: int, message: str = "") -> SocialError:
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = ""
    message = _readable(message) or phrase
    if message:
        return SocialError(
            _("%(network)s answered %(status)s: %(message)s")
            % {"network": network, "status": status, "message": message}
        )
    return SocialError(
        _("%(network)s answered %(status)s.") % {"network": network, "status": status}
    )


def _chain(error: BaseException | None):
    while error is not None:
        yield error
        error = error.__cause__ or error.__context__


def unreachable(network: str, error: BaseException) -> SocialError:
    """The connection failed: say how, in words, with what to do about it."""
    chain = list(_chain(error))
    text = " ".join(str(link) for link in chain).lower()
    if any(isinstance(link, (requests.Timeout, httpx.TimeoutException)) for link in chain) or (
        "timed out" in text or "timeout" in text
    ):
        reason = _("it did not answer within %(seconds)s seconds") % {"seconds": TIMEOUT}
    elif any(isinstance(link, requests.exceptions.SSLError) for link in chain) or (
        "certificate" in text or "ssl" in text
    ):
        reason = _("its security certificate could not be verified")
    elif "name or service not known" in text or "getaddrinfo" in text or "resolve" in text:
        reason = _("its address could not be found")
    else:
        reason = _("the connection was refused or cut off")
    return SocialError(
        _(
            "%(network)s could not be reached: %(reason)s. If the network is down, retry "
            "later; otherwise check its address in the social network settings."
        )
        % {"network": network, "reason": reason}
    )


def _check(response: requests.Response, network: str) -> dict:
    if response.status_code >= 400:
        try:
            message = _network_message(response.json())
        except ValueError:
            message = ""
        raise answered(network, response.status_code, message)
    try:
        return response.json() if response.content else {}
    except ValueError as error:
        raise SocialError(
            _("%(network)s answered with something other than its API's answer: %(text)s")
            % {"network": network, "text": _readable(response.text, 200)}
        ) from error


def _request(method: str, url: str, network: str, **kwargs) -> requests.Response:
    try:
        return requests.request(method, url, timeout=TIMEOUT, **kwargs)
    except requests.RequestException as error:
        raise unreachable(network, error) from error


# An X access token is renewed when it has less than this left.
X_REFRESH_MARGIN = timedelta(minutes=5)


def x_access_token(config: SocialSettings) -> str:
    """The X access token to use now: renewed first, when a refresh token is stored and the
    access token expires within five minutes (or its expiry is unknown). X refresh tokens
    work once, so the settings row stays locked while one is spent, and the new pair is
    stored before anything else is sent."""
    now = timezone.now()
    if not config.x_refresh_token:
        return config.x_access_token
    if config.x_token_expires_at and config.x_token_expires_at > now + X_REFRESH_MARGIN:
        return config.x_access_token
    with transaction.atomic():
        locked = SocialSettings.objects.select_for_update().get(pk=config.pk)
        fresh = locked.x_token_expires_at and locked.x_token_expires_at > now + X_REFRESH_MARGIN
        if not fresh:
            _refresh_x_token(locked, now)
    config.x_access_token = locked.x_access_token
    config.x_refresh_token = locked.x_refresh_token
    config.x_token_expires_at = locked.x_token_expires_at
    return config.x_access_token


def _refresh_x_token(config: SocialSettings, now: datetime) -> None:
    """POST /2/oauth2/token with grant_type=refresh_token: a public client names itself
    with client_id, a confidential one with HTTP basic auth."""
    auth = (config.x_client_id, config.x_client_secret) if config.x_client_secret else None
    response = _request(
        "POST",
        f"{config.x_api_url.rstrip('/')}/2/oauth2/token",
        "X",
        data={
            "grant_type": "refresh_token",
            "refresh_token": config.x_refresh_token,
            "client_id": config.x_client_id,
        },
        auth=auth,
    )
    try:
        answer = _check(response, "X")
        access, lifetime = answer["access_token"], int(answer.get("expires_in") or 7200)
    except (SocialError, KeyError, TypeError, ValueError) as error:
        raise SocialError(
            _(
                "X refused to renew the access token (%(reason)s). Connect the app to X "
                "again and enter the new tokens in the social network settings."
            )
            % {"reason": str(error).removeprefix("X answered ") if str(error) else "?"}
        ) from error
    config.x_access_token = access
    config.x_refresh_token = answer.get("refresh_token") or config.x_refresh_token
    config.x_token_expires_at = now + timedelta(seconds=lifetime)
    config.save(update_fields=["x_access_token", "x_refresh_token", "x_token_expires_at"])


def post_x(config: SocialSettings, content: PageContent, key: PostKey) -> Posted:
    """X API v2: POST /2/media/upload for the image, POST /2/tweets for the post."""
    base = config.x_api_url.rstrip("/")
    headers = {"Authorization": f"Bearer {x_access_token(config)}"}
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
            "LinkedIn-Version": settings.LINKEDIN_API_VERSION,
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
        return unreachable("Mastodon", error)
    if isinstance(error, MastodonAPIError) and len(error.args) == 4:
        _message, status, reason, message = error.args
        if isinstance(status, int):
            return answered("Mastodon", status, str(message or reason or ""))
    logger.warning("Mastodon: %r", error)
    return SocialError(UNEXPECTED % {"network": "Mastodon"})


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
        answer = error.response.content
        if isinstance(answer, models.common.XrpcError):
            message = " ".join(part for part in (answer.error, answer.message) if part)
        else:
            message = answer if isinstance(answer, str) else ""
        return answered("Bluesky", error.response.status_code, message)
    if isinstance(error, (RequestErrorBase, httpx.HTTPError)):
        return unreachable("Bluesky", error)
    logger.warning("Bluesky: %r", error)
    return SocialError(UNEXPECTED % {"network": "Bluesky"})


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
