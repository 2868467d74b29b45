"""Greetings, thanks, acknowledgements ("ok", "👍"), goodbyes and "are you a
bot?", in the user's language. Each intent's reply is the text of the same
name in texts.yml. A message that also asks the plan something ("ok, and
China?", "thanks! when did it open?") is answered instead."""
from __future__ import annotations

import unicodedata
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import asked_now, asks_the_plan, respond
from actions.compose.reply import language_payload
from actions.language import reply_language
from actions.texts import text

SMALL_TALK_INTENTS = ("greet", "goodbye", "thanks", "acknowledge", "bot_challenge")


def _has_content(message: str) -> bool:
    """Letters or emoji; "2019" or "..." alone say nothing to reply to."""
    return any(ch.isalpha() or unicodedata.category(ch) == "So" for ch in message)


class ActionSmallTalk(Action):
    def name(self) -> Text:
        return "action_small_talk"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        if asks_the_plan(asked_now(tracker)):
            return respond(dispatcher, tracker)
        intent = tracker.get_intent_of_latest_message(skip_fallback_intent=False)
        message = tracker.latest_message.get("text") or ""
        key = intent if intent in SMALL_TALK_INTENTS and _has_content(message) else "not_understood"
        language = reply_language(tracker)
        dispatcher.utter_message(text=text(key, language))
        dispatcher.utter_message(json_message=language_payload(language, "small_talk"))
        return []
