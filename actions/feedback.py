"""Record "was this helpful?" answers from the widget in the conversation."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.language import reply_language
from actions.texts import text


class ActionRecordFeedback(Action):
    def name(self) -> Text:
        return "action_record_feedback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        value = next(
            (e["value"] for e in tracker.latest_message.get("entities", []) if e["entity"] == "helpful"),
            None,
        )
        if value not in ("yes", "no"):
            return []
        dispatcher.utter_message(text=text("feedback_thanks", reply_language(tracker)))
        return [SlotSet("feedback", value)]
