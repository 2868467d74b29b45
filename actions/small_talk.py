"""Greetings, thanks, acknowledgements ("ok", "👍"), goodbyes and "are you a
bot?", in the user's language. Each intent's reply is the text of the same
name in texts.yml. A short message that names a place right after a factual
answer ("แล้วเชจูล่ะ") is a follow-up, whatever it was classified as."""
from __future__ import annotations

import unicodedata
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import respond
from actions.context import SMALL_TALK_INTENTS, continues_a_topic
from actions.language import reply_language
from actions.texts import text

def _has_content(text: str) -> bool:
    """Letters or emoji; "2019" or "..." alone say nothing to reply to."""
    return any(ch.isalpha() or unicodedata.category(ch) == "So" for ch in text)


class ActionSmallTalk(Action):
    def name(self) -> Text:
        return "action_small_talk"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        if continues_a_topic(tracker):
            return respond(dispatcher, tracker)
        intent = tracker.get_intent_of_latest_message(skip_fallback_intent=False)
        message = tracker.latest_message.get("text") or ""
        key = intent if intent in SMALL_TALK_INTENTS and _has_content(message) else "not_understood"
        dispatcher.utter_message(text=text(key, reply_language(tracker)))
        return []
