"""Honest fallback: say the plan has no answer, and route to the center.

Used for out-of-scope questions, personal residence/visa/legal/medical
matters (always routed to the Foreign Resident Consultation Center), low NLU
confidence and empty or symbol-only messages. A message that still asks the
plan something (it names a subject or an attribute) is answered, verified,
whatever the classifier made of it; one that asks nothing placeable after an
answer is asked back about. It never pads the reply with unrelated facts.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import asked_now, asks_the_plan, ask_back, is_unclear, respond
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
        if intent == "empty_message" or not message:
            dispatcher.utter_message(text=text("empty_message", language))
            return []
        if intent == "ask_personal_case":
            utter_center_route(dispatcher, language, text("personal_case", language))
            return []
        asked = asked_now(tracker)
        if asks_the_plan(asked):
            return respond(dispatcher, tracker)
        if is_unclear(asked, tracker):
            return ask_back(dispatcher, tracker)
        if not any(ch.isalpha() for ch in message):
            dispatcher.utter_message(text=text("not_understood", language))
        else:
            utter_center_route(dispatcher, language, text("no_answer", language))
        return []
