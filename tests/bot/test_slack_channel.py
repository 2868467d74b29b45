"""Tests of the Slack channel (Rasa's connector, via bot/channels/slack.py).

1. The channel's HTTP endpoint on a Sanic server in this process, with a scripted bot in place of
   Rasa, posting to the fake Slack Web API (tests/bot/fake_slack_api.py).
2. The real Rasa server (tests/support/stack.py) with the Slack channel enabled and pointed at the
   fake Web API through SLACK_API_BASE.

Requests are signed the way Slack signs them: ``X-Slack-Signature: v0=<hex HMAC-SHA256 of
"v0:<timestamp>:<raw body>">`` with the signing secret, plus ``X-Slack-Request-Timestamp``.
"""

from __future__ import annotations

import asyncio
import copy
import hashlib
import hmac
import json
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import aiohttp
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from channel_server import serve_channel  # noqa: E402
from fake_slack_api import FakeSlackApi  # noqa: E402

from bot.channels.slack import SlackInput, event_key  # noqa: E402
from tests.support.stack import start_stack  # noqa: E402

SIGNING_SECRET = "test-slack-signing-secret"
BOT_TOKEN = "xoxb-test-bot-token"
BOT_USER = "U0BOTUSER1"


# ----------------------------------------------------------------------------------------------
# helpers
# ----------------------------------------------------------------------------------------------


def slack_ts() -> str:
    """A fresh Slack message timestamp ("seconds.micro"), unique per call."""
    now = time.time()
    return f"{int(now)}.{int((now % 1) * 1_000_000):06d}"


def message_event(text: str, channel_type: str = "im", ts: Optional[str] = None,
                  user: Optional[str] = None, channel: Optional[str] = None,
                  event_type: str = "message") -> Dict[str, Any]:
    """An Events API ``event_callback`` body carrying one user message."""
    ts = ts or slack_ts()
    channel = channel or ("D" if channel_type == "im" else "C") + uuid.uuid4().hex[:10].upper()
    event: Dict[str, Any] = {
        "type": event_type,
        "client_msg_id": str(uuid.uuid4()),
        "text": text,
        "user": user or "U" + uuid.uuid4().hex[:10].upper(),
        "ts": ts,
        "team": "T0TEAM0001",
        "channel": channel,
        "event_ts": ts,
    }
    if event_type == "message":
        event["channel_type"] = channel_type
    return {
        "token": "legacy-verification-token",
        "team_id": "T0TEAM0001",
        "api_app_id": "A0APP00001",
        "event": event,
        "type": "event_callback",
        "event_id": "Ev" + uuid.uuid4().hex[:10].upper(),
        "event_time": int(float(ts)),
        "authorizations": [{
            "enterprise_id": None, "team_id": "T0TEAM0001", "user_id": BOT_USER,
            "is_bot": True, "is_enterprise_install": False,
        }],
        "is_ext_shared_channel": False,
        "event_context": "4-" + uuid.uuid4().hex,
    }


def slack_headers(raw: bytes, secret: str = SIGNING_SECRET, timestamp: Optional[int] = None,
                  retry: Optional[Tuple[int, str]] = None) -> Dict[str, str]:
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:".encode() + raw, hashlib.sha256).hexdigest()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
        "X-Slack-Request-Timestamp": str(timestamp),
        "X-Slack-Signature": f"v0={digest}",
    }
    if retry:
        headers["X-Slack-Retry-Num"] = str(retry[0])
        headers["X-Slack-Retry-Reason"] = retry[1]
    return headers


def encode(body: Dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def test_event_key_identifies_the_message() -> None:
    body = message_event("hi", ts="1700000000.000100", channel="D123")
    mention = copy.deepcopy(body)
    mention["event"]["type"] = "app_mention"
    mention["event_id"] = "EvOTHER"
    assert event_key(body) == event_key(mention) == "D123:1700000000.000100"
    assert event_key({"event_id": "Ev1"}) == "Ev1"
    assert event_key({}) is None


def test_api_base_comes_from_credentials_then_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    credentials = {"slack_token": BOT_TOKEN, "slack_signing_secret": SIGNING_SECRET}
    monkeypatch.delenv("SLACK_API_BASE", raising=False)
    assert SlackInput.from_credentials(credentials).api_base == "https://slack.com/api/"
    monkeypatch.setenv("SLACK_API_BASE", "http://127.0.0.1:9/api/")
    channel = SlackInput.from_credentials(credentials)
    assert channel.api_base == "http://127.0.0.1:9/api/"
    assert channel.get_output_channel("D1", "1.2").client.base_url == "http://127.0.0.1:9/api/"
    assert SlackInput.from_credentials({**credentials, "api_base": "http://x/api/"}).api_base == "http://x/api/"
    assert SlackInput.name() == "slack"


# ----------------------------------------------------------------------------------------------
# 1. the channel's HTTP endpoint in this process, with a scripted bot instead of Rasa
# ----------------------------------------------------------------------------------------------


class ScriptedBot:
    """Stands in for Rasa: answers with two texts and a citation payload, as the actions do."""

    def __init__(self) -> None:
        self.received: List[Any] = []

    async def __call__(self, message: Any) -> None:
        self.received.append(message)
        out = message.output_channel
        await out.send_response(message.sender_id, {"text": f"echo: {message.text}"})
        await out.send_response(message.sender_id, {"custom": {"type": "citation", "passage_id": "p-1"}})
        await out.send_response(message.sender_id, {"text": "Anything else?"})


Request = Tuple[bytes, Dict[str, str]]


def run_channel(api: FakeSlackApi, bot: ScriptedBot, requests: List[Request],
                slack_channel: Optional[str] = None) -> List[Tuple[int, str]]:
    """POST each request to a fresh channel; wait for its background turns; return the answers."""
    channel = SlackInput(
        BOT_TOKEN, slack_channel, None, "x-slack-retry-reason", "x-slack-retry-num", None,
        True, SIGNING_SECRET, "sender", api_base=api.api_base,
    )

    async def scenario() -> List[Tuple[int, str]]:
        results = []
        async with serve_channel(channel, bot) as url:
            async with aiohttp.ClientSession() as session:
                for raw, headers in requests:
                    async with session.post(url + "/webhook", data=raw, headers=headers) as response:
                        results.append((response.status, await response.text()))
                    if channel._background_tasks:
                        await asyncio.wait(set(channel._background_tasks), timeout=10)
        return results

    return asyncio.run(scenario())


def signed(body: Dict[str, Any], **kwargs: Any) -> Request:
    raw = encode(body)
    return raw, slack_headers(raw, **kwargs)


@pytest.fixture()
def fake_slack() -> FakeSlackApi:
    with FakeSlackApi(bot_token=BOT_TOKEN) as api:
        yield api


class TestChannelEndpoint:
    def test_signed_message_is_answered_in_its_thread(self, fake_slack: FakeSlackApi) -> None:
        bot = ScriptedBot()
        body = message_event("Where are Hokkaido's overseas offices?")
        [(status, _)] = run_channel(fake_slack, bot, [signed(body)])
        assert status == 200
        [message] = bot.received
        assert message.sender_id == "slack:" + body["event"]["user"]
        assert message.input_channel == "slack"
        # two texts; the citation payload is not posted (Slack would refuse it: no_text)
        assert [p.text for p in fake_slack.posts] == [
            "echo: Where are Hokkaido's overseas offices?", "Anything else?"
        ]
        assert {p.channel for p in fake_slack.posts} == {body["event"]["channel"]}
        assert {p.thread_ts for p in fake_slack.posts} == {body["event"]["ts"]}
        assert fake_slack.posts[0].headers["Authorization"] == f"Bearer {BOT_TOKEN}"
        assert fake_slack.rejected == []

    @pytest.mark.parametrize(
        "kwargs", [{"secret": "wrong-secret"}, {"timestamp": int(time.time()) - 600}]
    )
    def test_wrong_or_stale_signature_is_rejected(self, fake_slack: FakeSlackApi, kwargs: Dict[str, Any]) -> None:
        bot = ScriptedBot()
        [(status, _)] = run_channel(fake_slack, bot, [signed(message_event("hi"), **kwargs)])
        assert status == 400
        assert bot.received == [] and fake_slack.posts == []

    def test_unsigned_url_verification_is_rejected(self, fake_slack: FakeSlackApi) -> None:
        raw = encode({"token": "t", "challenge": "abc", "type": "url_verification"})
        [(status, _)] = run_channel(fake_slack, ScriptedBot(), [(raw, {"Content-Type": "application/json"})])
        assert status == 400

    def test_url_verification_returns_the_challenge(self, fake_slack: FakeSlackApi) -> None:
        body = {"token": "t", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
                "type": "url_verification"}
        [(status, text)] = run_channel(fake_slack, ScriptedBot(), [signed(body)])
        assert status == 200
        assert json.loads(text) == {"challenge": body["challenge"]}

    @pytest.mark.parametrize("reason", ["http_timeout", "http_error", "connection_failed"])
    def test_retries_of_a_handled_event_are_not_answered_again(
        self, fake_slack: FakeSlackApi, reason: str
    ) -> None:
        bot = ScriptedBot()
        body = message_event("hello")
        results = run_channel(fake_slack, bot, [signed(body), signed(body, retry=(1, reason))])
        assert [status for status, _ in results][0] == 200
        assert 200 <= results[1][0] < 300
        assert len(bot.received) == 1 and len(fake_slack.posts) == 2

    def test_message_and_app_mention_of_one_message_are_answered_once(self, fake_slack: FakeSlackApi) -> None:
        bot = ScriptedBot()
        body = message_event(f"<@{BOT_USER}> hello", channel_type="channel", channel="C0LISTENED")
        mention = copy.deepcopy(body)
        mention["event"]["type"] = "app_mention"
        del mention["event"]["channel_type"]
        mention["event_id"] = "Ev" + uuid.uuid4().hex[:10].upper()
        run_channel(fake_slack, bot, [signed(body), signed(mention)], slack_channel="C0LISTENED")
        assert len(bot.received) == 1
        assert bot.received[0].text == "hello"  # the bot's own mention is removed

    def test_mention_in_another_channel_is_answered_after_its_ignored_message_event(
        self, fake_slack: FakeSlackApi
    ) -> None:
        bot = ScriptedBot()
        body = message_event(f"<@{BOT_USER}> hello", channel_type="channel")
        mention = copy.deepcopy(body)
        mention["event"]["type"] = "app_mention"
        del mention["event"]["channel_type"]
        run_channel(fake_slack, bot, [signed(body), signed(mention)])
        assert len(bot.received) == 1

    def test_bot_messages_are_ignored(self, fake_slack: FakeSlackApi) -> None:
        bot = ScriptedBot()
        body = message_event("echo: hi")
        body["event"]["bot_id"] = "B0FAKEBOT"
        run_channel(fake_slack, bot, [signed(body)])
        assert bot.received == [] and fake_slack.posts == []


# ----------------------------------------------------------------------------------------------
# 2. the real Rasa server with the Slack channel, against the fake Slack Web API
# ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def slack_stack() -> Any:
    """Rasa + action server with the Slack channel enabled and pointed at a fake Web API."""
    api = FakeSlackApi(bot_token=BOT_TOKEN).start()
    stack = None
    try:
        stack = start_stack(extra_env={
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_BASE": api.api_base,
        })
        # the credentials Rasa was started with (bot/server.py keeps the sections whose
        # variables are set)
        used = Path(__file__).resolve().parents[2] / "bot" / "credentials.yml"
        assert "\nbot.channels.slack.SlackInput:" in used.read_text("utf-8"), (
            "Slack must be enabled as `bot.channels.slack.SlackInput:` in bot/credentials.yml "
            "(same keys as `slack:`): Rasa's built-in `slack:` always posts to "
            "https://slack.com/api/ and cannot be pointed at the fake Slack API "
            "(see bot/channels/slack.py)."
        )
        yield stack, api
    finally:
        if stack is not None:
            stack.stop()
        api.stop()


def post_event(stack: Any, request: Request) -> Tuple[int, str]:
    raw, headers = request
    url = stack.rasa_url.rstrip("/") + "/webhooks/slack/webhook"
    http_request = urllib.request.Request(url, data=raw, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(http_request, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def posts_in(api: FakeSlackApi, body: Dict[str, Any]) -> List[Any]:
    with api._lock:
        return [p for p in api.posts if p.channel == body["event"]["channel"]]


QUIET_PERIOD = 2.0  # seconds to wait before concluding that no (further) post will come


class TestWithRasa:
    def test_signed_message_is_answered_in_a_thread(self, slack_stack: Any) -> None:
        stack, api = slack_stack
        body = message_event("Where are Hokkaido's overseas offices?")
        assert post_event(stack, signed(body))[0] == 200
        assert api.wait_for(lambda a: posts_in(a, body), timeout=60), (
            f"nothing posted; refused calls: {api.rejected}"
        )
        time.sleep(QUIET_PERIOD)
        posts = posts_in(api, body)
        assert all(p.thread_ts == body["event"]["ts"] for p in posts)
        assert all(p.text for p in posts)
        assert api.rejected == []

    def test_wrong_signature_is_rejected_and_nothing_posted(self, slack_stack: Any) -> None:
        stack, api = slack_stack
        body = message_event("hello")
        assert post_event(stack, signed(body, secret="wrong-secret"))[0] == 400
        time.sleep(QUIET_PERIOD)
        assert posts_in(api, body) == []

    def test_url_verification_challenge_is_answered(self, slack_stack: Any) -> None:
        stack, _ = slack_stack
        challenge = uuid.uuid4().hex
        status, text = post_event(stack, signed({"token": "t", "challenge": challenge, "type": "url_verification"}))
        assert status == 200
        assert json.loads(text) == {"challenge": challenge}

    def test_retry_of_a_handled_event_is_not_answered_again(self, slack_stack: Any) -> None:
        stack, api = slack_stack
        body = message_event("hello")
        assert post_event(stack, signed(body))[0] == 200
        assert api.wait_for(lambda a: posts_in(a, body), timeout=60)
        time.sleep(QUIET_PERIOD)
        answered = len(posts_in(api, body))
        status, _ = post_event(stack, signed(body, retry=(1, "http_timeout")))
        assert 200 <= status < 300
        time.sleep(QUIET_PERIOD)
        assert len(posts_in(api, body)) == answered
