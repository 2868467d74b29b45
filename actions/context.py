"""What the latest message asks about, read in the context of the conversation.

A short message right after a factual answer continues that topic:
"いつから？" or "and when did it open?" (names nothing), "And Korea?" or
"แล้วเชจูล่ะ" (names only a place), whatever intent the classifier gave it.
Entities named in this message win over the slots remembered from before.
"""
from __future__ import annotations

import unicodedata
from typing import Dict, List, Optional

from rasa_sdk import Tracker

FACT_INTENTS = (
    "ask_overseas_office", "ask_sister_region", "ask_consultation_center",
    "ask_export_support", "ask_region_figures",
)
FOLLOW_UP_MAX_LENGTH = 30
"""A message this short (see `visual_length`) continues the last topic when it
names nothing ("いつから？", "and when did it open?") or only a place
("And Korea?", "แล้วเชจูล่ะ")."""
SMALL_TALK_INTENTS = ("greet", "goodbye", "thanks", "acknowledge", "bot_challenge")


def visual_length(text: str) -> int:
    """Length with Han, kana and Hangul counted twice (they carry more per
    character) and combining marks not at all (Thai vowel signs)."""
    return sum(
        0 if unicodedata.combining(char) or unicodedata.category(char) == "Mn"
        else 2 if ord(char) >= 0x2E80 else 1
        for char in text
    )


class Request:
    """What this turn asks about: this message's entities, then remembered slots."""

    def __init__(self, tracker: Tracker) -> None:
        self.tracker = tracker
        self.text = (tracker.latest_message.get("text") or "").strip()
        self.values: Dict[str, List[str]] = {}
        for entity in tracker.latest_message.get("entities", []):
            self.values.setdefault(entity["entity"], []).append(entity["value"])

    def get(self, entity: str, remembered: bool = True) -> Optional[str]:
        """This message's first value for `entity`, else (if `remembered`) the slot."""
        values = self.values.get(entity)
        if values:
            return values[0]
        return self.tracker.get_slot(entity) if remembered else None

    def named_places(self) -> List[str]:
        """Places and other terms named in this message, in order."""
        return self.values.get("place", []) + self.values.get("term", [])

    @property
    def is_short(self) -> bool:
        return visual_length(self.text) <= FOLLOW_UP_MAX_LENGTH

    @property
    def names_something(self) -> bool:
        return any(self.values.get(e) for e in ("place", "term", "office", "program", "metric"))

    @property
    def is_follow_up(self) -> bool:
        return self.is_short and not self.names_something


def effective_intent(tracker: Tracker, request: Request) -> str:
    """The intent, read in context: a short message right after a factual
    answer continues that topic ("いつから？", "And Korea?" after an office,
    "แล้วเชจูล่ะ" classified as small talk)."""
    intent = tracker.get_intent_of_latest_message(skip_fallback_intent=False)
    previous = tracker.get_slot("topic")
    if not request.is_short or previous not in FACT_INTENTS:
        return intent
    if intent in SMALL_TALK_INTENTS:
        return previous if request.names_something else intent
    if intent == "nlu_fallback":
        return previous  # "คย็องซังใต้ล่ะครับ" right after Seoul: unclear alone, clear in context
    if intent == "ask_plan_topic" and not request.names_something:
        return previous
    if intent == "ask_overseas_office" and previous != intent and not request.names_something \
            and not tracker.get_slot("office"):
        return previous  # "and when did it open?" right after the consultation center
    if intent == "ask_region_figures" and previous in ("ask_overseas_office", "ask_sister_region") \
            and not request.get("metric", remembered=False):
        return previous  # "And Korea?" after an office question
    return intent


def continues_a_topic(tracker: Tracker) -> bool:
    """Whether a message classified as small talk or unclear is a factual follow-up."""
    intent = tracker.get_intent_of_latest_message(skip_fallback_intent=False)
    return intent not in FACT_INTENTS and effective_intent(tracker, Request(tracker)) in FACT_INTENTS
