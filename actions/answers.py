"""The grounded answer: this turn's question, composed and verified.

The Rasa pipeline has read the message (`question`: subjects, attributes,
answer types, directive) and ranked the plan's passages (`retrieval`); both
arrive in the parse data. Here the question is put in the context of the
conversation (`actions.compose.asked`), the reply is composed from the facts
and passages and verified (`actions.compose`), and sent in the conversation's
language with its citation. When the plan has no answer the reply says so
and points to the consultation center; when a message asks nothing the
assistant can place, it asks back about the remembered subject instead of
repeating the last answer.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.center import utter_center_route
from actions.compose import compose_reply
from actions.compose.asked import ELLIPTICAL_MAX_LENGTH, Asked, read_asked, visual_length
from actions.compose.clarify import clarify
from actions.compose.subjects import HOME
from actions.language import reply_language
from actions.texts import text
from nlu.question import Question

MEMORY_SLOT = "asked"


def asked_now(tracker: Tracker) -> Asked:
    """This turn's question, read with the conversation's memory."""
    message = tracker.latest_message or {}
    question = Question.from_dict(message.get("question"))
    intent = tracker.get_intent_of_latest_message(skip_fallback_intent=False) or ""
    memory = tracker.get_slot(MEMORY_SLOT)
    return read_asked(question, (message.get("text") or "").strip(), intent, memory if isinstance(memory, dict) else None)


def respond(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[Text, Any]]:
    """Send the verified answer, or the honest no-answer; return slot events."""
    language = reply_language(tracker)
    asked = asked_now(tracker)
    reply = compose_reply(asked, (tracker.latest_message or {}).get("retrieval"), language)
    if reply is None and is_unclear(asked, tracker):
        return ask_back(dispatcher, tracker)
    if reply is None:
        utter_center_route(dispatcher, language, text("no_answer", language))
        return []
    if reply.kind == "abstain":
        # What the plan lacks, then where a person can answer it.
        utter_center_route(dispatcher, language, reply.text(language))
        return []
    dispatcher.utter_message(text=reply.text(language))
    dispatcher.utter_message(json_message=reply.payload(language))
    remembered = [s for s in asked.subjects if not s.is_home] or reply.about
    return [SlotSet(MEMORY_SLOT, reply.memory)] if remembered else []


def asks_the_plan(asked: Asked) -> bool:
    """Whether a message asks the plan something, whatever it was classified as: it names
    an attribute, or a subject other than Hokkaido itself ("ok, and China?"). What it
    would inherit from the last answer does not count: "is this an AI?" asks nothing."""
    question = asked.question
    return bool(question.attributes or any(m.value != HOME for m in question.subjects))


def is_unclear(asked: Asked, tracker: Tracker) -> bool:
    """A short message that asks nothing placeable, in a conversation with a subject."""
    text = (tracker.latest_message or {}).get("text") or ""
    return (not asked.question.asks_something and not asked.answer_types
            and visual_length(text) <= ELLIPTICAL_MAX_LENGTH and bool(tracker.get_slot(MEMORY_SLOT)))


def ask_back(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[Text, Any]]:
    """A message the assistant cannot place: ask about the remembered subject,
    or say it did not understand. Never repeat the previous answer."""
    language = reply_language(tracker)
    memory = tracker.get_slot(MEMORY_SLOT)
    reply = clarify(memory if isinstance(memory, dict) else None, language)
    dispatcher.utter_message(text=reply.text(language))
    dispatcher.utter_message(json_message=reply.payload(language))
    return []


class ActionAnswer(Action):
    def name(self) -> Text:
        return "action_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        return respond(dispatcher, tracker)
