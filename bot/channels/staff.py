"""Internal endpoints for the consultation center's console, inside the Rasa process.

The console (`console/`) runs in another process and another Python, but two things it needs
only the Rasa process has: the loaded NLU model, and the conversations with their channels and
Rasa's lock on each. So the console calls these endpoints::

    POST /webhooks/staff/parse    {"text": ...}                 -> the NLU parse data
    POST /webhooks/staff/deliver  {"conversation_id", "text", "staff", "delivery_id"}
                                  -> {"channel": ..., "status": "sent" | "already_sent"}

Both need ``Authorization: Bearer $STAFF_API_TOKEN`` (compared in constant time) and are refused
while the variable is unset. Enable them in credentials.yml with ``bot.channels.staff.StaffInput:``.

A staff reply goes out through the user's own channel, read from the latest user message's
``input_channel`` and ``metadata`` (never from the id alone): a LINE push to the user, group or
room; a Slack post in the message's thread; for the web widget nothing is sent, since the widget
fetches staff messages from the conversation (see `staff_messages`). Once the channel has
accepted it, the reply is appended to the conversation as a bot message marked ``staff`` in its
metadata, under Rasa's lock for that conversation, so the transcript is complete. A
`delivery_id` already in the conversation is not sent again: a retry after a lost answer is safe.
A channel failure answers 502 with the reason, and nothing is recorded.
"""
from __future__ import annotations

import asyncio
import hmac
import json
import logging
import os
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

import aiohttp
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.channels import line, slack

logger = logging.getLogger(__name__)

TOKEN_ENV_VAR = "STAFF_API_TOKEN"
MAX_BODY_BYTES = 32_000
MAX_QUESTION_LENGTH = 2_000
MAX_REPLY_LENGTH = 4_000
MAX_NAME_LENGTH = 100
MAX_DELIVERY_ID_LENGTH = 64
WEB = "web"
"""What the console calls every channel that fetches its staff messages (REST, socket.io)."""


class DeliveryError(Exception):
    """The user's channel refused the message or could not be reached."""


def authorized(header: Optional[Text], token: Optional[Text]) -> bool:
    """`Authorization: Bearer <token>`, compared in constant time; never without a token."""
    if not token or not header or not header.startswith("Bearer "):
        return False
    return hmac.compare_digest(header[len("Bearer "):].encode(), token.encode())


def latest_user_message(tracker: DialogueStateTracker) -> Optional[UserUttered]:
    return next((e for e in reversed(tracker.events) if isinstance(e, UserUttered)), None)


def delivery_channel(message: UserUttered) -> Text:
    """`line`, `slack`, or `web` for channels whose client fetches staff messages."""
    return message.input_channel if message.input_channel in ("line", "slack") else WEB


def staff_metadata(event: Any) -> Optional[Dict[Text, Any]]:
    """The `staff` record of a bot message sent by a person, else None."""
    metadata = getattr(event, "metadata", None) or {}
    record = metadata.get("staff") if isinstance(metadata, dict) else None
    return record if isinstance(record, dict) else None


def staff_messages(tracker: DialogueStateTracker, after: float) -> List[Dict[Text, Any]]:
    """Staff replies stamped after `after` (a Unix time), oldest first, for the widget."""
    return [
        {"text": event.text, "timestamp": event.timestamp, "staff": True}
        for event in tracker.events
        if isinstance(event, BotUttered) and staff_metadata(event) and event.timestamp > after
    ]


async def push_to_line(metadata: Dict[Text, Any], text: Text) -> None:
    source = (metadata.get("line") or {}).get("source")
    recipient = line.conversation_id(source)
    token = os.environ.get("LINE_CHANNEL_ACCESS_TOKEN")
    if not recipient or not token:
        raise DeliveryError("no LINE recipient or access token")
    client = line.LineApiClient(
        token, os.environ.get(line.API_BASE_ENV_VAR) or line.DEFAULT_API_BASE
    )
    try:
        result = await client.push(recipient, line.build_line_messages([{"text": text}]))
    finally:
        await client.close()
    if not result.ok:
        raise DeliveryError(f"LINE push failed: HTTP {result.status} {result.body}")


async def post_to_slack(metadata: Dict[Text, Any], text: Text) -> None:
    channel, thread = metadata.get("out_channel"), metadata.get("thread_id")
    token = os.environ.get("SLACK_BOT_TOKEN")
    if not channel or not token:
        raise DeliveryError("no Slack channel or bot token")
    client = AsyncWebClient(token, base_url=slack.resolve_api_base())
    try:
        await client.chat_postMessage(channel=channel, text=text, thread_ts=thread)
    except SlackApiError as error:
        raise DeliveryError(f"Slack chat.postMessage failed: {error.response.get('error')}")
    except (aiohttp.ClientError, asyncio.TimeoutError) as error:
        raise DeliveryError(f"Slack chat.postMessage failed: {error!r}") from error


SENDERS: Dict[Text, Callable[[Dict[Text, Any], Text], Awaitable[None]]] = {
    "line": push_to_line,
    "slack": post_to_slack,
}


def _json_body(request: Request) -> Optional[Dict[Text, Any]]:
    if len(request.body or b"") > MAX_BODY_BYTES:
        return None
    try:
        body = json.loads(request.body or b"")
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _text(body: Dict[Text, Any], key: Text, limit: int) -> Optional[Text]:
    value = body.get(key)
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        return None
    return value.strip()


def _bad_request(reason: Text) -> HTTPResponse:
    return response.json({"error": reason}, status=400)


class StaffInput(InputChannel):
    """Not a user channel: the console's door into the Rasa process (see module docstring)."""

    @classmethod
    def name(cls) -> Text:
        return "staff"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        return cls()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        staff = Blueprint("staff_endpoints", __name__)

        @staff.middleware("request")
        async def require_token(request: Request) -> Optional[HTTPResponse]:
            if not request.path.startswith("/webhooks/staff/"):
                return None
            if not authorized(request.headers.get("Authorization"), os.environ.get(TOKEN_ENV_VAR)):
                return response.json({"error": "unauthorized"}, status=401)
            return None

        @staff.route("/parse", methods=["POST"])
        async def parse(request: Request) -> HTTPResponse:
            body = _json_body(request)
            text = _text(body, "text", MAX_QUESTION_LENGTH) if body else None
            if text is None:
                return _bad_request(f"'text' must be 1 to {MAX_QUESTION_LENGTH} characters")
            return response.json(await request.app.ctx.agent.parse_message(text))

        @staff.route("/deliver", methods=["POST"])
        async def deliver(request: Request) -> HTTPResponse:
            body = _json_body(request) or {}
            conversation = _text(body, "conversation_id", 255)
            text = _text(body, "text", MAX_REPLY_LENGTH)
            name = _text(body, "staff", MAX_NAME_LENGTH)
            delivery_id = _text(body, "delivery_id", MAX_DELIVERY_ID_LENGTH)
            if None in (conversation, text, name, delivery_id):
                return _bad_request(
                    "'conversation_id', 'text' (at most 4000 characters), 'staff' and "
                    "'delivery_id' are required"
                )
            try:
                result = await self.deliver(request.app.ctx.agent, conversation, text, name,
                                            delivery_id)
            except LookupError as error:
                return response.json({"error": str(error)}, status=404)
            except DeliveryError as error:
                logger.warning("Staff reply to %s not delivered: %s", conversation, error)
                return response.json({"error": str(error)}, status=502)
            return response.json(result)

        return staff

    async def deliver(
        self, agent: Any, conversation_id: Text, text: Text, staff: Text, delivery_id: Text
    ) -> Dict[Text, Text]:
        """Send through the user's channel, then record it, under the conversation's lock."""
        async with agent.lock_store.lock(conversation_id):
            tracker = await agent.tracker_store.retrieve(conversation_id)
            user_message = latest_user_message(tracker) if tracker else None
            if user_message is None:
                raise LookupError(f"no conversation {conversation_id!r} with a user message")
            channel = delivery_channel(user_message)
            if any((staff_metadata(e) or {}).get("delivery_id") == delivery_id
                   for e in tracker.events):
                return {"channel": channel, "status": "already_sent"}
            sender = SENDERS.get(channel)
            if sender is not None:
                await sender(user_message.metadata or {}, text)
            record = {"name": staff, "delivery_id": delivery_id, "channel": channel}
            tracker.update(BotUttered(text, metadata={"staff": record}))
            await agent.tracker_store.save(tracker)
        return {"channel": channel, "status": "sent"}
