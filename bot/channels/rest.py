"""Rasa's REST channel (`/webhooks/rest/webhook`), with the reply guard, and the endpoint the
web widget polls for messages from the consultation center's staff:

    GET /webhooks/rest/messages?sender=<conversation id>&after=<Unix time>
        -> [{"text": ..., "timestamp": ..., "staff": true}, ...]

The staff replies are the ones bot/channels/staff.py recorded in the conversation.
"""
from __future__ import annotations

from typing import Text

from rasa.core.channels.rest import RestInput as RasaRestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.reply_guard import OnNewMessage, guard_replies
from bot.channels.staff import staff_messages

MAX_SENDER_LENGTH = 255


class RestInput(RasaRestInput):
    """Same wire format as Rasa's; a failed or slow turn gets an apology."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        rest = super().blueprint(guard_replies(on_new_message))

        @rest.route("/messages", methods=["GET"])
        async def messages_from_staff(request: Request) -> HTTPResponse:
            sender = request.args.get("sender") or ""
            try:
                after = float(request.args.get("after") or 0)
            except ValueError:
                after = -1.0
            if not sender or len(sender) > MAX_SENDER_LENGTH or after < 0:
                return response.json(
                    {"error": "'sender' (the conversation id) and 'after' (a Unix time) are "
                              "required"}, status=400)
            tracker = await request.app.ctx.agent.tracker_store.retrieve(sender)
            return response.json(staff_messages(tracker, after) if tracker else [])

        return rest
