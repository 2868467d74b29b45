"""Switch the conversation's language on request ("English please", "日本語で").

A directive inside a question ("Please answer in Korean: where is ...?") has
already set the `language_choice` slot through the `language_directive`
entity; the question is then answered in that language. A message classified
as a language request that really asks something about languages ("is Thai
one of them?") is answered, not taken as a switch.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import asked_now, respond
from actions.compose.reply import language_payload
from actions.compose.subjects import HOME
from actions.language import reply_language
from actions.texts import text
from nlu.languages import ANSWER_LANGUAGES, language_names


class ActionChangeLanguage(Action):
    def name(self) -> Text:
        return "action_change_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        asked = asked_now(tracker)
        directive = asked.question.directive
        requested = [
            e["value"] for e in tracker.latest_message.get("entities", [])
            if e["entity"] == "requested_language" and e["value"] in ANSWER_LANGUAGES
        ]
        # Only what this message itself names counts: "back to Japanese, please" after a
        # question about an office is a switch, not a follow-up about that office.
        question = asked.question
        named = [s for s in question.subjects if s.value != HOME]
        about_the_plan = named or set(question.attributes) - {"languages"}
        # "Is Thai one of them?" uses a language name as a value; a directive ("back to
        # Chinese") never does.
        about_the_last_answer = (question.answer_types or question.anaphora) and asked.inherited
        questions = about_the_plan or (not directive and about_the_last_answer)
        if questions:
            return respond(dispatcher, tracker)
        if not requested and not directive:
            language = reply_language(tracker)
            buttons = [
                {"title": language_names()[code][code.split("-")[0]][0],
                 "payload": f'/change_language{{"requested_language": "{code}"}}'}
                for code in ANSWER_LANGUAGES
            ]
            dispatcher.utter_message(text=text("language_menu", language), buttons=buttons)
            return []
        choice = directive or ("ja-easy" if "ja-easy" in requested else requested[0])
        dispatcher.utter_message(text=text("language_changed", choice))
        dispatcher.utter_message(json_message=language_payload(choice, "language_changed"))
        return [SlotSet("language_choice", choice)]
