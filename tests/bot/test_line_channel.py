"""Tests of the LINE channel (bot/channels/line.py).

Three layers:

1. pure functions: signature, event parsing of every fixture, text splitting, fitting replies into
   five message objects, quick replies from buttons;
2. the channel's real HTTP endpoint on a Sanic server in this process, with a scripted bot in
   place of Rasa and the fake LINE API (tests/bot/fake_line_api.py) behind it;
3. the real Rasa server (tests/support/stack.py) with the LINE channel enabled and pointed at the
   fake LINE API through LINE_API_BASE.

Every message object the channel builds is also checked with the fake API's validator, which
follows the Messaging API's limits.
"""

from __future__ import annotations

import asyncio
import copy
import dataclasses
import json
import logging
import re
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import aiohttp
import pytest
from rasa.core.channels.channel import UserMessage

sys.path.insert(0, str(Path(__file__).resolve().parent))

from channel_server import serve_channel  # noqa: E402
from fake_line_api import FakeLineApi, check_send_body  # noqa: E402

from bot.channels import line  # noqa: E402
from bot.channels.event_ledger import EventLedger, RecentIds  # noqa: E402
from bot.channels.reply_guard import apology_for  # noqa: E402
from tests.support.stack import start_stack  # noqa: E402
from bot.channels.line import (  # noqa: E402
    ACTION_GREET,
    ACTION_IGNORE,
    ACTION_RASA,
    ACTION_UNSUPPORTED,
    LineInput,
    LineTexts,
    build_line_messages,
    compute_signature,
    fit_messages,
    parse_event,
    parse_webhook_body,
    quick_reply_items,
    claim_events,
    split_text,
    utf16_length,
    verify_signature,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "line"
# CI checks the shared data out beside the repository, as ../shared.
SDK_FIXTURE = REPO_ROOT.parent / "shared" / "eval-data" / "line-sdk-webhook" / "webhook.json"
needs_sdk_fixture = pytest.mark.skipif(
    not SDK_FIXTURE.exists(),
    reason=f"LINE SDK webhook fixture not found at {SDK_FIXTURE} (the shared data checkout "
    "../shared is absent)",
)

SECRET = "test-line-channel-secret"
TOKEN = "test-line-access-token"
LANGUAGES = ("ja", "en", "zh", "ko", "th", "ru")
TEXTS = LineTexts.load()


# ----------------------------------------------------------------------------------------------
# helpers
# ----------------------------------------------------------------------------------------------


def load_fixture(name: str) -> Dict[str, Any]:
    """A webhook body from tests/bot/fixtures/line/<name>.json."""
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def fresh_ids(body: Dict[str, Any], new_users: bool = False) -> Dict[str, Any]:
    """Copy ``body`` with new webhook event ids and reply tokens (and, optionally, user ids).

    The channel remembers event ids and the fake API remembers used reply tokens, so every test
    that wants its events handled needs new ones; new user ids give it a fresh conversation.
    """
    body = copy.deepcopy(body)
    users: Dict[str, str] = {}
    for event in body.get("events", []):
        event["webhookEventId"] = uuid.uuid4().hex[:26].upper()
        if "replyToken" in event:
            event["replyToken"] = uuid.uuid4().hex
        source = event.get("source", {})
        if new_users and "userId" in source:
            source["userId"] = users.setdefault(source["userId"], "U" + uuid.uuid4().hex)
    return body


def encode(body: Dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def is_greeting(call: Any) -> bool:
    return any(TEXTS.greeting["en"] in text for text in call.texts)


def is_unsupported_notice(call: Any) -> bool:
    return call.texts == [TEXTS.unsupported_message]


def assert_valid_send(messages: List[Dict[str, Any]]) -> None:
    details = check_send_body("reply", {"replyToken": "x", "messages": messages})
    assert details == [], details


def fixture_names() -> List[str]:
    return sorted(path.stem for path in FIXTURES.glob("*.json"))


# ----------------------------------------------------------------------------------------------
# 1. pure functions
# ----------------------------------------------------------------------------------------------


class TestSignature:
    BODY = b'{"destination":"U1","events":[]}'

    def test_valid_signature_is_accepted(self) -> None:
        assert verify_signature(SECRET, self.BODY, compute_signature(SECRET, self.BODY))

    def test_known_value(self) -> None:
        # printf body | openssl dgst -sha256 -hmac secret -binary | base64
        assert compute_signature("secret", b"body") == "3EaYNVf+oSe0OvchRn65s/3iM4/j4U9RlSqoR4wT01U="

    @pytest.mark.parametrize(
        "signature",
        [None, "", "not base64 !!", "YWJj", "ü", compute_signature("other-secret", BODY)],
    )
    def test_missing_or_wrong_signature_is_rejected(self, signature: Optional[str]) -> None:
        assert not verify_signature(SECRET, self.BODY, signature)

    def test_any_change_to_the_body_breaks_the_signature(self) -> None:
        signature = compute_signature(SECRET, self.BODY)
        assert not verify_signature(SECRET, self.BODY + b" ", signature)

    def test_empty_secret_rejects_everything(self) -> None:
        assert not verify_signature("", self.BODY, compute_signature("", self.BODY))


class TestWebhookBody:
    def test_events_are_returned(self) -> None:
        body = encode(load_fixture("text_en"))
        assert [event["type"] for event in parse_webhook_body(body)] == ["message"]

    def test_verification_request_has_no_events(self) -> None:
        assert parse_webhook_body(b'{"destination":"U1","events":[]}') == []

    @pytest.mark.parametrize("raw", [b"", b"not json", b"[]", b'{"events": {}}', b"\xff\xfe"])
    def test_malformed_bodies_raise(self, raw: bytes) -> None:
        with pytest.raises(line.WebhookBodyError):
            parse_webhook_body(raw)


GROUP_ID = load_fixture("group_text")["events"][0]["source"]["groupId"]
ROOM_ID = load_fixture("room_text")["events"][0]["source"]["roomId"]

# fixture -> (action, conversation is the group/room (else the user), text given to Rasa)
EXPECTED_EVENTS = {
    "text_ja": (ACTION_RASA, None, "北海道の海外事務所はどこにありますか？"),
    "text_en": (ACTION_RASA, None, "Where are Hokkaido's overseas offices?"),
    "text_zh": (ACTION_RASA, None, "北海道的海外事务所在哪里？"),
    "text_ko": (ACTION_RASA, None, "홋카이도의 해외 사무소는 어디에 있나요?"),
    "text_th": (ACTION_RASA, None, "สำนักงานต่างประเทศของฮอกไกโดอยู่ที่ไหน"),
    "text_ru": (ACTION_RASA, None, "Где находятся зарубежные офисы Хоккайдо?"),
    "redelivered_text_en": (ACTION_RASA, None, "Where are Hokkaido's overseas offices?"),
    "group_text": (ACTION_RASA, GROUP_ID, "Does Hokkaido have an office in China?"),
    "room_text": (ACTION_RASA, ROOM_ID, "上海事務所は何をしていますか？"),
    "postback": (ACTION_RASA, None, "What are Hokkaido's sister regions?"),
    "sticker": (ACTION_UNSUPPORTED, None, None),
    "image": (ACTION_UNSUPPORTED, None, None),
    "follow": (ACTION_GREET, None, None),
    "join": (ACTION_GREET, GROUP_ID, None),
    "unfollow": (ACTION_IGNORE, None, None),
    "leave": (ACTION_IGNORE, GROUP_ID, None),
    "unsend": (ACTION_IGNORE, GROUP_ID, None),
    "member_joined": (ACTION_IGNORE, GROUP_ID, None),
}


def test_every_fixture_has_an_expectation() -> None:
    assert sorted(EXPECTED_EVENTS) == fixture_names()


@pytest.mark.parametrize("name", sorted(EXPECTED_EVENTS))
def test_fixture_events_are_parsed(name: str) -> None:
    raw = load_fixture(name)["events"][0]
    event = parse_event(raw)
    action, group_or_room, text = EXPECTED_EVENTS[name]
    assert event.action == action
    assert event.text == text
    assert event.event_id == raw["webhookEventId"]
    assert event.reply_token == raw.get("replyToken")
    assert event.conversation_id == (group_or_room or raw["source"]["userId"])
    assert event.metadata == {"line": {"source": raw["source"], "event_type": raw["type"]}}
    assert event.is_redelivery == (name == "redelivered_text_en")


def test_redelivered_fixture_repeats_the_original_event_id() -> None:
    original = load_fixture("text_en")["events"][0]
    redelivered = load_fixture("redelivered_text_en")["events"][0]
    assert redelivered["webhookEventId"] == original["webhookEventId"]
    assert redelivered["deliveryContext"]["isRedelivery"] is True


USER = {"type": "user", "userId": "U1"}
ODD_EVENTS = {
    "sticker in a group": {
        "type": "message", "message": {"type": "sticker"},
        "source": {"type": "group", "groupId": "C1"},
    },
    "blank text": {"type": "message", "message": {"type": "text", "text": "   "}, "source": USER},
    "standby mode": {
        "type": "message", "mode": "standby", "message": {"type": "text", "text": "hi"},
        "source": USER,
    },
    "empty postback": {"type": "postback", "postback": {"data": ""}, "source": USER},
    "things": {"type": "things", "things": {"type": "link"}},
    "beacon without source": {"type": "beacon"},
    "empty object": {},
    "wrong shapes": {"type": "message", "message": "oops", "source": "oops"},
}


@pytest.mark.parametrize("raw", ODD_EVENTS.values(), ids=ODD_EVENTS.keys())
def test_odd_events_are_ignored_without_errors(raw: Dict[str, Any]) -> None:
    assert parse_event(raw).action == ACTION_IGNORE


@needs_sdk_fixture
def test_sdk_fixture_events_all_parse() -> None:
    raw_events = parse_webhook_body(SDK_FIXTURE.read_bytes())
    events = [parse_event(raw) for raw in raw_events]
    assert len(events) == 27
    rasa = [event for event in events if event.action == ACTION_RASA]
    # four text messages (user, group, room, redelivered user) and four postbacks
    assert sorted(event.type for event in rasa) == ["message"] * 4 + ["postback"] * 4
    group_text = next(e for e in rasa if e.source.get("type") == "group")
    assert group_text.conversation_id == "Ca56f94637cc4347f90a25382909b24b9"


class TestDeduplication:
    def test_a_second_delivery_of_an_event_is_dropped_once_it_is_done(self) -> None:
        ledger = EventLedger()
        first = [parse_event(load_fixture("text_en")["events"][0])]
        again = [parse_event(load_fixture("redelivered_text_en")["events"][0])]

        async def scenario() -> List[List[Any]]:
            claimed = [await claim_events(first, ledger), await claim_events(again, ledger)]
            await ledger.done(first[0].event_id)
            return claimed + [await claim_events(again, ledger)]

        assert asyncio.run(scenario()) == [first, [], []]

    def test_a_released_event_is_handled_again(self) -> None:
        ledger = EventLedger()
        event = [parse_event(load_fixture("text_en")["events"][0])]

        async def scenario() -> List[List[Any]]:
            claimed = [await claim_events(event, ledger)]
            await ledger.release(event[0].event_id)
            return claimed + [await claim_events(event, ledger)]

        assert asyncio.run(scenario()) == [event, event]

    def test_events_sharing_an_id_within_one_body_are_all_kept(self) -> None:
        # LINE's SDK fixture gives all 27 events the same id; only later requests are repeats.
        events = [parse_event(load_fixture(n)["events"][0]) for n in ("text_en", "text_ja")]
        events = [dataclasses.replace(event, event_id="same") for event in events]
        assert len(asyncio.run(claim_events(events, EventLedger()))) == 2

    def test_memory_is_bounded_and_forgets_the_oldest(self) -> None:
        seen = RecentIds(max_size=3)
        for item in "abcd":
            seen.add(item)
        assert len(seen) == 3 and "a" not in seen and "d" in seen


class TestSplitText:
    def test_short_text_is_unchanged(self) -> None:
        assert split_text("こんにちは") == ["こんにちは"]

    def test_long_text_is_split_at_paragraphs(self) -> None:
        paragraphs = ["あ" * 3000, "い" * 3000, "う" * 10]
        pieces = split_text("\n\n".join(paragraphs))
        assert pieces == ["あ" * 3000, "い" * 3000 + "\n\n" + "う" * 10]

    def test_pieces_fit_in_utf16_units_and_keep_all_text(self) -> None:
        text = ("Hokkaido 🍎🍎 export support. " * 400).strip()  # emoji count 2 units each
        pieces = split_text(text)
        assert len(pieces) > 1
        assert all(utf16_length(piece) <= 5000 for piece in pieces)
        assert "".join(pieces).replace(" ", "") == text.replace(" ", "")

    def test_text_without_break_points_is_cut_hard(self) -> None:
        pieces = split_text("x" * 12_001)
        assert [len(p) for p in pieces] == [5000, 5000, 2001]


class TestFitMessages:
    @staticmethod
    def texts(*values: str) -> List[Dict[str, Any]]:
        return [{"type": "text", "text": v} for v in values]

    def test_up_to_five_objects_are_left_alone(self) -> None:
        objects = self.texts("a", "b", "c", "d", "e")
        assert fit_messages(objects) == objects

    def test_more_than_five_texts_are_merged_into_five(self) -> None:
        fitted = fit_messages(self.texts("one", "two", "three", "four", "five", "six", "seven"))
        assert len(fitted) == 5
        assert "\n\n".join(m["text"] for m in fitted) == "one\n\ntwo\n\nthree\n\nfour\n\nfive\n\nsix\n\nseven"

    def test_merging_never_exceeds_the_text_limit(self) -> None:
        fitted = fit_messages(self.texts(*["x" * 2400] * 8))
        assert len(fitted) == 5
        assert all(utf16_length(m["text"]) <= 5000 for m in fitted)

    def test_images_are_dropped_before_text_when_nothing_merges(self) -> None:
        image = {"type": "image", "originalContentUrl": "https://e.x/i.png", "previewImageUrl": "https://e.x/i.png"}
        objects = [self.texts("x" * 4000)[0], image] * 3 + self.texts("last")
        fitted = fit_messages(objects)
        assert len(fitted) == 5
        assert sum(m["type"] == "text" for m in fitted) == 4


class TestQuickReplies:
    def test_buttons_become_message_actions(self) -> None:
        items = quick_reply_items([{"title": "Yes", "payload": "/affirm"}])
        assert items == [{"type": "action", "action": {"type": "message", "label": "Yes", "text": "/affirm"}}]

    def test_long_labels_are_cut_to_20_graphemes(self) -> None:
        title = "ยุทธศาสตร์ระดับโลกของฮอกไกโด"  # Thai with combining marks
        label = quick_reply_items([{"title": title, "payload": "p"}])[0]["action"]["label"]
        assert label.endswith("…")
        assert len(line._graphemes(label)) == 20

    def test_at_most_13_items_and_no_duplicates(self) -> None:
        buttons = [{"title": f"b{i}", "payload": f"/p{i}"} for i in range(20)]
        assert len(quick_reply_items(buttons + buttons)) == 13
        assert len(quick_reply_items([buttons[0], dict(buttons[0])])) == 1

    def test_unusable_buttons_are_skipped(self) -> None:
        buttons = [
            {"title": "too long", "payload": "x" * 301},
            {"title": "", "payload": ""},
            "not a button",
            {"title": "Site", "url": "https://example.com/"},
        ]
        assert quick_reply_items(buttons) == [
            {"type": "action", "action": {"type": "uri", "label": "Site", "uri": "https://example.com/"}}
        ]


class TestBuildMessages:
    def test_buttons_go_to_the_last_message(self) -> None:
        messages = build_line_messages([
            {"text": "Which region?", "buttons": [{"title": "China", "payload": "China"}]},
            {"text": "Or ask anything."},
        ])
        assert [m["text"] for m in messages] == ["Which region?", "Or ask anything."]
        assert "quickReply" not in messages[0]
        assert messages[1]["quickReply"]["items"][0]["action"]["text"] == "China"
        assert_valid_send(messages)

    def test_citations_and_unknown_custom_payloads_are_not_sent(self) -> None:
        messages = build_line_messages([
            {"text": "The Seoul office opened in 2010."},
            {"custom": {"type": "citation", "passage_id": "p-12", "title": "Plan §3"}},
            {"custom": ["odd", "payload"]},
        ])
        assert messages == [{"type": "text", "text": "The Seoul office opened in 2010."}]

    def test_images_need_https(self) -> None:
        messages = build_line_messages([{"image": "https://e.x/map.png"}, {"image": "http://e.x/a.png"}])
        assert messages[0] == {"type": "image", "originalContentUrl": "https://e.x/map.png", "previewImageUrl": "https://e.x/map.png"}
        assert messages[1] == {"type": "text", "text": "http://e.x/a.png"}
        assert_valid_send(messages)

    def test_many_long_answers_still_make_a_valid_reply(self) -> None:
        bot = [{"text": "段落。" * 1500, "buttons": [{"title": f"選択肢{i}", "payload": f"/c{i}"} for i in range(15)]}] * 4
        messages = build_line_messages(bot)
        assert 1 <= len(messages) <= 5
        assert_valid_send(messages)

    def test_buttons_without_text_still_have_a_message(self) -> None:
        messages = build_line_messages([{"text": "", "buttons": [{"title": "OK", "payload": "/ok"}]}])
        assert len(messages) == 1
        assert_valid_send(messages)

    def test_nothing_to_say_gives_no_messages(self) -> None:
        assert build_line_messages([]) == []


class TestTexts:
    def test_greeting_has_all_six_languages_and_the_language_menu(self) -> None:
        assert set(TEXTS.greeting) == set(LANGUAGES)
        assert [entry["language"] for entry in TEXTS.language_menu] == list(LANGUAGES)
        messages = TEXTS.greeting_messages()
        assert len(messages) == 1
        for text in TEXTS.greeting.values():
            assert text in messages[0]["text"]
        actions = [item["action"] for item in messages[0]["quickReply"]["items"]]
        assert [a["label"] for a in actions] == ["日本語", "English", "中文", "한국어", "ไทย", "Русский"]
        assert actions[-1]["text"] == "по-русски, пожалуйста"
        assert_valid_send(messages)

    def test_unsupported_notice_is_japanese_and_english(self) -> None:
        messages = TEXTS.unsupported_messages()
        assert "Sorry" in messages[0]["text"] and "申し訳" in messages[0]["text"]
        assert_valid_send(messages)


def test_from_credentials_requires_secret_and_token() -> None:
    from rasa.shared.exceptions import RasaException

    with pytest.raises(RasaException):
        LineInput.from_credentials({"channel_secret": "s"})
    with pytest.raises(RasaException):
        LineInput.from_credentials(None)


def test_api_base_comes_from_credentials_then_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LINE_API_BASE", raising=False)
    creds = {"channel_secret": "s", "access_token": "t"}
    assert LineInput.from_credentials(creds).api_base == "https://api.line.me"
    monkeypatch.setenv("LINE_API_BASE", "http://127.0.0.1:9")
    assert LineInput.from_credentials(creds).api_base == "http://127.0.0.1:9"
    assert LineInput.from_credentials({**creds, "api_base": "http://x"}).api_base == "http://x"
    assert LineInput.name() == "line"


# ----------------------------------------------------------------------------------------------
# 2. the channel's HTTP endpoint in this process, with a scripted bot instead of Rasa
# ----------------------------------------------------------------------------------------------


class ScriptedBot:
    """Stands in for Rasa: echoes the text, optionally with extra bot messages or a failure."""

    def __init__(self, extra: Optional[List[Dict[str, Any]]] = None) -> None:
        self.extra = extra or []
        self.received: List[Any] = []

    async def __call__(self, message: Any) -> None:
        self.received.append(message)
        if message.text == "boom":
            raise RuntimeError("scripted failure")
        await message.output_channel.send_response(message.sender_id, {"text": f"echo: {message.text}"})
        for bot_message in self.extra:
            await message.output_channel.send_response(message.sender_id, copy.deepcopy(bot_message))


async def post(url: str, raw: bytes, signature: Optional[str]) -> Tuple[int, Any]:
    headers = {"Content-Type": "application/json; charset=utf-8"}
    if signature is not None:
        headers["X-Line-Signature"] = signature
    async with aiohttp.ClientSession() as session:
        async with session.post(url + "/webhook", data=raw, headers=headers) as response:
            return response.status, await response.json(content_type=None)


@pytest.fixture()
def fake_line() -> FakeLineApi:
    with FakeLineApi(access_token=TOKEN) as api:
        yield api


def run_channel(fake: FakeLineApi, bot: ScriptedBot, bodies: List[Tuple[bytes, Optional[str]]]) -> List[Tuple[int, Any]]:
    """Post each (raw body, signature) to a fresh channel, wait for processing, return answers."""
    channel = LineInput(SECRET, TOKEN, api_base=fake.url)

    async def scenario() -> List[Tuple[int, Any]]:
        results = []
        async with serve_channel(channel, bot) as url:
            for raw, signature in bodies:
                results.append(await post(url, raw, signature))
                await channel.drain()
        return results

    return asyncio.run(scenario())


def signed(body: Dict[str, Any]) -> Tuple[bytes, str]:
    raw = encode(body)
    return raw, compute_signature(SECRET, raw)


class TestChannelEndpoint:
    def test_health(self, fake_line: FakeLineApi) -> None:
        channel = LineInput(SECRET, TOKEN, api_base=fake_line.url)

        async def scenario() -> int:
            async with serve_channel(channel, ScriptedBot()) as url:
                async with aiohttp.ClientSession() as session:
                    async with session.get(url + "/") as response:
                        return response.status

        assert asyncio.run(scenario()) == 200

    def test_valid_signature_gives_one_reply_with_all_answers(self, fake_line: FakeLineApi) -> None:
        bot = ScriptedBot(extra=[
            {"text": "second answer", "buttons": [{"title": "More", "payload": "/more"}]},
            {"custom": {"type": "citation", "passage": "p-1"}},
        ])
        body = fresh_ids(load_fixture("text_ja"))
        [(status, answer)] = run_channel(fake_line, bot, [signed(body)])
        assert (status, answer) == (200, {})
        assert len(fake_line.calls) == 1 and not fake_line.rejected
        call = fake_line.calls[0]
        assert call.endpoint == "reply"
        assert call.body["replyToken"] == body["events"][0]["replyToken"]
        assert call.texts == ["echo: 北海道の海外事務所はどこにありますか？", "second answer"]
        assert call.messages[-1]["quickReply"]["items"][0]["action"]["text"] == "/more"
        assert call.headers["Authorization"] == f"Bearer {TOKEN}"
        [message] = bot.received
        assert message.sender_id == "line:" + body["events"][0]["source"]["userId"]
        assert message.input_channel == "line"
        assert message.output_channel.name() == "line"
        assert message.metadata == {"line": {"source": body["events"][0]["source"], "event_type": "message"}}

    @pytest.mark.parametrize("signature", [None, "", compute_signature("wrong-secret", b"x")])
    def test_bad_signatures_are_rejected_and_nothing_is_processed(
        self, fake_line: FakeLineApi, signature: Optional[str]
    ) -> None:
        bot = ScriptedBot()
        [(status, _)] = run_channel(fake_line, bot, [(encode(fresh_ids(load_fixture("text_en"))), signature)])
        assert status in (400, 401)
        assert bot.received == [] and fake_line.calls == []

    def test_signature_of_another_body_is_rejected(self, fake_line: FakeLineApi) -> None:
        bot = ScriptedBot()
        raw, signature = signed(fresh_ids(load_fixture("text_en")))
        [(status, _)] = run_channel(fake_line, bot, [(raw.replace(b"offices", b"officez"), signature)])
        assert status in (400, 401) and bot.received == []

    def test_signed_garbage_is_a_bad_request(self, fake_line: FakeLineApi) -> None:
        raw = b"not json"
        [(status, _)] = run_channel(fake_line, ScriptedBot(), [(raw, compute_signature(SECRET, raw))])
        assert status == 400

    def test_redelivered_event_is_answered_once(self, fake_line: FakeLineApi) -> None:
        bot = ScriptedBot()
        original = fresh_ids(load_fixture("text_en"))
        redelivered = copy.deepcopy(original)
        redelivered["events"][0]["deliveryContext"]["isRedelivery"] = True
        results = run_channel(fake_line, bot, [signed(original), signed(redelivered)])
        assert [status for status, _ in results] == [200, 200]
        assert len(bot.received) == 1 and len(fake_line.calls) == 1

    def test_expired_reply_token_falls_back_to_push(self, fake_line: FakeLineApi) -> None:
        body = fresh_ids(load_fixture("text_en"))
        fake_line.expire_reply_token(body["events"][0]["replyToken"])
        run_channel(fake_line, ScriptedBot(), [signed(body)])
        assert [r.error for r in fake_line.rejected] == [{"message": "Invalid reply token"}]
        [push] = fake_line.pushes()
        assert push.body["to"] == body["events"][0]["source"]["userId"]
        assert push.texts == ["echo: Where are Hokkaido's overseas offices?"]

    def test_other_api_errors_do_not_push(self, fake_line: FakeLineApi) -> None:
        channel_token = "wrong-token"
        channel = LineInput(SECRET, channel_token, api_base=fake_line.url)

        async def scenario() -> None:
            async with serve_channel(channel, ScriptedBot()) as url:
                await post(url, *signed(fresh_ids(load_fixture("text_en"))))
                await channel.drain()

        asyncio.run(scenario())
        assert fake_line.calls == [] and [r.status for r in fake_line.rejected] == [401]

    def test_server_errors_are_retried_until_the_reply_goes_out(
        self, fake_line: FakeLineApi, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(line, "RETRY_BASE_SECONDS", 0.01)
        fake_line.fail_next(2, status=500)
        body = fresh_ids(load_fixture("text_en"))
        run_channel(fake_line, ScriptedBot(), [signed(body)])
        assert len(fake_line.failed) == 2
        [call] = fake_line.calls
        assert call.endpoint == "reply" and call.texts

    def test_429_waits_for_retry_after(
        self, fake_line: FakeLineApi, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(line, "RETRY_BASE_SECONDS", 0.01)  # so only Retry-After can wait 1 s
        fake_line.fail_next(1, status=429, retry_after=1)
        started = time.monotonic()
        run_channel(fake_line, ScriptedBot(), [signed(fresh_ids(load_fixture("text_en")))])
        assert time.monotonic() - started >= 1
        assert len(fake_line.failed) == 1 and len(fake_line.calls) == 1

    def test_a_retried_push_is_delivered_once(self, fake_line: FakeLineApi) -> None:
        channel = LineInput(SECRET, TOKEN, api_base=fake_line.url)

        async def scenario() -> Tuple[Any, Any]:
            first = await channel.client._post("/v2/bot/message/push", {
                "to": load_fixture("text_en")["events"][0]["source"]["userId"], "messages": [{"type": "text", "text": "x"}]}, retry_key="k-1")
            again = await channel.client._post("/v2/bot/message/push", {
                "to": load_fixture("text_en")["events"][0]["source"]["userId"], "messages": [{"type": "text", "text": "x"}]}, retry_key="k-1")
            await channel.client.close()
            return first, again

        first, again = asyncio.run(scenario())
        assert first.ok and again.status == 409 and again.ok
        assert len(fake_line.pushes()) == 1

    def test_an_event_whose_reply_failed_is_handled_again_when_redelivered(
        self, fake_line: FakeLineApi, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(line, "RETRY_BASE_SECONDS", 0.01)
        fake_line.fail_next(line.RETRY_ATTEMPTS, status=503)
        bot = ScriptedBot()
        original = fresh_ids(load_fixture("text_en"))
        redelivered = copy.deepcopy(original)
        redelivered["events"][0]["deliveryContext"]["isRedelivery"] = True
        fake_line.expire_reply_token(original["events"][0]["replyToken"])
        run_channel(fake_line, bot, [signed(original), signed(redelivered)])
        assert len(fake_line.failed) == line.RETRY_ATTEMPTS
        assert len(bot.received) == 2, "the failed event was dropped as a duplicate"
        [push] = fake_line.pushes()
        assert push.texts == ["echo: Where are Hokkaido's overseas offices?"]

    @pytest.mark.parametrize("name, conversation", [("group_text", GROUP_ID), ("room_text", ROOM_ID)])
    def test_group_and_room_conversations_use_their_own_id(
        self, fake_line: FakeLineApi, name: str, conversation: str
    ) -> None:
        bot = ScriptedBot()
        body = fresh_ids(load_fixture(name))
        fake_line.expire_reply_token(body["events"][0]["replyToken"])
        run_channel(fake_line, bot, [signed(body)])
        assert bot.received[0].sender_id == "line:" + conversation
        assert bot.received[0].metadata["line"]["source"]["userId"].startswith("U")
        assert [p.body["to"] for p in fake_line.pushes()] == [conversation]

    def test_follow_is_greeted_with_the_language_menu(self, fake_line: FakeLineApi) -> None:
        bot = ScriptedBot()
        run_channel(fake_line, bot, [signed(fresh_ids(load_fixture("follow")))])
        assert bot.received == []
        [call] = fake_line.calls
        assert is_greeting(call)
        assert len(call.messages[-1]["quickReply"]["items"]) == 6

    def test_sticker_in_a_private_chat_gets_the_text_only_notice(self, fake_line: FakeLineApi) -> None:
        run_channel(fake_line, ScriptedBot(), [signed(fresh_ids(load_fixture("sticker")))])
        [call] = fake_line.calls
        assert is_unsupported_notice(call)

    @pytest.mark.parametrize("name", ["unfollow", "leave", "unsend", "member_joined"])
    def test_events_without_an_answer_cause_no_call(self, fake_line: FakeLineApi, name: str) -> None:
        bot = ScriptedBot()
        [(status, _)] = run_channel(fake_line, bot, [signed(fresh_ids(load_fixture(name)))])
        assert status == 200 and bot.received == [] and fake_line.calls == []

    def test_postback_data_is_a_user_message(self, fake_line: FakeLineApi) -> None:
        bot = ScriptedBot()
        run_channel(fake_line, bot, [signed(fresh_ids(load_fixture("postback")))])
        assert bot.received[0].text == "What are Hokkaido's sister regions?"
        assert bot.received[0].metadata["line"]["event_type"] == "postback"
        assert len(fake_line.calls) == 1

    def test_a_failing_turn_is_logged_apologized_for_and_the_next_one_works(
        self, fake_line: FakeLineApi, caplog: pytest.LogCaptureFixture
    ) -> None:
        failing = fresh_ids(load_fixture("text_en"), new_users=True)
        failing["events"][0]["message"]["text"] = "boom"
        with caplog.at_level(logging.ERROR, logger="bot.channels"):
            results = run_channel(
                fake_line, ScriptedBot(), [signed(failing), signed(fresh_ids(load_fixture("text_en")))]
            )
        assert [status for status, _ in results] == [200, 200]
        assert "Handling a message failed" in caplog.text
        assert len(fake_line.calls) == 2
        apology = fake_line.calls[0].body["messages"][0]["text"]
        assert apology == apology_for(UserMessage("boom"))

    @needs_sdk_fixture
    def test_sdk_fixture_is_accepted_and_its_texts_answered(self, fake_line: FakeLineApi) -> None:
        bot = ScriptedBot()
        raw = SDK_FIXTURE.read_bytes()
        expire_sdk_reply_tokens(fake_line, json.loads(raw))  # so every answer names its recipient
        [(status, _)] = run_channel(fake_line, bot, [(raw, compute_signature(SECRET, raw))])
        assert status == 200
        texts = [m.text for m in bot.received if m.metadata["line"]["event_type"] == "message"]
        assert texts == ["Hello, world"] * 4
        assert sorted(
            call.body["to"] for call in fake_line.pushes() if "echo: Hello, world" in call.texts
        ) == sorted(SDK_TEXT_RECIPIENTS)
        assert fake_line.replies() == []
        assert {r.error["message"] for r in fake_line.rejected} == {"Invalid reply token"}


# the conversations of the four text messages in LINE's SDK fixture (user twice, group, room)
SDK_TEXT_RECIPIENTS = [
    "U206d25c2ea6bd87c17655609a1c37cb8",
    "U206d25c2ea6bd87c17655609a1c37cb8",
    "Ca56f94637cc4347f90a25382909b24b9",
    "Ra8dbf4673c4c812cd491258042226c99",
]


def expire_sdk_reply_tokens(api: FakeLineApi, body: Dict[str, Any]) -> None:
    """Nearly all events of the SDK fixture share one reply token, so whichever conversation
    used it first would get the only reply. Expiring the tokens sends every answer by push,
    whose ``to`` tells which conversation was answered."""
    for event in body["events"]:
        if event.get("replyToken"):
            api.expire_reply_token(event["replyToken"])


# ----------------------------------------------------------------------------------------------
# 3. the real Rasa server with the LINE channel, against the fake LINE API
# ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def line_stack() -> Any:
    """Rasa + action server with the LINE channel enabled and pointed at a fake LINE API."""
    api = FakeLineApi(access_token=TOKEN).start()
    stack = None
    try:
        stack = start_stack(extra_env={
            "LINE_CHANNEL_SECRET": SECRET,
            "LINE_CHANNEL_ACCESS_TOKEN": TOKEN,
            "LINE_API_BASE": api.url,
        })
        yield stack, api
    finally:
        if stack is not None:
            stack.stop()
        api.stop()


def webhook_url(stack: Any) -> str:
    return stack.rasa_url.rstrip("/") + "/webhooks/line/webhook"


def send(stack: Any, body: Dict[str, Any], signature: Optional[str] = "sign") -> int:
    """POST a webhook the way LINE does (signed unless told otherwise); returns the status."""
    raw = encode(body)
    return send_raw(stack, raw, compute_signature(SECRET, raw) if signature == "sign" else signature)


def send_raw(stack: Any, raw: bytes, signature: Optional[str]) -> int:
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "LineBotWebhook/2.0"}
    if signature is not None:
        headers["X-Line-Signature"] = signature
    request = urllib.request.Request(webhook_url(stack), data=raw, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def calls_for(api: FakeLineApi, body: Dict[str, Any]) -> List[Any]:
    """Recorded calls answering ``body``: replies with its tokens, pushes to its conversations."""
    tokens = {e.get("replyToken") for e in body["events"]}
    targets = {line.conversation_id(e["source"]) for e in body["events"]}
    with api._lock:
        return [
            c for c in api.calls
            if (c.endpoint == "reply" and c.body["replyToken"] in tokens)
            or (c.endpoint == "push" and c.body["to"] in targets)
        ]


QUIET_PERIOD = 2.0  # seconds to wait before concluding that no (further) call will come

_KANA = re.compile(r"[\u3040-\u30ff]")
_OTHER_SCRIPTS = re.compile(r"[\u3040-\u30ff\uac00-\ud7af\u0e00-\u0e7f\u0400-\u04ff]")
# The reply language follows the user's: a cheap check by writing system (answers may quote the
# plan's Japanese date, such as "2021.10月時点", so Han characters alone prove little).
SCRIPT_CHECKS = {
    "ja": lambda text: bool(_KANA.search(text)),
    "zh": lambda text: bool(re.search(r"[\u4e00-\u9fff]", text)) and not _OTHER_SCRIPTS.search(text),
    "ko": lambda text: bool(re.search(r"[\uac00-\ud7af]", text)),
    "th": lambda text: bool(re.search(r"[\u0e00-\u0e7f]", text)),
    "ru": lambda text: bool(re.search(r"[\u0400-\u04ff]", text)),
    "en": lambda text: bool(re.search(r"[A-Za-z]{3,}", text)) and not _OTHER_SCRIPTS.search(text),
}


class TestWithRasa:
    def test_health(self, line_stack: Any) -> None:
        stack, _ = line_stack
        with urllib.request.urlopen(stack.rasa_url.rstrip("/") + "/webhooks/line/", timeout=10) as r:
            assert r.status == 200

    def test_valid_signature_gives_exactly_one_reply(self, line_stack: Any) -> None:
        stack, api = line_stack
        body = fresh_ids(load_fixture("text_en"), new_users=True)
        assert send(stack, body) == 200
        assert api.wait_for(lambda a: calls_for(a, body), timeout=60), "no answer from the bot"
        time.sleep(QUIET_PERIOD)
        [call] = calls_for(api, body)
        assert call.endpoint == "reply"
        assert 1 <= len(call.messages) <= 5 and call.texts

    @pytest.mark.parametrize("signature", [None, compute_signature("wrong-secret", b"{}")])
    def test_bad_signature_is_rejected_and_nothing_sent(self, line_stack: Any, signature: Optional[str]) -> None:
        stack, api = line_stack
        body = fresh_ids(load_fixture("text_en"), new_users=True)
        assert send(stack, body, signature=signature) in (400, 401)
        time.sleep(QUIET_PERIOD)
        assert calls_for(api, body) == []

    def test_redelivered_event_is_not_answered_twice(self, line_stack: Any) -> None:
        stack, api = line_stack
        body = fresh_ids(load_fixture("text_en"), new_users=True)
        assert send(stack, body) == 200
        assert api.wait_for(lambda a: calls_for(a, body), timeout=60)
        redelivered = copy.deepcopy(body)
        redelivered["events"][0]["deliveryContext"]["isRedelivery"] = True
        assert send(stack, redelivered) == 200
        time.sleep(QUIET_PERIOD)
        assert len(calls_for(api, body)) == 1

    def test_expired_reply_token_is_answered_by_push(self, line_stack: Any) -> None:
        stack, api = line_stack
        body = fresh_ids(load_fixture("text_en"), new_users=True)
        api.expire_reply_token(body["events"][0]["replyToken"])
        assert send(stack, body) == 200
        assert api.wait_for(lambda a: calls_for(a, body), timeout=60)
        [call] = calls_for(api, body)
        assert call.endpoint == "push"
        assert call.body["to"] == body["events"][0]["source"]["userId"]
        assert call.texts

    @pytest.mark.parametrize("language", LANGUAGES)
    def test_each_language_is_answered(self, line_stack: Any, language: str) -> None:
        stack, api = line_stack
        body = fresh_ids(load_fixture(f"text_{language}"), new_users=True)
        assert send(stack, body) == 200
        assert api.wait_for(lambda a: calls_for(a, body), timeout=60), f"no answer to {language}"
        [call] = calls_for(api, body)
        assert call.texts and all(text.strip() for text in call.texts)
        answer = "\n".join(call.texts)
        assert SCRIPT_CHECKS[language](answer), f"answer to {language} is not in {language}: {answer!r}"

    def test_follow_is_greeted(self, line_stack: Any) -> None:
        stack, api = line_stack
        body = fresh_ids(load_fixture("follow"), new_users=True)
        assert send(stack, body) == 200
        assert api.wait_for(lambda a: calls_for(a, body), timeout=30)
        assert is_greeting(calls_for(api, body)[0])

    @needs_sdk_fixture
    def test_sdk_fixture_is_accepted_and_its_texts_answered(self, line_stack: Any) -> None:
        stack, api = line_stack
        raw = SDK_FIXTURE.read_bytes()
        expire_sdk_reply_tokens(api, json.loads(raw))
        before = len(api.calls)
        assert send_raw(stack, raw, compute_signature(SECRET, raw)) == 200

        def answered(a: FakeLineApi) -> Dict[str, int]:
            """Pushes per conversation, not counting greetings and "text only" notices."""
            counts: Dict[str, int] = {}
            for call in a.calls[before:]:
                if call.endpoint == "push" and not (is_greeting(call) or is_unsupported_notice(call)):
                    counts[call.body["to"]] = counts.get(call.body["to"], 0) + 1
            return counts

        user, group, room = SDK_TEXT_RECIPIENTS[0], SDK_TEXT_RECIPIENTS[2], SDK_TEXT_RECIPIENTS[3]

        def done(a: FakeLineApi) -> bool:
            counts = answered(a)
            # the user also sends four postbacks, which Rasa answers too
            return counts.get(user, 0) >= 2 and counts.get(group) == 1 and counts.get(room) == 1

        assert api.wait_for(done, timeout=120), answered(api)
        assert set(answered(api)) == {user, group, room}
        assert {r.error["message"] for r in api.rejected} <= {"Invalid reply token"}
