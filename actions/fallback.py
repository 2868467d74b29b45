"""Honest fallback: say the plan has no answer, and route to the center.

Used for out-of-scope questions, personal residence/visa/legal/medical
matters (always routed to the Foreign Resident Consultation Center), low NLU
confidence and empty or symbol-only messages. It never pads the reply with
unrelated facts.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.citations import citation_line, citation_payload
from actions.language import reply_language
from actions.texts import text
from knowledge.facts import Fact, facts_of_kind
from knowledge.passages import Passage, passages_by_id
from nlu.languages import input_language


def _center() -> Tuple[Fact, Passage]:
    center = next(iter(facts_of_kind("consultation_center").values()))
    return center, passages_by_id()[center.data["source"]]


def center_route(language: str) -> str:
    """What the plan says about the consultation center, with its citation."""
    center, passage = _center()
    return "\n".join([
        text("center_route", language, center=center.names[input_language(language)][0],
             languages=center.data["min_languages"]),
        citation_line(passage, language),
    ])


def utter_center_route(dispatcher: CollectingDispatcher, language: str, lead: str) -> None:
    """`lead` (a texts.yml key), then the center route, with its citation payload."""
    center, passage = _center()
    dispatcher.utter_message(text=f"{text(lead, language)}\n{center_route(language)}")
    dispatcher.utter_message(json_message=citation_payload(passage, language, center.data["evidence"][0]))


def utter_no_answer(dispatcher: CollectingDispatcher, language: str, lead: str = "no_answer") -> None:
    utter_center_route(dispatcher, language, lead)


class ActionFallback(Action):
    def name(self) -> Text:
        return "action_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        language = reply_language(tracker)
        message = (tracker.latest_message.get("text") or "").strip()
        intent = tracker.get_intent_of_latest_message(skip_fallback_intent=False)
        if not message:
            dispatcher.utter_message(text=text("empty_message", language))
        elif intent == "ask_personal_case":
            utter_no_answer(dispatcher, language, "personal_case")
        elif intent == "nlu_fallback" and not any(ch.isalpha() for ch in message):
            dispatcher.utter_message(text=text("not_understood", language))
        else:
            utter_no_answer(dispatcher, language)
        return []
