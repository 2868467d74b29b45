"""Hostile input (issue 13): each is answered or refused with a 4xx within 2 s, a normal
message from another sender sent at the same time is answered within 1 s, and the action
service does not keep the memory."""
import concurrent.futures
import json
import socket
import time
from pathlib import Path

import pytest

PLACE_NAMES = "韓国 中国 ロシア タイ シンガポール 札幌 " * 60


def raw_post(stack, body: bytes):
    """POST raw bytes to the REST webhook like a browser would; (status, seconds).

    The headers go first: a server that refuses the declared size answers at once (413), and
    the body is then not sent (a client writing it anyway would only see the connection reset).
    """
    host, port = stack.rasa_url.rsplit("/", 1)[1].split(":")
    head = (f"POST /webhooks/rest/webhook HTTP/1.1\r\nHost: {host}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
            "Connection: close\r\n\r\n").encode()
    started = time.monotonic()
    with socket.create_connection((host, int(port)), timeout=60) as connection:
        connection.sendall(head)
        connection.settimeout(0.3)
        try:
            answer = connection.recv(65536)
        except socket.timeout:
            answer = b""
        connection.settimeout(60)
        if not answer:
            connection.sendall(body)
            answer = connection.recv(65536)
        while b"\r\n" not in answer:
            answer += connection.recv(65536)
    return int(answer.split(b" ", 2)[1]), time.monotonic() - started


def message(stack, sender: str, text) -> bytes:
    return json.dumps({"sender": stack.session(sender), "message": text}).encode("utf-8")


HOSTILE = {
    "1 MB of text": lambda s: message(s, "h-text", "北海道" * 350_000),
    "100 KB of markup": lambda s: message(s, "h-markup", "<div><b>x</b></div>" * 5_300),
    "repeated place names": lambda s: message(s, "h-places", PLACE_NAMES),
    "malformed JSON": lambda s: b'{"sender": "x", "message": "hi"',
    "non-string fields": lambda s: json.dumps({"sender": s.session("h-types"),
                                               "message": {"text": ["hi"]}}).encode(),
    "lone surrogates": lambda s: b'{"sender": "%s", "message": "\\ud800\\udfff\\udc00 hi"}'
    % s.session("h-surrogate").encode(),
    "deeply nested JSON": lambda s: b'{"sender": ' + b"[" * 50_000 + b"]" * 50_000 + b"}",
}


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("VmRSS")).split()[1]) / 1024


@pytest.fixture(scope="module")
def action_rss(stack):
    actions = stack.processes[0]
    before = rss_mb(actions.pid)
    yield
    assert rss_mb(actions.pid) - before < 50, "the action service kept the memory"


@pytest.mark.parametrize("name,build", [
    pytest.param(name, *case.values, marks=case.marks) if hasattr(case, "values")
    else (name, case) for name, case in HOSTILE.items()])
def test_hostile_input_is_bounded_and_others_are_served(stack, action_rss, name, build):
    body = build(stack)
    stack.send(f"bystander-{name}", "hello")  # its session and first turn, before the clock
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        hostile = pool.submit(raw_post, stack, body)
        time.sleep(0.05)
        normal = pool.submit(raw_post, stack, message(stack, f"bystander-{name}", "Hello there"))
        (status, seconds), (normal_status, normal_seconds) = hostile.result(), normal.result()
    assert status == 200 or 400 <= status < 500, status
    assert seconds < 2, f"{name}: {seconds:.1f} s"
    assert normal_status == 200 and normal_seconds < 1, f"bystander waited {normal_seconds:.1f} s"


def test_a_long_message_is_cut_and_the_reply_says_so(stack):
    replies = stack.send("long-ru", "Где находится офис Хоккайдо в Корее? " * 100)
    assert "2,000" in replies[0]["text"] and "символ" in replies[0]["text"], replies
    assert len(replies) > 1
