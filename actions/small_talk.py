"""Greetings, thanks, goodbyes and "are you a bot?", in the user's language."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.language import reply_language
from actions.texts import text

SMALL_TALK_INTENTS = ("greet", "goodbye", "thanks", "bot_challenge")
"""Each intent's reply is the text of the same name in texts.yml."""


class ActionSmallTalk(Action):
    def name(self) -> Text:
        return "action_small_talk"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        intent = tracker.get_intent_of_latest_message(skip_fallback_intent=False)
        key = intent if intent in SMALL_TALK_INTENTS else "greet"
        dispatcher.utter_message(text=text(key, reply_language(tracker)))
        return []
