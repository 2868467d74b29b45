""""Forget me": the user asks for their conversation to be deleted.

The action only answers. The deletion happens where the conversations are
stored: when the Rasa server saves this turn, its tracker store sees that
`action_forget_me` ran and deletes every row of the conversation instead of
writing the turn (bot/privacy.py), so the request itself is not kept either.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.language import reply_language
from actions.texts import text


class ActionForgetMe(Action):
    def name(self) -> Text:
        return "action_forget_me"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(text=text("forget_done", reply_language(tracker)))
        return []
