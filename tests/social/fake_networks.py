"""A local stand-in for the networks' APIs (http.server on 127.0.0.1, a free port): it
records every request and answers as the real API documents, or with an error when told."""

import json
import threading
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


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

    def multipart(self) -> dict[str, bytes]:
        content_type = self.headers["content-type"]
        message = BytesParser(policy=HTTP).parsebytes(
            f"Content-Type: {content_type}\r\n\r\n".encode() + self.body
        )
        return {
            part.get_param("name", header="content-disposition"): part.get_payload(decode=True)
            for part in message.iter_parts()
        }


@dataclass
class FakeNetworks:
    requests: list[Request] = field(default_factory=list)
    fail: dict[str, tuple[int, dict]] = field(default_factory=dict)
    statuses: int = 0

    def answer(self, request: Request) -> tuple[int, dict, dict]:
        for prefix, (status, body) in self.fail.items():
            if request.path.startswith(prefix):
                return status, body, {}
        path = request.path.split("?", 1)[0]
        if path == "/2/media/upload":
            return 200, {"data": {"id": "1146654567674912769"}}, {}
        if path == "/2/tweets":
            return 201, {"data": {"id": "1445880548472328192", "text": "x"}}, {}
        if path.endswith("/feed"):
            return 200, {"id": "123_456"}, {}
        if path == "/rest/posts":
            return 201, {}, {"x-restli-id": "urn:li:share:6844785523593134080"}
        if path == "/api/v2/media":
            return 200, {"id": "22348641", "type": "image"}, {}
        if path == "/api/v1/statuses":
            self.statuses += 1
            return 200, {"id": "103704874086360371", "url": "https://social.example/@iln/1"}, {}
        if path == "/xrpc/com.atproto.server.createSession":
            return 200, {"accessJwt": "jwt-abc", "did": "did:plc:iln", "handle": "iln.example"}, {}
        if path == "/xrpc/com.atproto.repo.uploadBlob":
            blob = {"$type": "blob", "ref": {"$link": "bafk"}, "mimeType": "image/jpeg", "size": 9}
            return 200, {"blob": blob}, {}
        if path == "/xrpc/com.atproto.repo.createRecord":
            return 200, {"uri": "at://did:plc:iln/app.bsky.feed.post/3k2a", "cid": "bafy"}, {}
        return 404, {"error": "not found"}, {}


def serve(networks: FakeNetworks) -> tuple[ThreadingHTTPServer, str]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            request = Request(
                "POST",
                self.path,
                {key.lower(): value for key, value in self.headers.items()},
                self.rfile.read(length),
            )
            networks.requests.append(request)
            status, body, headers = networks.answer(request)
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"
