"""A new conversation session (after 120 idle minutes): keep what the user
chose and talked about, but not the handoff record.

A handoff belongs to the session in which the user asked for staff; the
inbox reads it from that session's stored events. Carried into a later
session it would travel on with every new question, and the next handoff
summary would mix two requests.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

NOT_CARRIED = frozenset({"handoff"})


class ActionSessionStart(Action):
    def name(self) -> Text:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        events: List[Dict[Text, Any]] = [SessionStarted()]
        if domain.get("session_config", {}).get("carry_over_slots_to_new_session", True):
            events += [
                SlotSet(name, value) for name, value in tracker.slots.items()
                if value is not None and name not in NOT_CARRIED
            ]
        return events + [ActionExecuted("action_listen")]
