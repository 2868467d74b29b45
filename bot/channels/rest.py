"""The REST channel (``/webhooks/rest/...``): the web widget's, with server-issued sessions.

Same reply format as Rasa's REST channel (a JSON list of bot messages), but a client never
chooses its conversation id:

- ``POST /webhooks/rest/session`` returns ``{"session": "<token>"}``, a signed id ``web:<random>``
  (bot/channels/web_session.py, secret ``$WEB_SESSION_SECRET``).
- ``POST /webhooks/rest/webhook`` with ``{"sender": "<token>", "message": "...",
  "metadata": {"language": "th"}}`` speaks in that conversation. An unknown or forged token gets
  401, and the client asks for a new session.
- A trusted server-side client may use its own ids when ``$REST_CLIENT_TOKEN`` is set: with
  ``Authorization: Bearer $REST_CLIENT_TOKEN`` its ``sender`` becomes ``rest:<sender>``.

So a REST client can reach neither a LINE or Slack conversation nor another visitor's. Bodies are
parsed here, strictly: malformed JSON, deep nesting, lone fields of the wrong type get 400, and
only the ``language`` key of the metadata is kept. Requests per client address are rate-limited
(429 with Retry-After); the reply guard bounds each message.

The widget also polls for messages from the consultation center's staff (bot/channels/staff.py
records them in the conversation), with its session token:

    GET /webhooks/rest/messages?sender=<session token>&after=<Unix time>
        -> [{"text": ..., "timestamp": ..., "staff": true}, ...]
"""
from __future__ import annotations

import hmac
import json
import logging
import math
import os
from typing import Any, Dict, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from rasa.shared.exceptions import InvalidConfigException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.limits import RateLimiter, client_address, load_limits
from bot.channels.reply_guard import OnNewMessage, guard_replies
from bot.channels.staff import staff_messages
from bot.channels.web_session import issue_session, verify_session
from nlu.components.language_detector import AUTO_CHOICE
from nlu.languages import ANSWER_LANGUAGES

logger = logging.getLogger(__name__)

SESSION_SECRET_ENV = "WEB_SESSION_SECRET"
CLIENT_TOKEN_ENV = "REST_CLIENT_TOKEN"
TRUSTED_PREFIX = "rest:"
MAX_SENDER_LENGTH = 128


class BadRequest(ValueError):
    """The request body is not a REST message."""


def parse_body(body: bytes) -> Dict[Text, Any]:
    """The JSON object of a request body with a string ``sender`` and ``message``."""
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise BadRequest("The body must be a JSON object in UTF-8.") from error
    if not isinstance(payload, dict):
        raise BadRequest("The body must be a JSON object.")
    for key in ("sender", "message"):
        if not isinstance(payload.get(key), str):
            raise BadRequest(f"'{key}' must be a string.")
    if not isinstance(payload.get("metadata", {}), (dict, type(None))):
        raise BadRequest("'metadata' must be an object.")
    return payload


def client_metadata(metadata: Optional[Dict[Text, Any]]) -> Dict[Text, Any]:
    """What a web client may tell Rasa: only its language menu choice, if it is a real one."""
    language = (metadata or {}).get("language")
    if language in ANSWER_LANGUAGES or language == AUTO_CHOICE:
        return {"language": language}
    return {}


def trusted_sender(sender: Text) -> Optional[Text]:
    """``rest:<sender>`` for a sane id of a trusted client, else None."""
    if 0 < len(sender) <= MAX_SENDER_LENGTH and sender.isprintable():
        return TRUSTED_PREFIX + sender
    return None


class RestInput(InputChannel):
    """Server-issued web sessions, strict parsing, per-address rate limits, the reply guard."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        secret = os.environ.get(SESSION_SECRET_ENV)
        if not secret:
            raise InvalidConfigException(
                f"The REST channel needs ${SESSION_SECRET_ENV} to sign web sessions "
                "(bot/launcher.py generates one for `make run`; set it to the same random value "
                "on every replica in production)."
            )
        return cls(secret, os.environ.get(CLIENT_TOKEN_ENV) or None)

    def __init__(self, session_secret: Text, client_token: Optional[Text] = None) -> None:
        self.session_secret = session_secret
        self.client_token = client_token
        limits = load_limits()
        self.trusted_proxies = limits.trusted_proxies
        self.addresses = RateLimiter(limits.per_address, limits.max_tracked)

    def too_many(self, request: Request) -> Optional[HTTPResponse]:
        """429 when the client's address is over its rate limit, else None."""
        address = client_address(
            request.ip, request.headers.get("X-Forwarded-For"), self.trusted_proxies
        )
        wait = self.addresses.retry_after(address)
        if not wait:
            return None
        logger.warning("Rate limit: %s sends too many requests.", address)
        return response.json(
            {"error": "rate_limited", "message": "Too many requests; try again later."},
            status=429, headers={"Retry-After": str(math.ceil(wait))},
        )

    def conversation_id(self, request: Request, sender: Text) -> Optional[Text]:
        """The conversation a request may speak in, or None."""
        conversation = verify_session(sender, self.session_secret)
        if conversation is not None:
            return conversation
        if self.client_token:
            header = request.headers.get("Authorization", "")
            expected = f"Bearer {self.client_token}".encode("utf-8")
            if hmac.compare_digest(header.encode("utf-8", "replace"), expected):
                return trusted_sender(sender)
        return None

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        on_new_message = guard_replies(on_new_message)
        rest = Blueprint("custom_webhook_RestInput", __name__)

        @rest.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @rest.route("/session", methods=["POST"])
        async def session(request: Request) -> HTTPResponse:
            return self.too_many(request) or response.json(
                {"session": issue_session(self.session_secret)}
            )

        @rest.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            refused = self.too_many(request)
            if refused:
                return refused
            try:
                payload = parse_body(request.body or b"")
            except BadRequest as error:
                return response.json({"error": "bad_request", "message": str(error)}, status=400)
            conversation = self.conversation_id(request, payload["sender"])
            if conversation is None:
                return response.json(
                    {"error": "session", "message": "Unknown session: get one from "
                     "POST /webhooks/rest/session and send it as 'sender'."},
                    status=401,
                )
            collector = CollectingOutputChannel()
            await on_new_message(UserMessage(
                payload["message"], collector, conversation, input_channel=self.name(),
                metadata=client_metadata(payload.get("metadata")),
            ))
            return response.json(collector.messages)

        @rest.route("/messages", methods=["GET"])
        async def messages_from_staff(request: Request) -> HTTPResponse:
            refused = self.too_many(request)
            if refused:
                return refused
            try:
                after = float(request.args.get("after") or 0)
            except ValueError:
                after = -1.0
            if after < 0:
                return response.json({"error": "bad_request", "message": "'after' must be a Unix time."},
                                     status=400)
            conversation = self.conversation_id(request, request.args.get("sender") or "")
            if conversation is None:
                return response.json({"error": "session", "message": "Unknown session."}, status=401)
            tracker = await request.app.ctx.agent.tracker_store.retrieve(conversation)
            return response.json(staff_messages(tracker, after) if tracker else [])

        return rest
