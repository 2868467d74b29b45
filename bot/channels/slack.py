"""Rasa's built-in Slack channel, with a configurable Web API address and event de-duplication.

Use it in ``credentials.yml`` in place of ``slack:``; it takes the same keys::

    bot.channels.slack.SlackInput:
      slack_token: ${SLACK_BOT_TOKEN}
      slack_signing_secret: ${SLACK_SIGNING_SECRET}
      use_threads: true
      # api_base: https://slack.com/api/   (optional; else $SLACK_API_BASE, else Slack's)

The webhook stays ``/webhooks/slack/webhook`` and the channel name stays ``slack``.

Why a subclass:

- Rasa builds slack_sdk's ``AsyncWebClient(token, proxy=...)`` and slack_sdk has no environment
  variable for its base URL, so without this the bot can only ever post to https://slack.com/api/.
  ``api_base`` lets tests (and air-gapped staging) point it at a local fake of the Web API.
- Rasa acknowledges Slack at once and only drops retries whose reason is ``http_timeout``. A retry
  for another reason, or the ``message`` + ``app_mention`` pair Slack sends for one message that
  mentions the bot in a listened-to channel, would be answered twice. Requests are therefore
  de-duplicated by the message they carry (channel + ts, or the event id).
- Rasa answers ``url_verification`` with a bare JSON string; Slack documents plain text, a form, or
  ``{"challenge": ...}``. We answer with the documented JSON object.
- Conversation ids are namespaced: ``slack:<user>`` (Rasa's id prefixed), so no other channel can
  address a Slack user's conversation.
- Rasa posts every ``custom`` payload as ``chat.postMessage`` arguments. The action service sends
  ``{"type": "citation", ...}`` payloads for the web widget; Slack refuses them (``no_text``) and
  slack_sdk's exception would abort the rest of the turn. Payloads without ``text``, ``blocks``
  or ``attachments`` are therefore not posted, and a failed post is logged instead of raised.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from typing import Any, Awaitable, Callable, Dict, Optional, Text

import aiohttp
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.slack import SlackBot as RasaSlackBot
from rasa.core.channels.slack import SlackInput as RasaSlackInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.channels.event_ledger import RecentIds
from bot.channels.reply_guard import guard_replies

logger = logging.getLogger(__name__)

DEFAULT_API_BASE = "https://slack.com/api/"
CONVERSATION_PREFIX = "slack:"
API_BASE_ENV_VAR = "SLACK_API_BASE"


def resolve_api_base(configured: Optional[Text] = None) -> Text:
    """Credentials first, then ``$SLACK_API_BASE``, then Slack's own address."""
    return configured or os.environ.get(API_BASE_ENV_VAR) or DEFAULT_API_BASE


def event_key(payload: Dict[Text, Any]) -> Optional[Text]:
    """Identify the user message an Events API payload is about.

    Retries repeat the payload, and a mention in a listened-to channel arrives both as
    ``message`` and ``app_mention`` with different event ids but the same channel and ts.
    """
    event = payload.get("event")
    if isinstance(event, dict) and event.get("channel") and event.get("ts"):
        return f"{event['channel']}:{event['ts']}"
    event_id = payload.get("event_id")
    return str(event_id) if event_id else None


class SlackBot(RasaSlackBot):
    """Rasa's Slack output channel, posting to ``api_base``."""

    def __init__(
        self,
        token: Text,
        slack_channel: Optional[Text] = None,
        thread_id: Optional[Text] = None,
        proxy: Optional[Text] = None,
        api_base: Text = DEFAULT_API_BASE,
    ) -> None:
        super().__init__(token, slack_channel, thread_id, proxy)
        self.client = AsyncWebClient(token, base_url=api_base, proxy=proxy)

    async def _post_message(self, channel: Text, **kwargs: Any) -> None:
        try:
            await super()._post_message(channel, **kwargs)
        except SlackApiError as error:
            logger.error("Slack chat.postMessage failed: %s", error.response.get("error"))
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            logger.error("Slack chat.postMessage failed: %r", error)

    async def send_custom_json(
        self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any
    ) -> None:
        if not any(json_message.get(key) for key in ("text", "blocks", "attachments")):
            logger.debug("Not posting custom payload %r to Slack.", json_message.get("type"))
            return
        await super().send_custom_json(recipient_id, json_message, **kwargs)


class SlackInput(RasaSlackInput):
    """Rasa's Slack input channel with ``api_base`` and de-duplication (see module docstring)."""

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        channel = super().from_credentials(credentials)
        channel.api_base = resolve_api_base((credentials or {}).get("api_base"))
        return channel

    def __init__(self, *args: Any, api_base: Optional[Text] = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.api_base = resolve_api_base(api_base)
        self.seen_events = RecentIds(10_000)

    def _get_conversation_id(
        self, sender_id: Optional[Text], channel_id: Optional[Text], thread_id: Optional[Text]
    ) -> Optional[Text]:
        conversation = super()._get_conversation_id(sender_id, channel_id, thread_id)
        return CONVERSATION_PREFIX + conversation if conversation else conversation

    def get_output_channel(
        self, channel: Optional[Text] = None, thread_id: Optional[Text] = None
    ) -> OutputChannel:
        return SlackBot(
            self.slack_token,
            channel or self.slack_channel,
            thread_id,
            self.proxy,
            api_base=self.api_base,
        )

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        slack_webhook = super().blueprint(guard_replies(on_new_message))

        @slack_webhook.middleware("request")
        async def before_rasa(request: Request) -> Optional[HTTPResponse]:
            return self.screen_request(request)

        return slack_webhook

    def screen_request(self, request: Request) -> Optional[HTTPResponse]:
        """Answer verification and duplicates before Rasa's handler; ``None`` lets it run.

        Unsigned or wrongly signed requests are left to Rasa's handler, which rejects them.
        """
        if request.method != "POST" or not request.path.endswith("/webhook"):
            return None
        if request.headers.get("content-type") != "application/json":
            return None
        if not self.is_request_from_slack_authentic(request):
            return None
        try:
            payload = json.loads(request.body)
        except ValueError:
            return None
        if not isinstance(payload, dict):
            return None
        if payload.get("type") == "url_verification":
            return response.json({"challenge": payload.get("challenge")})
        if payload.get("type") != "event_callback" or not self._is_user_message(payload):
            return None
        if not self._is_supported_channel(payload, self.get_metadata(request)):
            return None  # Rasa ignores it; a later app_mention for the same message must pass
        key = event_key(payload)
        if key is None:
            return None
        if key in self.seen_events:
            logger.info(
                "Skipping Slack event %s (retry %s, %s): already handled.",
                key,
                request.headers.get(self.retry_num_header),
                request.headers.get(self.retry_reason_header),
            )
            return response.text("", headers={"X-Slack-No-Retry": "1"})
        self.seen_events.add(key)
        return None
