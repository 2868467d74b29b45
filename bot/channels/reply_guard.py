"""Never leave a user in silence.

If handling a message produces no reply — the action service is down, it is
slower than `REPLY_TIMEOUT_SECONDS`, or anything else failed — the channel
sends a short apology in the user's language instead. A blank message is
answered with a request to type a question. Slow handling is not
cancelled: it finishes in the background, so the conversation is still
recorded in full. Every input channel wraps its `on_new_message` with
`guard_replies`.
"""
from __future__ import annotations

import asyncio
import logging
import os
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, Optional, Text

import yaml
from rasa.core.channels.channel import OutputChannel, UserMessage

from nlu.language_detection import detect_language
from nlu.languages import ANSWER_LANGUAGES

logger = logging.getLogger(__name__)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]
TEXTS_FILE = Path(__file__).with_name("reply_guard.yml")
DEFAULT_TIMEOUT_SECONDS = 20.0


@lru_cache(maxsize=1)
def _apologies() -> Dict[Text, Text]:
    return yaml.safe_load(TEXTS_FILE.read_text("utf-8"))["service_unavailable"]


def apology_for(message: UserMessage) -> Text:
    """The apology in the menu-chosen language, else the message's, else English."""
    metadata = message.metadata if isinstance(message.metadata, dict) else {}
    language = metadata.get("language")
    if language not in ANSWER_LANGUAGES:
        language = detect_language(message.text or "").language or "en"
    return _apologies()[language]


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


def guard_replies(on_new_message: OnNewMessage) -> OnNewMessage:
    """Wrap a channel's `on_new_message` so every message gets some reply."""
    timeout = float(os.environ.get("REPLY_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS))

    async def handle(message: UserMessage) -> None:
        if is_blank(message.text):
            message.text = BLANK_MESSAGE
        sent = _count_sends(message.output_channel)
        task = asyncio.ensure_future(on_new_message(message))
        task.add_done_callback(_log_failure)
        await asyncio.wait({task}, timeout=timeout)
        if not task.done():
            logger.warning("No reply within %.0f s for %s; apologizing.", timeout, message.sender_id)
        if sent() == 0:
            await message.output_channel.send_text_message(message.sender_id, apology_for(message))

    return handle
