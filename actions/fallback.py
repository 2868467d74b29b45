"""Honest fallback: say the plan has no answer, and route to the center.

Used for out-of-scope questions, personal residence/visa/legal/medical
matters (always routed to the Foreign Resident Consultation Center), low NLU
confidence and empty or symbol-only messages. It never pads the reply with
unrelated facts.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import respond
from actions.context import continues_a_topic
from actions.center import utter_center_route
from actions.language import reply_language
from actions.texts import text


class ActionFallback(Action):
    def name(self) -> Text:
        return "action_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        language = reply_language(tracker)
        message = (tracker.latest_message.get("text") or "").strip()
        intent = tracker.get_intent_of_latest_message(skip_fallback_intent=False)
        if intent == "nlu_fallback" and continues_a_topic(tracker):
            return respond(dispatcher, tracker)
        if intent == "empty_message" or not message:
            dispatcher.utter_message(text=text("empty_message", language))
        elif intent == "ask_personal_case":
            utter_center_route(dispatcher, language, "personal_case")
        elif intent == "nlu_fallback" and not any(ch.isalpha() for ch in message):
            dispatcher.utter_message(text=text("not_understood", language))
        else:
            utter_center_route(dispatcher, language, "no_answer")
        return []
