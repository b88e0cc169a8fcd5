"""A local stand-in for the networks' APIs (http.server on 127.0.0.1, a free port): it
records every request and answers as the real API documents, or with an error when told.

Like the real servers, it keeps what was posted: Mastodon answers a repeated Idempotency-Key
with the status it already made, and the Bluesky repository holds every record created, so
getRecord finds it (and answers RecordNotFound for any other record key)."""

import base64
import json
import threading
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

BLUESKY_DID = "did:plc:iln"
BLUESKY_HANDLE = "iln.example"
BLOB_CID = "bafkreibme22gw2h7y2h7tg2fhqotaqjucnbc24deqo72b6mkl2egezxhvy"
RECORD_CID = "bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm"
MASTODON_MEDIA_ID = "22348641"
MASTODON_STATUS = {
    "id": "103704874086360371",
    "uri": "https://social.example/users/iln/statuses/103704874086360371",
    "url": "https://social.example/@iln/1",
    "created_at": "2024-05-01T10:00:00.000Z",
    "visibility": "public",
}


def _base64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def session_jwt(scope: str, lifetime: int) -> str:
    """A token shaped as the PDS issues them (the clients read its expiry); not signed."""
    now = int(time.time())
    header = {"typ": "at+jwt" if scope == "com.atproto.appPass" else "refresh+jwt", "alg": "ES256K"}
    claims = {"scope": scope, "sub": BLUESKY_DID, "iat": now, "exp": now + lifetime}
    parts = (json.dumps(header).encode(), json.dumps(claims).encode(), b"signature")
    return ".".join(_base64url(part) for part in parts)


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self):
        return json.loads(self.body)

    @property
    def form(self) -> dict[str, list[str]]:
        return parse_qs(self.body.decode())

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.path).query)

    def parts(self) -> dict[str, EmailMessage]:
        """The parts of a multipart/form-data body, by field name."""
        message = BytesParser(policy=HTTP).parsebytes(
            f"Content-Type: {self.headers['content-type']}\r\n\r\n".encode() + self.body
        )
        return {
            part.get_param("name", header="content-disposition"): part
            for part in message.iter_parts()
        }

    def multipart(self) -> dict[str, bytes]:
        return {name: part.get_payload(decode=True) for name, part in self.parts().items()}


@dataclass
class FakeNetworks:
    requests: list[Request] = field(default_factory=list)
    # Path prefix -> (status, body): a dict is answered as JSON, bytes as an HTML page.
    fail: dict[str, tuple[int, dict | bytes]] = field(default_factory=dict)
    statuses: int = 0
    idempotency_keys: dict[str, dict] = field(default_factory=dict)
    records: dict[tuple[str, str], dict] = field(default_factory=dict)
    url: str = ""
    access_jwt: str = field(default_factory=lambda: session_jwt("com.atproto.appPass", 7200))
    refresh_jwt: str = field(default_factory=lambda: session_jwt("com.atproto.refresh", 86400))
    # X's OAuth 2.0: once a refresh token is set, the tokens it gives are the only ones taken,
    # and each refresh token works once (X rotates them).
    x_refresh_token: str = ""
    x_access_token: str = ""
    x_refreshes: int = 0

    def answer(self, request: Request) -> tuple[int, dict | bytes, dict]:
        for prefix, (status, body) in self.fail.items():
            if request.path.startswith(prefix):
                return status, body, {}
        path = urlsplit(request.path).path
        if path == "/2/oauth2/token":
            return self.x_token(request)
        bearer = request.headers.get("authorization")
        if (
            path.startswith("/2/")
            and self.x_access_token
            and bearer != f"Bearer {self.x_access_token}"
        ):
            return 401, {"title": "Unauthorized", "status": 401, "detail": "Unauthorized"}, {}
        if path == "/2/media/upload":
            return 200, {"data": {"id": "1146654567674912769"}}, {}
        if path == "/2/tweets":
            return 201, {"data": {"id": "1445880548472328192", "text": "x"}}, {}
        if path.endswith("/feed"):
            return 200, {"id": "123_456"}, {}
        if path == "/rest/posts":
            return 201, {}, {"x-restli-id": "urn:li:share:6844785523593134080"}
        if path == "/api/v2/media":
            return 200, {"id": MASTODON_MEDIA_ID, "type": "image", "url": None}, {}
        if path == "/api/v1/statuses":
            return 200, self.mastodon_status(request), {}
        if path.startswith("/xrpc/"):
            return self.bluesky(request, path.removeprefix("/xrpc/"))
        return 404, {"error": "not found"}, {}

    def x_token(self, request: Request) -> tuple[int, dict, dict]:
        form = {name: values[0] for name, values in request.form.items()}
        if form.get("grant_type") != "refresh_token" or not form.get("client_id"):
            return 400, {"error": "invalid_request", "error_description": "Missing"}, {}
        if form.get("refresh_token") != self.x_refresh_token:
            description = "Value passed for the token was invalid."
            return 400, {"error": "invalid_request", "error_description": description}, {}
        self.x_refreshes += 1
        self.x_access_token = f"x-access-{self.x_refreshes}"
        self.x_refresh_token = f"x-refresh-{self.x_refreshes}"
        answer = {
            "token_type": "bearer",
            "expires_in": 7200,
            "access_token": self.x_access_token,
            "scope": "tweet.write users.read tweet.read offline.access",
            "refresh_token": self.x_refresh_token,
        }
        return 200, answer, {}

    def mastodon_status(self, request: Request) -> dict:
        key = request.headers.get("idempotency-key")
        if key and key in self.idempotency_keys:
            return self.idempotency_keys[key]
        self.statuses += 1
        status = dict(MASTODON_STATUS)
        if key:
            self.idempotency_keys[key] = status
        return status

    def bluesky(self, request: Request, method: str) -> tuple[int, dict, dict]:
        if method == "com.atproto.server.createSession":
            return 200, self.bluesky_session(), {}
        if method == "com.atproto.repo.getRecord":
            query = {name: values[0] for name, values in request.query.items()}
            uri = f"at://{query['repo']}/{query['collection']}/{query['rkey']}"
            record = self.records.get((query["collection"], query["rkey"]))
            if query["repo"] != BLUESKY_DID or record is None:
                message = f"Could not locate record: {uri}"
                return 400, {"error": "RecordNotFound", "message": message}, {}
            return 200, {"uri": uri, "cid": RECORD_CID, "value": record}, {}
        if request.headers.get("authorization") != f"Bearer {self.access_jwt}":
            return 401, {"error": "AuthenticationRequired", "message": "Invalid token"}, {}
        if method == "com.atproto.repo.uploadBlob":
            blob = {
                "$type": "blob",
                "ref": {"$link": BLOB_CID},
                "mimeType": request.headers.get("content-type", ""),
                "size": len(request.body),
            }
            return 200, {"blob": blob}, {}
        if method == "com.atproto.repo.createRecord":
            body = request.json
            rkey = body["rkey"]
            self.records[(body["collection"], rkey)] = body["record"]
            return (
                200,
                {
                    "uri": f"at://{BLUESKY_DID}/{body['collection']}/{rkey}",
                    "cid": RECORD_CID,
                    "commit": {"cid": RECORD_CID, "rev": "3k2a7hmwxyz22"},
                    "validationStatus": "valid",
                },
                {},
            )
        return 501, {"error": "MethodNotImplemented", "message": "Method Not Implemented"}, {}

    def bluesky_session(self) -> dict:
        return {
            "did": BLUESKY_DID,
            "handle": BLUESKY_HANDLE,
            "accessJwt": self.access_jwt,
            "refreshJwt": self.refresh_jwt,
            "active": True,
            "didDoc": {
                "@context": ["https://www.w3.org/ns/did/v1"],
                "id": BLUESKY_DID,
                "alsoKnownAs": [f"at://{BLUESKY_HANDLE}"],
                "verificationMethod": [],
                "service": [
                    {
                        "id": "#atproto_pds",
                        "type": "AtprotoPersonalDataServer",
                        "serviceEndpoint": self.url,
                    }
                ],
            },
        }


def serve(networks: FakeNetworks) -> tuple[ThreadingHTTPServer, str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.handle_request("GET")

        def do_POST(self) -> None:
            self.handle_request("POST")

        def handle_request(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            request = Request(
                method,
                self.path,
                {key.lower(): value for key, value in self.headers.items()},
                self.rfile.read(length),
            )
            networks.requests.append(request)
            status, body, headers = networks.answer(request)
            if isinstance(body, bytes):
                payload, content_type = body, "text/html; charset=utf-8"
            else:
                payload, content_type = json.dumps(body).encode(), "application/json"
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    networks.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, networks.url
