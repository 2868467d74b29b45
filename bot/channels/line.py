"""LINE Messaging API input channel for Rasa 3.6.

Rasa has no LINE connector, and the official ``line-bot-sdk`` needs pydantic 2, which cannot live in
the Rasa environment. This module therefore talks to the Messaging API directly with aiohttp.

Enable it in ``credentials.yml``::

    bot.channels.line.LineInput:
      channel_secret: ${LINE_CHANNEL_SECRET}
      access_token: ${LINE_CHANNEL_ACCESS_TOKEN}
      # api_base: https://api.line.me   (optional; else $LINE_API_BASE, else https://api.line.me)

LINE then posts webhooks to ``/webhooks/line/webhook``; ``GET /webhooks/line/`` is a health check.

How a webhook is handled, and why:

1. The ``X-Line-Signature`` header is checked against the *raw* body before anything is parsed, so
   forged requests cost nothing and reach neither Rasa nor the LINE API.
2. Each event is claimed in the event ledger (bot/channels/event_ledger.py; in Redis when
   ``$REDIS_HOST`` is set, so all replicas share it). An event already done or being handled
   elsewhere is dropped (a redelivery); it is marked done only after its reply went out, and
   released if that failed, so a later redelivery is handled instead of lost.
3. The request is answered with 200 once the events are claimed, and they are processed in a
   background task: LINE times out and redelivers slow webhooks, and a Rasa turn (NLU, policies,
   action server) can take longer than we would like to hold the connection.
4. The conversation id Rasa sees is ``line:<userId | groupId | roomId>``, so no other channel can
   address a LINE conversation.
5. Calls to the Messaging API that get 429, a 5xx or no answer are retried with exponential
   backoff, honouring ``Retry-After``; pushes carry an ``X-Line-Retry-Key`` so that LINE never
   delivers a retried push twice.
6. All bot messages produced for one user message go out in ONE reply call of at most 5 message
   objects, because a reply token is single-use and short-lived. Only if LINE rejects the token
   ("Invalid reply token") do we fall back to a push message, which counts against the paid quota.

Everything that decides *what* to do (signature, event parsing, message building) is a plain
function so that it can be tested without a server.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import collections
import hashlib
import hmac
import json
import logging
import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, Iterable, List, Optional, Text

import aiohttp
import yaml
from rasa.core.channels.channel import (
    CollectingOutputChannel,
    InputChannel,
    UserMessage,
)
from rasa.shared.exceptions import InvalidConfigException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.event_ledger import EventLedger, ledger_from_env
from bot.channels.reply_guard import guard_replies

try:  # `regex` is a Rasa dependency; it counts grapheme clusters the way LINE counts labels.
    import regex as _regex
except ImportError:  # pragma: no cover - only without Rasa's dependencies
    _regex = None

logger = logging.getLogger(__name__)

DEFAULT_API_BASE = "https://api.line.me"
API_BASE_ENV_VAR = "LINE_API_BASE"
TEXTS_FILE = Path(__file__).with_name("line_texts.yml")

# Limits of the Messaging API (https://developers.line.biz/en/reference/messaging-api/).
MAX_MESSAGES_PER_REQUEST = 5
MAX_TEXT_LENGTH = 5000  # counted in UTF-16 code units
MAX_QUICK_REPLY_ITEMS = 13
MAX_ACTION_LABEL_LENGTH = 20  # counted in grapheme clusters
MAX_MESSAGE_ACTION_TEXT_LENGTH = 300  # counted in grapheme clusters
MAX_URL_LENGTH = 2000

INVALID_REPLY_TOKEN_MESSAGE = "Invalid reply token"
CONVERSATION_PREFIX = "line:"
RETRY_ATTEMPTS = 5  # one call and four retries: 1 + 2 + 4 + 8 s of backoff at most
RETRY_BASE_SECONDS = 1.0
RETRY_MAX_SECONDS = 30.0
MESSAGE_CONTENT_TYPES = ("image", "video", "audio", "file", "location", "sticker")

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


# --------------------------------------------------------------------------------------------
# Signature
# --------------------------------------------------------------------------------------------


def compute_signature(channel_secret: Text, body: bytes) -> Text:
    """Return the ``X-Line-Signature`` LINE would send for ``body``.

    base64(HMAC-SHA256(key=channel secret, message=raw request body)). Also used by the tests to
    sign fixtures.
    """
    digest = hmac.new(channel_secret.encode("utf-8"), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def verify_signature(channel_secret: Text, body: bytes, signature: Optional[Text]) -> bool:
    """Check a webhook signature in constant time.

    Compares the decoded digests so that the check does not depend on base64 formatting, and
    rejects a missing or undecodable header instead of raising.
    """
    if not signature or not channel_secret:
        return False
    try:
        received = base64.b64decode(signature.strip().encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        return False
    expected = hmac.new(channel_secret.encode("utf-8"), body, hashlib.sha256).digest()
    return hmac.compare_digest(expected, received)


# --------------------------------------------------------------------------------------------
# Event parsing
# --------------------------------------------------------------------------------------------


class WebhookBodyError(ValueError):
    """The (correctly signed) body is not a LINE webhook body."""


def parse_webhook_body(body: bytes) -> List[Dict[Text, Any]]:
    """Return the raw event objects of a webhook body.

    An empty ``events`` list is valid: the console's "Verify" button sends one.
    """
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise WebhookBodyError(f"body is not UTF-8 JSON: {error}") from error
    if not isinstance(payload, dict):
        raise WebhookBodyError("body is not a JSON object")
    events = payload.get("events", [])
    if not isinstance(events, list):
        raise WebhookBodyError("'events' is not a list")
    return [event for event in events if isinstance(event, dict)]


# What the channel does with an event.
ACTION_RASA = "rasa"  # send `text` to Rasa and reply with its answers
ACTION_GREET = "greet"  # reply with the greeting and the language menu
ACTION_UNSUPPORTED = "unsupported"  # reply that only text is understood
ACTION_IGNORE = "ignore"  # log at debug level and do nothing


@dataclass(frozen=True)
class LineEvent:
    """The parts of a LINE webhook event this channel needs."""

    type: Text
    action: Text
    event_id: Optional[Text] = None
    reply_token: Optional[Text] = None
    conversation_id: Optional[Text] = None  # userId, or groupId / roomId for group chats
    text: Optional[Text] = None  # what Rasa receives, for ACTION_RASA
    message_id: Optional[Text] = None
    message_type: Optional[Text] = None
    is_redelivery: bool = False
    source: Dict[Text, Any] = field(default_factory=dict)

    @property
    def metadata(self) -> Dict[Text, Any]:
        """Metadata stored with the user message in the tracker."""
        return {"line": {"source": self.source, "event_type": self.type}}


def conversation_id(source: Any) -> Optional[Text]:
    """Where replies must go: the group or room if there is one, else the user.

    LINE sends ``userId`` inside group sources too (the speaker), so the group id has to win,
    otherwise a group conversation would be split per member and pushes would go to one person.
    """
    if not isinstance(source, dict):
        return None
    source_type = source.get("type")
    if source_type == "group" and source.get("groupId"):
        return str(source["groupId"])
    if source_type == "room" and source.get("roomId"):
        return str(source["roomId"])
    user_id = source.get("userId")
    return str(user_id) if user_id else None


def _as_dict(value: Any) -> Dict[Text, Any]:
    return value if isinstance(value, dict) else {}


def _action_for(event: Dict[Text, Any]) -> Text:
    """Decide what to do with one raw event (see the ACTION_* constants)."""
    event_type = event.get("type")
    source = _as_dict(event.get("source"))
    if event.get("mode") == "standby":
        # Another module channel owns the chat; replying is not allowed in standby mode.
        return ACTION_IGNORE
    if event_type == "message":
        message = _as_dict(event.get("message"))
        message_type = message.get("type")
        if message_type == "text":
            text = message.get("text")
            return ACTION_RASA if isinstance(text, str) and text.strip() else ACTION_IGNORE
        if message_type in MESSAGE_CONTENT_TYPES and source.get("type") == "user":
            # Only answer in one-to-one chats; in a group this would answer every sticker.
            return ACTION_UNSUPPORTED
        return ACTION_IGNORE
    if event_type in ("follow", "join"):
        return ACTION_GREET
    if event_type == "postback":
        data = _as_dict(event.get("postback")).get("data")
        return ACTION_RASA if isinstance(data, str) and data.strip() else ACTION_IGNORE
    return ACTION_IGNORE


def parse_event(event: Dict[Text, Any]) -> LineEvent:
    """Turn one raw webhook event into a :class:`LineEvent`; never raises on odd input."""
    source = _as_dict(event.get("source"))
    message = _as_dict(event.get("message"))
    action = _action_for(event)
    text: Optional[Text] = None
    if action == ACTION_RASA:
        if event.get("type") == "message":
            text = message.get("text")
        else:
            text = _as_dict(event.get("postback")).get("data")
    delivery = _as_dict(event.get("deliveryContext"))
    reply_token = event.get("replyToken")
    event_id = event.get("webhookEventId")
    return LineEvent(
        type=str(event.get("type") or "unknown"),
        action=action,
        event_id=str(event_id) if event_id else None,
        reply_token=reply_token if isinstance(reply_token, str) and reply_token else None,
        conversation_id=conversation_id(source),
        text=text.strip() if isinstance(text, str) else None,
        message_id=str(message["id"]) if message.get("id") is not None else None,
        message_type=message.get("type"),
        is_redelivery=bool(delivery.get("isRedelivery")),
        source=dict(source),
    )


async def claim_events(events: List[LineEvent], ledger: EventLedger) -> List[LineEvent]:
    """The events this process should handle: those nobody has handled or is handling.

    Only earlier *requests* count: LINE never repeats an id inside one body, so events sharing an
    id within the same body (as in LINE's SDK test fixture) are all kept. ``isRedelivery`` is
    logged but not trusted: a redelivered event we never saw (say, we were down) still needs an
    answer, and the id is what identifies it.
    """
    fresh: List[LineEvent] = []
    claimed: set = set()
    for event in events:
        if event.event_id and event.event_id not in claimed:
            if not await ledger.claim(event.event_id):
                logger.debug(
                    "Skipping LINE event %s (%s): already handled%s.",
                    event.event_id,
                    event.type,
                    " (redelivery)" if event.is_redelivery else "",
                )
                continue
            claimed.add(event.event_id)
        fresh.append(event)
    return fresh


# --------------------------------------------------------------------------------------------
# Message building
# --------------------------------------------------------------------------------------------


def utf16_length(text: Text) -> int:
    """Length as LINE counts text: UTF-16 code units (an emoji outside the BMP counts 2)."""
    return len(text.encode("utf-16-le")) // 2


def _graphemes(text: Text) -> List[Text]:
    if _regex is not None:
        return _regex.findall(r"\X", text)
    return list(text)  # pragma: no cover


def truncate_label(label: Text, limit: int = MAX_ACTION_LABEL_LENGTH) -> Text:
    """Shorten an action label to ``limit`` grapheme clusters, ending with '…' when cut."""
    graphemes = _graphemes(label.strip())
    if len(graphemes) <= limit:
        return "".join(graphemes)
    return "".join(graphemes[: limit - 1]) + "…"


_BREAKS = ("\n\n", "\n", "。", ". ", "! ", "? ", "！", "？", " ")


def split_text(text: Text, limit: int = MAX_TEXT_LENGTH) -> List[Text]:
    """Split ``text`` into pieces of at most ``limit`` UTF-16 units.

    Prefers to cut after a paragraph, line or sentence end, or a space, as long as that keeps at
    least half a piece; otherwise cuts hard (never inside a surrogate pair, since Python strings
    index code points).
    """
    pieces: List[Text] = []
    rest = text
    while utf16_length(rest) > limit:
        # Longest prefix that fits.
        end, units = 0, 0
        for end, char in enumerate(rest):
            units += 2 if ord(char) > 0xFFFF else 1
            if units > limit:
                break
        prefix = rest[:end]
        cut = end
        for separator in _BREAKS:
            position = prefix.rfind(separator)
            if position >= end // 2:
                cut = position + len(separator)
                break
        piece, rest = rest[:cut].rstrip(), rest[cut:].lstrip()
        if piece:
            pieces.append(piece)
    if rest.strip():
        pieces.append(rest.strip() if pieces else rest)
    return pieces


def _text_object(text: Text) -> Dict[Text, Any]:
    return {"type": "text", "text": text}


def _is_https_url(url: Any) -> bool:
    return isinstance(url, str) and url.startswith("https://") and len(url) <= MAX_URL_LENGTH


def rasa_message_to_line(message: Dict[Text, Any]) -> List[Dict[Text, Any]]:
    """Convert one collected Rasa bot message into LINE message objects (buttons excluded).

    - ``text`` becomes text objects, split at 5000 UTF-16 units;
    - ``image`` becomes an image object when it is an https URL (LINE refuses anything else),
      otherwise the URL is sent as text;
    - ``attachment`` given as a URL string is sent as text;
    - ``custom`` payloads (e.g. ``{"type": "citation", ...}`` for the web widget) are not shown.
    """
    objects: List[Dict[Text, Any]] = []
    text = message.get("text")
    if isinstance(text, str) and text.strip():
        objects.extend(_text_object(piece) for piece in split_text(text.strip()))
    image = message.get("image")
    if _is_https_url(image):
        objects.append(
            {"type": "image", "originalContentUrl": image, "previewImageUrl": image}
        )
    elif isinstance(image, str) and image.strip():
        objects.append(_text_object(image.strip()))
    attachment = message.get("attachment")
    if isinstance(attachment, str) and attachment.strip():
        objects.append(_text_object(attachment.strip()))
    custom = message.get("custom")
    if custom is not None:
        kind = custom.get("type") if isinstance(custom, dict) else type(custom).__name__
        logger.debug("Not sending custom payload of type %r to LINE.", kind)
    return objects


def quick_reply_items(buttons: Iterable[Any]) -> List[Dict[Text, Any]]:
    """Turn Rasa buttons into LINE quick-reply items (at most 13, duplicates dropped).

    A button with a ``payload`` becomes a message action that sends the payload, so tapping it
    is exactly like Rasa's ``/intent`` payload buttons elsewhere. A button with only a ``url``
    becomes a URI action. Buttons LINE would reject (payload over 300 characters, no label) are
    skipped rather than failing the whole reply.
    """
    items: List[Dict[Text, Any]] = []
    seen = set()
    for button in buttons:
        if not isinstance(button, dict):
            continue
        title = str(button.get("title") or "").strip()
        payload = button.get("payload")
        payload = str(payload).strip() if payload is not None else ""
        url = button.get("url")
        label = truncate_label(title or payload)
        if not label:
            continue
        if payload:
            if len(_graphemes(payload)) > MAX_MESSAGE_ACTION_TEXT_LENGTH:
                logger.warning("Skipping LINE quick reply %r: payload is too long.", title)
                continue
            action = {"type": "message", "label": label, "text": payload}
        elif isinstance(url, str) and url.startswith(("https://", "http://")):
            action = {"type": "uri", "label": label, "uri": url}
        else:
            continue
        key = json.dumps(action, sort_keys=True)
        if key in seen:
            continue
        seen.add(key)
        items.append({"type": "action", "action": action})
        if len(items) == MAX_QUICK_REPLY_ITEMS:
            break
    return items


def fit_messages(
    objects: List[Dict[Text, Any]], limit: int = MAX_MESSAGES_PER_REQUEST
) -> List[Dict[Text, Any]]:
    """Reduce a list of message objects to at most ``limit``.

    Merges the shortest pair of neighbouring text objects (joined by a blank line) until the list
    fits, so separate bubbles survive where possible and no text exceeds 5000 units. If texts
    cannot be merged further, images are dropped from the end, and as a last resort the tail is
    cut; both are logged.
    """
    result = [dict(obj) for obj in objects]
    while len(result) > limit:
        best: Optional[int] = None
        best_length = 0
        for index in range(len(result) - 1):
            first, second = result[index], result[index + 1]
            if first.get("type") != "text" or second.get("type") != "text":
                continue
            length = utf16_length(first["text"]) + 2 + utf16_length(second["text"])
            if length <= MAX_TEXT_LENGTH and (best is None or length < best_length):
                best, best_length = index, length
        if best is None:
            break
        merged = result[best]["text"] + "\n\n" + result[best + 1]["text"]
        result[best : best + 2] = [_text_object(merged)]
    while len(result) > limit and any(obj.get("type") == "image" for obj in result):
        last_image = max(i for i, obj in enumerate(result) if obj.get("type") == "image")
        logger.warning("LINE reply too long: dropping image %s.", result[last_image])
        del result[last_image]
    if len(result) > limit:
        logger.warning("LINE reply too long: dropping %d message(s).", len(result) - limit)
        result = result[:limit]
    return result


def build_line_messages(bot_messages: List[Dict[Text, Any]]) -> List[Dict[Text, Any]]:
    """Build the ``messages`` array of one reply from everything Rasa said for one user turn.

    Buttons of all bot messages become quick replies on the last message object, because LINE
    only shows the quick replies of the last message received.
    """
    objects: List[Dict[Text, Any]] = []
    buttons: List[Any] = []
    for message in bot_messages:
        objects.extend(rasa_message_to_line(message))
        buttons.extend(message.get("buttons") or [])
        buttons.extend(message.get("quick_replies") or [])
    objects = fit_messages(objects)
    items = quick_reply_items(buttons)
    if items:
        if not objects:
            # Buttons without any text: LINE needs a message to attach them to.
            objects = [_text_object("…")]
        objects[-1]["quickReply"] = {"items": items}
    return objects


# --------------------------------------------------------------------------------------------
# Fixed texts (greeting, language menu, "text only")
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineTexts:
    """The strings of ``line_texts.yml``."""

    greeting: Dict[Text, Text]
    language_menu: List[Dict[Text, Text]]
    unsupported_message: Text

    @classmethod
    def load(cls, path: Path = TEXTS_FILE) -> "LineTexts":
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        try:
            return cls(
                greeting=dict(data["greeting"]),
                language_menu=list(data["language_menu"]),
                unsupported_message=str(data["unsupported_message"]).strip(),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise InvalidConfigException(
                f"{path} must define 'greeting', 'language_menu' and "
                f"'unsupported_message' ({error!r})."
            ) from error

    def greeting_messages(self) -> List[Dict[Text, Any]]:
        """The follow/join reply: all greetings in one text, the language menu as quick replies."""
        text = "\n\n".join(value.strip() for value in self.greeting.values() if value)
        buttons = [
            {"title": entry["label"], "payload": entry["text"]} for entry in self.language_menu
        ]
        return build_line_messages([{"text": text, "buttons": buttons}])

    def unsupported_messages(self) -> List[Dict[Text, Any]]:
        return build_line_messages([{"text": self.unsupported_message}])


# --------------------------------------------------------------------------------------------
# Messaging API client
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ApiResult:
    """Outcome of one Messaging API call."""

    status: int  # HTTP status, or 0 when the request did not complete
    body: Any = None
    retry_after: Optional[float] = None  # seconds, from a Retry-After header
    retry_key: bool = False  # sent with X-Line-Retry-Key

    @property
    def ok(self) -> bool:
        # 409 to a retried push: LINE had already accepted it (its x-line-accepted-request-id).
        return 200 <= self.status < 300 or (self.retry_key and self.status == 409)

    @property
    def retryable(self) -> bool:
        return self.status in (0, 429) or self.status >= 500

    @property
    def invalid_reply_token(self) -> bool:
        return (
            self.status == 400
            and isinstance(self.body, dict)
            and self.body.get("message") == INVALID_REPLY_TOKEN_MESSAGE
        )


class LineApiClient:
    """Minimal async client for the two send endpoints, on one shared aiohttp session.

    The session is created on first use so that it belongs to the server's event loop.
    """

    def __init__(
        self, access_token: Text, api_base: Text = DEFAULT_API_BASE, timeout: float = 10.0
    ) -> None:
        self.api_base = api_base.rstrip("/")
        self._headers = {
            "Authorization": f"Bearer {access_token}",
            "Content-Type": "application/json",
        }
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: Optional[aiohttp.ClientSession] = None

    async def reply(self, reply_token: Text, messages: List[Dict[Text, Any]]) -> ApiResult:
        return await self._post(
            "/v2/bot/message/reply", {"replyToken": reply_token, "messages": messages}
        )

    async def push(self, to: Text, messages: List[Dict[Text, Any]]) -> ApiResult:
        return await self._post(
            "/v2/bot/message/push", {"to": to, "messages": messages}, retry_key=str(uuid.uuid4())
        )

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def _post(
        self, path: Text, payload: Dict[Text, Any], retry_key: Optional[Text] = None
    ) -> ApiResult:
        """POST, retrying 429, 5xx and network errors with backoff (Retry-After first)."""
        headers = dict(self._headers)
        if retry_key:
            headers["X-Line-Retry-Key"] = retry_key
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        for attempt in range(RETRY_ATTEMPTS):
            result = await self._post_once(path, data, headers)
            if not result.retryable or attempt == RETRY_ATTEMPTS - 1:
                return result
            delay = min(RETRY_MAX_SECONDS, result.retry_after
                        if result.retry_after is not None else RETRY_BASE_SECONDS * 2 ** attempt)
            logger.warning("LINE API %s: HTTP %s; retrying in %.1f s.", path, result.status, delay)
            await asyncio.sleep(delay)
        return result  # pragma: no cover - the loop always returns

    async def _post_once(self, path: Text, data: bytes, headers: Dict[Text, Text]) -> ApiResult:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
        try:
            async with self._session.post(self.api_base + path, data=data, headers=headers) as resp:
                raw = await resp.read()
                try:
                    body: Any = json.loads(raw) if raw else None
                except ValueError:
                    body = raw.decode("utf-8", "replace")
                return ApiResult(resp.status, body, _seconds(resp.headers.get("Retry-After")),
                                 "X-Line-Retry-Key" in headers)
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            logger.error("LINE API %s failed: %r", path, error)
            return ApiResult(0, repr(error))


def _seconds(value: Optional[Text]) -> Optional[float]:
    """A Retry-After header given in seconds (LINE's form); None otherwise."""
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


# --------------------------------------------------------------------------------------------
# Rasa channel
# --------------------------------------------------------------------------------------------


class LineCollectingOutputChannel(CollectingOutputChannel):
    """Collects the bot's messages for one reply.

    Unlike Rasa's collector it keeps a text in one piece (Rasa splits on blank lines, which would
    waste LINE's five message slots), and it is named "line" so that responses declared with
    ``channel: line`` in the domain are chosen.
    """

    @classmethod
    def name(cls) -> Text:
        return "line"

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self._persist_message(self._message(recipient_id, text=text))


class LineInput(InputChannel):
    """Receives LINE webhooks and answers through the reply API (push as fallback)."""

    @classmethod
    def name(cls) -> Text:
        return "line"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        if not credentials:
            cls.raise_missing_credentials_exception()
        secret = credentials.get("channel_secret")
        token = credentials.get("access_token")
        if not secret or not token:
            raise InvalidConfigException(
                "The LINE channel needs 'channel_secret' and 'access_token' in credentials.yml "
                "(from the Messaging API channel in the LINE Developers console; usually "
                "${LINE_CHANNEL_SECRET} and ${LINE_CHANNEL_ACCESS_TOKEN})."
            )
        return cls(str(secret), str(token), api_base=credentials.get("api_base"))

    def __init__(
        self,
        channel_secret: Text,
        access_token: Text,
        api_base: Optional[Text] = None,
        texts: Optional[LineTexts] = None,
        ledger: Optional[EventLedger] = None,
    ) -> None:
        self.channel_secret = channel_secret
        self.api_base = api_base or os.environ.get(API_BASE_ENV_VAR) or DEFAULT_API_BASE
        self.client = LineApiClient(access_token, self.api_base)
        self.texts = texts or LineTexts.load()
        self.ledger = ledger or ledger_from_env(self.name())
        # References keep running tasks from being garbage-collected before they finish.
        self._tasks: set = set()

    # -- HTTP ------------------------------------------------------------------------------

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        on_new_message = guard_replies(on_new_message)
        line_webhook = Blueprint("line_webhook", __name__)

        @line_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @line_webhook.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            signature = request.headers.get("X-Line-Signature")
            return await self.handle_webhook(request.body or b"", signature, on_new_message)

        @line_webhook.listener("before_server_stop")
        async def finish_tasks(*_: Any) -> None:
            await self.drain(timeout=10)
            await self.client.close()

        return line_webhook

    async def handle_webhook(
        self, body: bytes, signature: Optional[Text], on_new_message: OnNewMessage
    ) -> HTTPResponse:
        """Verify, parse, schedule processing, and answer at once."""
        if not signature:
            logger.warning("Rejected LINE webhook without X-Line-Signature.")
            return response.json({"message": "Missing X-Line-Signature header"}, status=401)
        if not verify_signature(self.channel_secret, body, signature):
            logger.warning("Rejected LINE webhook with a wrong X-Line-Signature.")
            return response.json({"message": "Invalid signature"}, status=401)
        try:
            raw_events = parse_webhook_body(body)
        except WebhookBodyError as error:
            logger.warning("Rejected LINE webhook: %s", error)
            return response.json({"message": "Malformed webhook body"}, status=400)
        events = await claim_events([parse_event(raw) for raw in raw_events], self.ledger)
        if events:
            self._spawn(self.process_events(events, on_new_message))
        return response.json({})

    def _spawn(self, coroutine: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self, timeout: float = 10.0) -> None:
        """Wait for background processing to finish (used at shutdown and in tests)."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout)

    # -- processing ------------------------------------------------------------------------

    async def process_events(self, events: List[LineEvent], on_new_message: OnNewMessage) -> None:
        """Handle the events of one webhook.

        Events of one conversation are handled in order (a follow before the first question);
        different conversations run concurrently.
        """
        by_conversation: Dict[Any, List[LineEvent]] = collections.defaultdict(list)
        for event in events:
            by_conversation[event.conversation_id].append(event)

        async def run(conversation: List[LineEvent]) -> None:
            for event in conversation:
                handled = False
                try:
                    handled = await self.process_event(event, on_new_message)
                except Exception:  # noqa: BLE001 - one bad event must not stop the others
                    logger.exception(
                        "Failed to handle LINE %s event %s.", event.type, event.event_id
                    )
                if event.event_id:
                    if handled:
                        await self.ledger.done(event.event_id)
                    else:  # a redelivery gets another chance
                        await self.ledger.release(event.event_id)

        await asyncio.gather(*(run(conversation) for conversation in by_conversation.values()))

    async def process_event(self, event: LineEvent, on_new_message: OnNewMessage) -> bool:
        """Handle one event according to its action; False if its reply could not be sent."""
        if event.action == ACTION_RASA:
            messages = await self.ask_rasa(event, on_new_message)
        elif event.action == ACTION_GREET:
            messages = self.texts.greeting_messages()
        elif event.action == ACTION_UNSUPPORTED:
            messages = self.texts.unsupported_messages()
        else:
            logger.debug("Ignoring LINE %s event %s.", event.type, event.event_id)
            return True
        return await self.deliver(event, messages) if messages else True

    async def ask_rasa(
        self, event: LineEvent, on_new_message: OnNewMessage
    ) -> List[Dict[Text, Any]]:
        """Run the user's text through Rasa and build the LINE messages of its answers."""
        if not event.conversation_id:
            logger.warning("LINE event %s has no user, group or room id.", event.event_id)
            return []
        collector = LineCollectingOutputChannel()
        await on_new_message(
            UserMessage(
                event.text,
                collector,
                CONVERSATION_PREFIX + event.conversation_id,
                input_channel=self.name(),
                message_id=event.message_id,
                metadata=event.metadata,
            )
        )
        return build_line_messages(collector.messages)

    async def deliver(self, event: LineEvent, messages: List[Dict[Text, Any]]) -> bool:
        """Send one reply; push only if LINE no longer accepts the reply token."""
        if event.reply_token:
            result = await self.client.reply(event.reply_token, messages)
            if result.ok:
                return True
            if not result.invalid_reply_token:
                logger.error(
                    "LINE reply for event %s failed: HTTP %s %s",
                    event.event_id,
                    result.status,
                    result.body,
                )
                return False
            logger.info("LINE reply token of event %s expired; pushing instead.", event.event_id)
        if not event.conversation_id:
            logger.error("Cannot push LINE event %s: no recipient.", event.event_id)
            return False
        result = await self.client.push(event.conversation_id, messages)
        if not result.ok:
            logger.error(
                "LINE push for event %s failed: HTTP %s %s",
                event.event_id,
                result.status,
                result.body,
            )
        return result.ok
