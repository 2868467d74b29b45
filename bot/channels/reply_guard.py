"""Every user message gets a bounded turn and some reply, on every channel.

Each input channel wraps its ``on_new_message`` with :func:`guard_replies`. Before Rasa sees a
message the guard:

- replaces lone UTF-16 surrogates (valid JSON, but not storable text) with U+FFFD;
- cuts the text to ``message_max_characters`` (limits.yml), so NLU never works on more, and
  says so before the answer;
- answers a conversation that exceeds its rate limit with a polite "slow down";
- refuses typed intent payloads (``/intent{...}``) other than the ones buttons send
  (payloads.yml);
- turns a message with nothing visible in it into ``/empty_message``.

After the turn, if handling produced no reply (the action service is down, slower than
``REPLY_TIMEOUT_SECONDS``, or anything else failed), it sends a short apology instead. Slow
handling is not cancelled: it finishes in the background, so the conversation is still recorded
in full. Everything the guard says is in ``reply_guard.yml``, in the user's language.
"""
from __future__ import annotations

import asyncio
import logging
import os
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, Optional, Text

import yaml
from rasa.core.channels.channel import OutputChannel, UserMessage

from bot.channels.limits import RateLimiter, load_limits
from bot.channels.payloads import is_payload, payload_allowed
from nlu.language_detection import detect_language
from nlu.languages import ANSWER_LANGUAGES

logger = logging.getLogger(__name__)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]
TEXTS_FILE = Path(__file__).with_name("reply_guard.yml")
DEFAULT_TIMEOUT_SECONDS = 20.0
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


@lru_cache(maxsize=1)
def _texts() -> Dict[Text, Dict[Text, Text]]:
    return yaml.safe_load(TEXTS_FILE.read_text("utf-8"))


def reply_language(message: UserMessage) -> Text:
    """The menu-chosen language, else the message's, else English."""
    metadata = message.metadata if isinstance(message.metadata, dict) else {}
    language = metadata.get("language")
    if language not in ANSWER_LANGUAGES:
        language = detect_language(message.text or "").language or "en"
    return language


def guard_text(key: Text, message: UserMessage, **values: Any) -> Text:
    """The text ``key`` of reply_guard.yml in the user's language."""
    return _texts()[key][reply_language(message)].format(**values)


def apology_for(message: UserMessage) -> Text:
    return guard_text("service_unavailable", message)


def _count_sends(output: OutputChannel) -> Callable[[], int]:
    """Count the bot messages sent through `output` from now on."""
    sent = 0
    original = output.send_response

    async def counting(recipient_id: Text, bot_message: Dict[Text, Any]) -> None:
        nonlocal sent
        sent += 1
        await original(recipient_id, bot_message)

    output.send_response = counting  # type: ignore[method-assign]
    return lambda: sent


def _log_failure(task: "asyncio.Task[Any]") -> None:
    if not task.cancelled() and task.exception() is not None:
        logger.error("Handling a message failed", exc_info=task.exception())


BLANK_MESSAGE = "/empty_message"
"""What a message with nothing visible in it becomes: an intent payload, so
the assistant asks for a question in the conversation's language instead of
running NLU on nothing (which the classifier cannot featurize)."""


def is_blank(text: Optional[Text]) -> bool:
    return not text or all(ch.isspace() or unicodedata.category(ch)[0] == "C" for ch in text)


def bound_text(text: Optional[Text], limit: int) -> "tuple[Text, bool]":
    """The text without lone surrogates and cut to ``limit`` characters; whether it was cut."""
    text = _LONE_SURROGATE.sub("\ufffd", text or "")
    return text[:limit], len(text) > limit


def guard_replies(on_new_message: OnNewMessage) -> OnNewMessage:
    """Wrap a channel's `on_new_message`: bounded input, and every message gets some reply."""
    timeout = float(os.environ.get("REPLY_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS))
    limits = load_limits()
    senders = RateLimiter(limits.per_sender, limits.max_tracked)

    async def say(message: UserMessage, text: Text) -> None:
        await message.output_channel.send_text_message(message.sender_id, text)

    async def handle(message: UserMessage) -> None:
        message.text, was_cut = bound_text(message.text, limits.message_max_characters)
        if senders.retry_after(str(message.sender_id)):
            logger.warning("Rate limit: %s sends too fast.", message.sender_id)
            await say(message, guard_text("rate_limited", message))
            return
        if is_payload(message.text) and not payload_allowed(message.text):
            logger.info("Refused a typed payload from %s.", message.sender_id)
            await say(message, guard_text("payload_refused", message))
            return
        if is_blank(message.text):
            message.text = BLANK_MESSAGE
        if was_cut:
            await say(message, guard_text(
                "message_cut", message, limit=f"{limits.message_max_characters:,}"))
        sent = _count_sends(message.output_channel)
        task = asyncio.ensure_future(on_new_message(message))
        task.add_done_callback(_log_failure)
        await asyncio.wait({task}, timeout=timeout)
        if not task.done():
            logger.warning("No reply within %.0f s for %s; apologizing.", timeout, message.sender_id)
        if sent() == 0:
            await say(message, apology_for(message))

    return handle
