"""A local fake of the LINE Messaging API send endpoints, strict about the request format.

It serves ``POST /v2/bot/message/reply`` and ``POST /v2/bot/message/push`` on 127.0.0.1 (free
port) from a background thread, so it works both beside a Rasa subprocess and inside an asyncio
test. Requests are checked the way LINE checks them, and bad ones get LINE's error body
(``{"message": ..., "details": [{"message": ..., "property": ...}]}``):

- ``Authorization: Bearer <channel access token>`` (401 otherwise);
- ``Content-Type: application/json`` (415 otherwise) and a JSON object body;
- reply: ``replyToken`` a non-empty string; push: ``to`` a user, group or room id;
- ``messages``: 1 to 5 message objects; text objects need 1..5000 UTF-16 units of text; image
  objects need https URLs (at most 2000 characters); ``quickReply.items`` has 1..13 items of
  ``{"type": "action", "action": {...}}``, message actions with a label of 1..20 and a text of
  1..300 characters;
- reply tokens are single-use, and tokens passed to :meth:`expire_reply_token` are refused with
  400 ``{"message": "Invalid reply token"}``, as LINE does for used or expired tokens;
- a push repeating an ``X-Line-Retry-Key`` that was already accepted gets 409 with
  ``x-line-accepted-request-id``, as LINE answers a retried request it has already carried out;
- :meth:`fail_next` makes the next calls fail with 429 (with ``Retry-After``) or a 5xx and
  LINE's error body, to test retries.

Accepted calls are recorded in :attr:`calls`; refused ones in :attr:`rejected`.

    with FakeLineApi(access_token="test-token") as api:
        ...  # point the bot at api.url
        api.wait_for_calls(1)
"""

from __future__ import annotations

import asyncio
import json
import re
import socket
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Set

from aiohttp import web

try:
    import regex as _regex
except ImportError:  # pragma: no cover
    _regex = None

MESSAGE_TYPES = {
    "text", "sticker", "image", "video", "audio", "location", "imagemap", "template", "flex",
    "textV2",
}
ACTION_TYPES = {
    "message", "postback", "uri", "datetimepicker", "camera", "cameraRoll", "location",
    "richmenuswitch", "clipboard",
}
RECIPIENT_ID = re.compile(r"^[UCR][0-9a-f]{32}$")


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _grapheme_length(text: str) -> int:
    return len(_regex.findall(r"\X", text)) if _regex is not None else len(text)


@dataclass
class Call:
    """One accepted request."""

    endpoint: str  # "reply" or "push"
    body: Dict[str, Any]
    headers: Dict[str, str]

    @property
    def messages(self) -> List[Dict[str, Any]]:
        return self.body["messages"]

    @property
    def texts(self) -> List[str]:
        return [m["text"] for m in self.messages if m.get("type") == "text"]


@dataclass
class Rejection:
    """One refused request and the error LINE would have sent."""

    path: str
    status: int
    error: Dict[str, Any]
    body: Any = None


def _is_https(url: Any) -> bool:
    return isinstance(url, str) and url.startswith("https://") and len(url) <= 2000


def _check_action(action: Any, where: str, errors: List[Dict[str, str]]) -> None:
    if not isinstance(action, dict):
        errors.append({"message": "Must be an object", "property": where})
        return
    kind = action.get("type")
    if kind not in ACTION_TYPES:
        errors.append({"message": "Invalid action type", "property": f"{where}.type"})
        return
    label = action.get("label")
    if kind not in ("camera", "cameraRoll", "location") or label is not None:
        if not isinstance(label, str) or not 1 <= _grapheme_length(label) <= 20:
            errors.append(
                {"message": "Length must be between 1 and 20", "property": f"{where}.label"}
            )
    if kind == "message":
        text = action.get("text")
        if not isinstance(text, str) or not 1 <= _grapheme_length(text) <= 300:
            errors.append(
                {"message": "Length must be between 1 and 300", "property": f"{where}.text"}
            )
    if kind == "uri":
        uri = action.get("uri")
        if not isinstance(uri, str) or not re.match(r"^(https?|line|tel):", uri):
            errors.append({"message": "Invalid URI", "property": f"{where}.uri"})


def _check_message(message: Any, where: str, errors: List[Dict[str, str]]) -> None:
    if not isinstance(message, dict):
        errors.append({"message": "Must be an object", "property": where})
        return
    kind = message.get("type")
    if kind not in MESSAGE_TYPES:
        errors.append({"message": "Invalid message type", "property": f"{where}.type"})
        return
    if kind == "text":
        text = message.get("text")
        if not isinstance(text, str) or not text:
            errors.append({"message": "May not be empty", "property": f"{where}.text"})
        elif _utf16_length(text) > 5000:
            errors.append(
                {"message": "Length must be between 0 and 5000", "property": f"{where}.text"}
            )
    if kind == "image":
        for key in ("originalContentUrl", "previewImageUrl"):
            if not _is_https(message.get(key)):
                errors.append({"message": "Must be a valid HTTPS URL", "property": f"{where}.{key}"})
    if "quickReply" in message:
        quick_reply = message["quickReply"]
        items = quick_reply.get("items") if isinstance(quick_reply, dict) else None
        if not isinstance(items, list) or not 1 <= len(items) <= 13:
            errors.append(
                {"message": "Size must be between 1 and 13", "property": f"{where}.quickReply.items"}
            )
            return
        for index, item in enumerate(items):
            item_where = f"{where}.quickReply.items[{index}]"
            if not isinstance(item, dict) or item.get("type") != "action":
                errors.append({"message": "Must be 'action'", "property": f"{item_where}.type"})
                continue
            _check_action(item.get("action"), f"{item_where}.action", errors)


def check_send_body(endpoint: str, body: Any) -> List[Dict[str, str]]:
    """Validate a reply/push body; returns LINE-style error details (empty when valid)."""
    errors: List[Dict[str, str]] = []
    if not isinstance(body, dict):
        return [{"message": "Must be an object", "property": ""}]
    if endpoint == "reply":
        token = body.get("replyToken")
        if not isinstance(token, str) or not token:
            errors.append({"message": "May not be empty", "property": "replyToken"})
    else:
        to = body.get("to")
        if not isinstance(to, str) or not to:
            errors.append({"message": "May not be empty", "property": "to"})
    messages = body.get("messages")
    if not isinstance(messages, list) or not 1 <= len(messages) <= 5:
        errors.append({"message": "Size must be between 1 and 5", "property": "messages"})
    else:
        for index, message in enumerate(messages):
            _check_message(message, f"messages[{index}]", errors)
    if "notificationDisabled" in body and not isinstance(body["notificationDisabled"], bool):
        errors.append({"message": "Must be a boolean", "property": "notificationDisabled"})
    return errors


class ThreadedFakeServer:
    """An aiohttp application served from a background thread on a free 127.0.0.1 port.

    Subclasses provide :meth:`_app`. Shared with the fake Slack API.
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._port = 0
        self._thread: Optional[threading.Thread] = None
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._runner: Optional[web.AppRunner] = None

    def _app(self) -> web.Application:
        raise NotImplementedError

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._port}"

    def wait_for(self, predicate: Callable[[Any], bool], timeout: float = 30.0) -> bool:
        """Poll until ``predicate(self)`` holds; bots answer in the background."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if predicate(self):
                    return True
            time.sleep(0.05)
        with self._lock:
            return predicate(self)

    def start(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self._port = probe.getsockname()[1]
        ready = threading.Event()
        self._loop = asyncio.new_event_loop()

        def serve() -> None:
            asyncio.set_event_loop(self._loop)
            self._runner = web.AppRunner(self._app())
            self._loop.run_until_complete(self._runner.setup())
            site = web.TCPSite(self._runner, "127.0.0.1", self._port)
            self._loop.run_until_complete(site.start())
            ready.set()
            self._loop.run_forever()

        self._thread = threading.Thread(target=serve, name=type(self).__name__, daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError(f"{type(self).__name__} did not start")
        return self

    def stop(self) -> None:
        if self._loop is None:
            return
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)
        self._loop.close()
        self._loop = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()


class FakeLineApi(ThreadedFakeServer):
    """The fake LINE server. Use as a context manager or call :meth:`start` / :meth:`stop`."""

    def __init__(
        self, access_token: str = "test-line-access-token", strict_recipient_ids: bool = False
    ) -> None:
        super().__init__()
        self.access_token = access_token
        # Real ids look like U/C/R + 32 hex digits; LINE's SDK fixture uses shorter ones.
        self.strict_recipient_ids = strict_recipient_ids
        self.calls: List[Call] = []
        self.rejected: List[Rejection] = []
        self._expired: Set[str] = set()
        self._used: Set[str] = set()
        self._retry_keys: Dict[str, str] = {}
        self._failures: List[tuple] = []
        self.failed: List[float] = []  # monotonic times of the injected failures

    def fail_next(self, count: int, status: int = 500, retry_after: Optional[int] = None) -> None:
        """Answer the next ``count`` calls with ``status`` (429: "rate limit"; 5xx: server error)."""
        with self._lock:
            self._failures.extend([(status, retry_after)] * count)

    def expire_reply_token(self, token: str) -> None:
        """Make LINE answer 'Invalid reply token' for ``token`` (as after ~30 s)."""
        with self._lock:
            self._expired.add(token)

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self.rejected.clear()

    def replies(self) -> List[Call]:
        with self._lock:
            return [c for c in self.calls if c.endpoint == "reply"]

    def pushes(self) -> List[Call]:
        with self._lock:
            return [c for c in self.calls if c.endpoint == "push"]

    def wait_for_calls(self, count: int, timeout: float = 30.0) -> bool:
        return self.wait_for(lambda api: len(api.calls) >= count, timeout)

    # -- server --------------------------------------------------------------------------

    def _app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/v2/bot/message/reply", self._handle("reply"))
        app.router.add_post("/v2/bot/message/push", self._handle("push"))
        return app

    def _reject(self, request: web.Request, status: int, error: Dict[str, Any], body: Any = None):
        with self._lock:
            self.rejected.append(Rejection(request.path, status, error, body))
        return web.json_response(
            error, status=status, headers={"x-line-request-id": str(uuid.uuid4())}
        )

    def _handle(self, endpoint: str):
        async def handler(request: web.Request) -> web.Response:
            authorization = request.headers.get("Authorization", "")
            if not authorization.startswith("Bearer "):
                return self._reject(request, 401, {
                    "message": "Authorization header required. Must follow the scheme, "
                    "'Authorization: Bearer <ACCESS TOKEN>'"
                })
            if authorization[len("Bearer "):] != self.access_token:
                return self._reject(request, 401, {
                    "message": "Authentication failed due to the following reason: invalid "
                    "token. Confirm that the access token in the authorization header is valid."
                })
            if request.content_type != "application/json":
                return self._reject(request, 415, {
                    "message": "A content type not supported by the API is requested."
                })
            with self._lock:
                failure = self._failures.pop(0) if self._failures else None
                if failure:
                    self.failed.append(time.monotonic())
            if failure:
                status, retry_after = failure
                message = "The API rate limit has been exceeded. Try again later." \
                    if status == 429 else "An error occurred in the internal server."
                headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
                return web.json_response({"message": message}, status=status, headers=headers)
            raw = await request.read()
            try:
                body = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, ValueError) as error:
                return self._reject(request, 400, {
                    "message": f"The request body could not be parsed as JSON ({error})"
                })
            details = check_send_body(endpoint, body)
            if endpoint == "push" and not details and self.strict_recipient_ids:
                if not RECIPIENT_ID.match(body["to"]):
                    details.append({"message": "The value for the 'to' field is not valid.",
                                    "property": "to"})
            if details:
                return self._reject(request, 400, {
                    "message": f"The request body has {len(details)} error(s)",
                    "details": details,
                }, body)
            if endpoint == "reply":
                token = body["replyToken"]
                with self._lock:
                    invalid = token in self._expired or token in self._used
                    self._used.add(token)
                if invalid:
                    return self._reject(request, 400, {"message": "Invalid reply token"}, body)
            retry_key = request.headers.get("X-Line-Retry-Key")
            with self._lock:
                accepted = self._retry_keys.get(retry_key) if retry_key else None
                if accepted:
                    return web.json_response(
                        {"message": "The retry key is already accepted"}, status=409,
                        headers={"x-line-accepted-request-id": accepted},
                    )
                request_id = str(uuid.uuid4())
                if retry_key:
                    self._retry_keys[retry_key] = request_id
                self.calls.append(Call(endpoint, body, dict(request.headers)))
            sent = [
                {"id": str(uuid.uuid4().int)[:18], "quoteToken": uuid.uuid4().hex}
                for _ in body["messages"]
            ]
            return web.json_response({"sentMessages": sent}, headers={"x-line-request-id": request_id})

        return handler
