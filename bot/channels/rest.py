"""Rasa's REST channel (`/webhooks/rest/webhook`), with the reply guard."""
from __future__ import annotations

from typing import Text

from rasa.core.channels.rest import RestInput as RasaRestInput
from sanic import Blueprint

from bot.channels.reply_guard import OnNewMessage, guard_replies


class RestInput(RasaRestInput):
    """Same wire format as Rasa's; a failed or slow turn gets an apology."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        return super().blueprint(guard_replies(on_new_message))
