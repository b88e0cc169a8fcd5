"""The load benchmark's measurement (website/loadbench.py): the requests it offers and how it
times them, driven with Locust against a small local server."""

import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer, ThreadingHTTPServer

import pytest

from website.loadbench import drive, summarise


def _server(server_class, pause: float, status: int = 200):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            time.sleep(pause)
            body = b"ok"
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = server_class(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def one_at_a_time_server():
    """Answers one request at a time, each after 0.1 s: at most 10 a second."""
    server = _server(HTTPServer, 0.1)
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def quick_server():
    server = _server(ThreadingHTTPServer, 0.0)
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def failing_server():
    server = _server(ThreadingHTTPServer, 0.0, status=500)
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_every_request_offered_is_sent_and_counted(tmp_path, quick_server):
    result = drive(tmp_path, quick_server, "/page/", rate=20, seconds=2)

    assert result.requests == 40
    assert result.errors == 0
    assert result.rate == pytest.approx(20, rel=0.25)


def test_a_request_held_up_is_timed_from_when_it_was_due(tmp_path, one_at_a_time_server):
    """One request on the way at a time against a site that answers 10 a second: 40 offered
    in 2 s take 4 s, and the last ones wait about 2 s beyond the 0.1 s they take."""
    result = drive(tmp_path, one_at_a_time_server, "/", rate=20, seconds=2, users=1)

    assert result.requests == 40
    assert result.rate < 12
    assert result.p95 > 1000


def test_an_error_answer_is_counted_as_an_error(tmp_path, failing_server, monkeypatch):
    monkeypatch.setattr("website.loadbench.WARM_UP_VISITS", 0)  # the warm-up would raise

    result = drive(tmp_path, failing_server, "/", rate=10, seconds=1)

    assert result.requests == 10
    assert result.errors == 10


def test_summary_percentiles_and_rate_from_locusts_buckets():
    entry = {
        "num_requests": 100,
        "num_failures": 2,
        "response_times": {"10": 90, "50": 5, "200": 5},
        "start_time": 1000.0,
        "last_request_timestamp": 1004.0,
    }

    result = summarise("/", entry)

    assert (result.p50, result.p95, result.p99) == (10, 50, 200)
    assert result.rate == 25
    assert (result.requests, result.errors) == (100, 2)


def test_a_page_never_answered_has_no_figures():
    result = summarise("/", None)

    assert result.requests == 0
    assert result.rate == 0
