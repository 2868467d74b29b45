"""Hand the conversation to people: route to the consultation center and
record a handoff with a short summary for staff, in Japanese and in the
user's language.

The record is a `handoff` slot event in the tracker store, so staff tools
read it from the same place as the conversation itself. The quoted questions
are masked (nlu/redaction.py) with placeholders in the summary's language,
and the record is not carried into later sessions (actions/session.py).
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.center import utter_center_route
from actions.language import reply_language
from actions.texts import text
from nlu.languages import input_language, language_names
from nlu.redaction import redact

MAX_QUESTIONS = 5


def recent_questions(tracker: Tracker) -> List[str]:
    """The user's last questions before the handoff request, oldest first."""
    questions = [
        (event.get("text") or "").strip()
        for event in tracker.events
        if event.get("event") == "user" and (event.get("text") or "").strip()
    ]
    return questions[:-1][-MAX_QUESTIONS:]


def summary(tracker: Tracker, user_language: str, written_in: str) -> str:
    """"User's language: English. Recent questions: …" written in `written_in`,
    identifiers masked."""
    lang_name = language_names()[user_language][input_language(written_in)][0]
    questions = " / ".join(redact(q, written_in) for q in recent_questions(tracker)) or "-"
    return text("handoff_summary", written_in, user_language=lang_name, questions=questions)


class ActionHandoff(Action):
    def name(self) -> Text:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        language = reply_language(tracker)
        record = {
            "requested_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "language": language,
            "summary_ja": summary(tracker, language, "ja"),
            "summary_user_language": summary(tracker, language, language),
        }
        utter_center_route(dispatcher, language, text("handoff", language), kind="handoff")
        return [SlotSet("handoff", record)]
