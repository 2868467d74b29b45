""""Forget me": the user asks for their conversation to be deleted.

The deletion happens where the conversations are stored: the action sets
the `forget_me` slot, and when the Rasa server saves the turn its tracker
store deletes every row of the conversation instead of writing it
(bot/privacy.py), the request included. Deleting cannot be undone, so a
request the classifier is not sure of is not carried out: the user is told
how to ask plainly instead.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.language import reply_language
from actions.texts import text

MIN_CONFIDENCE = 0.7
"""Below this intent confidence the conversation is kept and the user asked to confirm."""


class ActionForgetMe(Action):
    def name(self) -> Text:
        return "action_forget_me"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        language = reply_language(tracker)
        confidence = (tracker.latest_message.get("intent") or {}).get("confidence") or 0.0
        if confidence < MIN_CONFIDENCE:
            dispatcher.utter_message(text=text("forget_unsure", language))
            return []
        dispatcher.utter_message(text=text("forget_done", language))
        return [SlotSet("forget_me", True)]
