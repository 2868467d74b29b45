"""The console against the real stack: Rasa and the action service with LINE and Slack enabled
and pointed at local fakes of their APIs (tests/bot/fake_*.py), and the console beside them.

The security tests use HTTP directly; the staff's work (sign-in, Ask in every language, the
inbox, replies to the widget, LINE and Slack, claim and close, translation review) runs in
Debian's Chromium (tests/console/console.test.mjs). This module seeds a LINE and a Slack
conversation that ask for a person, runs the browser tests, then checks what reached the fake
LINE and Slack APIs. Runs in the Rasa environment, which has the fakes' aiohttp.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Iterator, List, Tuple

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "bot"))

from fake_line_api import FakeLineApi  # noqa: E402
from fake_slack_api import FakeSlackApi  # noqa: E402
from test_slack_channel import message_event, signed  # noqa: E402

from bot.channels.line import compute_signature  # noqa: E402
from bot.launcher import ACTIONS_PYTHON, Stack, free_port, start_console, start_stack  # noqa: E402

WIDGET_PORT = free_port()
"""Where console.test.mjs serves the widget (the stack's CORS origin)."""

LINE_SECRET, LINE_TOKEN = "console-test-line-secret", "console-test-line-token"
SLACK_SECRET, SLACK_TOKEN = "console-test-slack-secret", "xoxb-console-test"
EDITOR, STAFF = ("editor-aiko", "editor password 1"), ("staff-ben", "staff password 22")
HANDOFF_REQUEST = "I want to talk to a person"
BROWSER_TESTS = Path(__file__).resolve().parent / "console.test.mjs"


class Console:
    def __init__(self, stack: Stack, url: str, line: FakeLineApi, slack: FakeSlackApi) -> None:
        self.stack, self.url, self.line, self.slack = stack, url, line, slack
        self.line_user = "U" + uuid.uuid4().hex
        self.slack_body = message_event(HANDOFF_REQUEST, channel_type="im")

    @property
    def line_conversation(self) -> str:
        """The conversation id the LINE channel gives its user (ids are namespaced per channel)."""
        return "line:" + self.line_user

    @property
    def slack_conversation(self) -> str:
        return "slack:" + self.slack_body["event"]["user"]


def create_user(stack: Stack, name: str, password: str, role: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(ACTIONS_PYTHON), "-m", "console.accounts", name, "--role", role],
        input=password + "\n", text=True, capture_output=True, env=stack.env, cwd=ROOT,
    )


def line_handoff(console: Console) -> None:
    body = {"destination": "U" + "0" * 32, "events": [{
        "type": "message", "mode": "active", "timestamp": int(time.time() * 1000),
        "source": {"type": "user", "userId": console.line_user},
        "webhookEventId": uuid.uuid4().hex.upper(), "deliveryContext": {"isRedelivery": False},
        "replyToken": uuid.uuid4().hex,
        "message": {"id": str(uuid.uuid4().int)[:18], "type": "text", "text": HANDOFF_REQUEST},
    }]}
    raw = json.dumps(body).encode()
    response = requests.post(f"{console.stack.rasa_url}/webhooks/line/webhook", data=raw,
                             timeout=10, headers={"Content-Type": "application/json",
                                                  "X-Line-Signature": compute_signature(LINE_SECRET, raw)})
    assert response.status_code == 200
    assert console.line.wait_for(lambda api: api.replies(), timeout=60), console.line.rejected


def slack_handoff(console: Console) -> None:
    raw, headers = signed(console.slack_body, secret=SLACK_SECRET)
    response = requests.post(f"{console.stack.rasa_url}/webhooks/slack/webhook", data=raw,
                             headers=headers, timeout=10)
    assert response.status_code == 200
    assert console.slack.wait_for(lambda api: api.posts, timeout=60), console.slack.rejected


@pytest.fixture(scope="module")
def console() -> Iterator[Console]:
    line = FakeLineApi(access_token=LINE_TOKEN).start()
    slack = FakeSlackApi(bot_token=SLACK_TOKEN).start()
    stack = None
    try:
        stack = start_stack(extra_env={
            # the browser test serves the widget from this port: the only origin CORS allows
            "CORS_ORIGINS": f"http://127.0.0.1:{WIDGET_PORT}",
            "LINE_CHANNEL_SECRET": LINE_SECRET, "LINE_CHANNEL_ACCESS_TOKEN": LINE_TOKEN,
            "LINE_API_BASE": line.url, "SLACK_BOT_TOKEN": SLACK_TOKEN,
            "SLACK_SIGNING_SECRET": SLACK_SECRET, "SLACK_API_BASE": slack.api_base,
        })
        running = Console(stack, start_console(stack), line, slack)
        for (name, password), role in ((EDITOR, "editor"), (STAFF, "staff")):
            created = create_user(stack, name, password, role)
            assert created.returncode == 0, created.stderr
        line_handoff(running)
        slack_handoff(running)
        yield running
    finally:
        if stack is not None:
            stack.stop()
        line.stop()
        slack.stop()


def signed_in(console: Console, user: Tuple[str, str]) -> requests.Session:
    session = requests.Session()
    csrf = csrf_of(session.get(f"{console.url}/login").text)
    response = session.post(f"{console.url}/login", allow_redirects=False,
                            data={"csrf": csrf, "name": user[0], "password": user[1]})
    assert response.status_code == 303, response.text[:500]
    return session


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def console_routes() -> List[Tuple[str, str]]:
    """(method, path) of every route of the console, from the application itself."""
    listing = subprocess.run(
        [str(ACTIONS_PYTHON), "-c",
         "import json; from starlette.routing import Route; from console.app import ROUTES;"
         "print(json.dumps([[m, r.path] for r in ROUTES if isinstance(r, Route) "
         "for m in sorted(r.methods - {'HEAD'})]))"],
        capture_output=True, text=True, cwd=ROOT, check=True,
    )
    return [tuple(route) for route in json.loads(listing.stdout)]


# -- security --------------------------------------------------------------------------------

PUBLIC = {("GET", "/health"), ("GET", "/login"), ("POST", "/login"), ("POST", "/language")}


def test_the_user_command_refuses_a_password_argument_and_a_short_password(console: Console) -> None:
    short = create_user(console.stack, "someone", "short", "staff")
    assert short.returncode != 0 and "at least 12" in short.stderr
    as_argument = subprocess.run(
        [str(ACTIONS_PYTHON), "-m", "console.accounts", "someone", "--password", "x" * 20],
        capture_output=True, text=True, env=console.stack.env, cwd=ROOT, input="")
    assert as_argument.returncode != 0


def test_every_route_refuses_a_request_without_a_session(console: Console) -> None:
    conversation = console.line_conversation
    routes = console_routes()
    assert ("GET", "/inbox/{conversation_id:path}") in routes
    checked = 0
    for method, template in routes:
        if (method, template) in PUBLIC:
            continue
        path = (template.replace("{conversation_id:path}", conversation)
                .replace("{language}", "en").replace("{passage_id}", "d1-s2-background")
                .replace("{delivery_id}", "0" * 32))
        response = requests.request(method, console.url + path, allow_redirects=False,
                                    data={"status": "closed", "text": "x", "question": "x"})
        assert response.status_code in (303, 401), (method, path, response.status_code)
        if response.status_code == 303:
            assert response.headers["location"] == "/login"
        assert HANDOFF_REQUEST not in response.text and conversation not in response.text
        checked += 1
    assert checked >= 15
    # Nothing changed without a session: the LINE conversation is still open.
    page = signed_in(console, STAFF).get(f"{console.url}/inbox/{conversation}").text
    assert 'id="status">' in page and "status-open" in page


def test_the_session_cookie_is_http_only_and_never_sent_cross_site(console: Console) -> None:
    response = requests.get(f"{console.url}/login")
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain HTTP on loopback; Secure when served over HTTPS
    proxied = requests.get(f"{console.url}/login", headers={"X-Forwarded-Proto": "https"})
    assert "; Secure" in proxied.headers["set-cookie"]


def test_login_is_rate_limited(console: Console) -> None:
    session = requests.Session()
    name = "rate-limited-user"
    assert create_user(console.stack, name, "a good password", "staff").returncode == 0
    statuses = []
    for _ in range(6):
        csrf = csrf_of(session.get(f"{console.url}/login").text)
        statuses.append(session.post(f"{console.url}/login", allow_redirects=False,
                                     data={"csrf": csrf, "name": name, "password": "wrong"}).status_code)
    assert statuses[:5] == [401] * 5 and statuses[5] == 429
    csrf = csrf_of(session.get(f"{console.url}/login").text)
    right = session.post(f"{console.url}/login", allow_redirects=False,
                         data={"csrf": csrf, "name": name, "password": "a good password"})
    assert right.status_code == 429  # even the right password waits


def test_a_login_form_without_its_csrf_token_is_refused(console: Console) -> None:
    session = requests.Session()
    session.get(f"{console.url}/login")
    response = session.post(f"{console.url}/login", allow_redirects=False,
                            data={"name": STAFF[0], "password": STAFF[1]})
    assert response.status_code == 403


def test_a_staff_account_cannot_reach_the_editor_pages(console: Console) -> None:
    staff = signed_in(console, STAFF)
    for path in ("/review", "/review/en", "/review/en/d1-s2-background", "/review/en/patch"):
        response = staff.get(console.url + path, allow_redirects=False)
        assert response.status_code == 403, path
        assert "status: reviewed" not in response.text
    csrf = csrf_of(staff.get(f"{console.url}/ask").text)
    decided = staff.post(f"{console.url}/review/en/d1-s2-background", allow_redirects=False,
                         data={"csrf": csrf, "decision": "reviewed"})
    assert decided.status_code == 403
    assert signed_in(console, EDITOR).get(f"{console.url}/review/en").status_code == 200


def test_request_bodies_are_bounded(console: Console) -> None:
    staff = signed_in(console, STAFF)
    response = staff.post(f"{console.url}/ask", data={"question": "x" * 100_000})
    assert response.status_code == 413


def test_staff_endpoints_need_the_token(console: Console) -> None:
    url = f"{console.stack.rasa_url}/webhooks/staff/parse"
    assert requests.post(url, json={"text": "hello"}).status_code == 401
    assert requests.post(url, json={"text": "hello"},
                         headers={"Authorization": "Bearer wrong"}).status_code == 401
    good = {"Authorization": f"Bearer {console.stack.env['STAFF_API_TOKEN']}"}
    parsed = requests.post(url, json={"text": "hello"}, headers=good)
    assert parsed.status_code == 200 and parsed.json()["intent"]["name"]
    assert requests.post(url, json={"text": "x" * 5000}, headers=good).status_code == 400


# -- the staff's work, in the browser ----------------------------------------------------------

def test_console_in_headless_chromium(console: Console) -> None:
    nonce = uuid.uuid4().hex[:8]
    replies = {"LINE": f"LINE staff reply {nonce}", "SLACK": f"Slack staff reply {nonce}"}
    env = {
        "CONSOLE_URL": console.url, "RASA_URL": console.stack.rasa_url,
        "EDITOR_NAME": EDITOR[0], "EDITOR_PASSWORD": EDITOR[1],
        "LINE_CONVERSATION": console.line_conversation,
        "SLACK_CONVERSATION": console.slack_conversation,
        "LINE_REPLY": replies["LINE"], "SLACK_REPLY": replies["SLACK"],
        "PATH": "/usr/bin:/bin:/usr/local/bin", "WIDGET_PORT": str(WIDGET_PORT),
    }
    result = subprocess.run(["node", "--test", str(BROWSER_TESTS)], cwd=BROWSER_TESTS.parent,
                            env={**os.environ, **env}, capture_output=True,
                            text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-3000:]

    pushes = [c for c in console.line.pushes() if c.body["to"] == console.line_user]
    assert [c.body["messages"] for c in pushes] == [[{"type": "text", "text": replies["LINE"]}]]
    assert pushes[0].headers["Authorization"] == f"Bearer {LINE_TOKEN}"
    event = console.slack_body["event"]
    posts = [p for p in console.slack.posts if p.text == replies["SLACK"]]
    assert len(posts) == 1
    assert posts[0].channel == event["channel"] and posts[0].thread_ts == event["ts"]
    assert console.line.rejected == [] and console.slack.rejected == []


def test_a_failed_delivery_is_shown_and_kept_for_a_retry(console: Console) -> None:
    staff = signed_in(console, STAFF)
    page = f"{console.url}/inbox/{console.line_conversation}"
    text = f"Reply while LINE refuses us {uuid.uuid4().hex[:6]}"
    console.line.access_token = "a token LINE no longer accepts"
    try:
        failed = staff.post(f"{page}/reply", data={"csrf": csrf_of(staff.get(page).text), "text": text})
    finally:
        console.line.access_token = LINE_TOKEN
    assert failed.status_code == 502
    assert "HTTP 401" in failed.text and text in failed.text  # the reason, and the reply kept
    assert text not in transcript_of(staff.get(page).text), "nothing recorded as delivered"
    retry = re.search(r'action="(/outbox/[0-9a-f]+/retry)"', staff.get(page).text).group(1)
    staff.post(console.url + retry, data={"csrf": csrf_of(staff.get(page).text)})
    after = staff.get(page).text
    assert text in transcript_of(after) and 'class="unsent"' not in after
    assert [c.body["messages"][0]["text"] for c in console.line.pushes()
            if c.body["to"] == console.line_user][-1] == text


def transcript_of(page: str) -> str:
    return page[page.index('<ol class="transcript">'):page.index("</ol>")]


def test_deliver_is_idempotent_and_refuses_unknown_conversations(console: Console) -> None:
    url = f"{console.stack.rasa_url}/webhooks/staff/deliver"
    auth = {"Authorization": f"Bearer {console.stack.env['STAFF_API_TOKEN']}"}
    body = {"conversation_id": console.slack_conversation, "text": "Once only",
            "staff": "tester", "delivery_id": uuid.uuid4().hex}
    first = requests.post(url, json=body, headers=auth)
    again = requests.post(url, json=body, headers=auth)
    assert first.json() == {"channel": "slack", "status": "sent"}
    assert again.json() == {"channel": "slack", "status": "already_sent"}
    assert len([p for p in console.slack.posts if p.text == "Once only"]) == 1
    unknown = requests.post(url, json={**body, "conversation_id": "web-nobody"}, headers=auth)
    assert unknown.status_code == 404
    assert requests.post(url, json={"text": "x"}, headers=auth).status_code == 400
    assert requests.post(url, json={**body, "text": "x" * 5000}, headers=auth).status_code == 400
