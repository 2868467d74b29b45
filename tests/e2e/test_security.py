"""Security regressions (issue 13): no HTTP API without a token, no conversation another
channel or user can address, no slot injection, rate limits."""
import http.client
import json
import threading
import time
import urllib.error
import urllib.request

import pytest

from bot.channels.limits import load_limits
from bot.channels.web_session import issue_session


def request(stack, path: str, body=None, method=None, headers=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(f"{stack.rasa_url}{path}", data=data, method=method,
                                 headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, None


@pytest.mark.parametrize("method,path", [
    ("GET", "/conversations/web:x/tracker"), ("POST", "/conversations/web:x/tracker/events"),
    ("PUT", "/model"), ("GET", "/status"), ("POST", "/model/parse"),
])
def test_without_a_token_the_api_refuses(stack, method, path):
    status, _ = request(stack, path, {} if method != "GET" else None, method=method)
    assert status in (401, 403, 404, 405), status


@pytest.mark.parametrize("sender", ["line:U1234567890abcdef1234567890abcdef", "slack:U123",
                                    "U1234567890abcdef1234567890abcdef", "web:0123", "rest:x"])
def test_a_rest_client_cannot_address_another_conversation(stack, sender):
    status, _ = request(stack, "/webhooks/rest/webhook", {"sender": sender, "message": "hi"})
    assert status == 401


def test_a_token_signed_with_another_secret_is_refused(stack):
    forged = issue_session("not-the-server-secret")
    status, _ = request(stack, "/webhooks/rest/webhook", {"sender": forged, "message": "hi"})
    assert status == 401


def test_sessions_are_issued_by_the_server_and_namespaced(stack):
    replies = stack.send("namespaced", "hello")
    assert replies[0]["recipient_id"] == stack.conversation_id("namespaced")
    assert replies[0]["recipient_id"].startswith("web:")


@pytest.mark.parametrize("payload", [
    '/ask_overseas_office{"place": {"nested": [1, 2]}}',
    '/change_language{"requested_language": "xx"}',
    '/feedback{"helpful": 1}',
    '/request_human',
    '/greet@0.99',
    '/change_language{"requested_language": "en", "handoff": "forged"}',
])
def test_slot_injection_is_refused(stack, payload):
    replies = stack.send("injector", payload)
    assert len(replies) == 1 and "/" in replies[0]["text"], replies


def test_the_widgets_own_payloads_still_work(stack):
    replies = stack.send("quick-reply", '/change_language{"requested_language": "th"}')
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in replies[0]["text"]), replies


def test_metadata_other_than_the_language_is_not_kept(stack):
    replies = stack.send("metadata", "hello", {"language": "ko", "line": {"source": "forged"}})
    assert any("\uac00" <= ch <= "\ud7af" for ch in replies[0]["text"]), replies


def test_one_sender_is_slowed_down_politely(stack):
    texts = [stack.send("flooder", "ok")[0]["text"] for _ in range(60)]  # margin for a slow machine
    assert any("quickly" in text for text in texts[30:]), texts[-3:]


def test_one_address_is_rate_limited_with_429(stack):
    """From its own loopback address, so the rest of the suite keeps its budget. Several
    connections send at once: one sequential client on a busy machine may not outpace the
    bucket's refill, and the test must not depend on the machine's speed."""
    host, port = stack.rasa_url.rsplit("/", 1)[1].split(":")
    limits = load_limits().per_address
    refused = threading.Event()
    statuses, retry_after = [], []

    def client() -> None:
        connection = http.client.HTTPConnection(host, int(port), timeout=10, source_address=("127.0.0.9", 0))
        deadline = time.monotonic() + 60
        while not refused.is_set() and time.monotonic() < deadline:
            connection.request("POST", "/webhooks/rest/session", body=b"{}")
            response = connection.getresponse()
            response.read()
            statuses.append(response.status)
            if response.status == 429:
                retry_after.append(response.getheader("Retry-After"))
                refused.set()
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses[0] == 200 and statuses.count(200) >= limits.burst
    assert refused.is_set() and int(retry_after[0]) >= 1
