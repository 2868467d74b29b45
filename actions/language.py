"""Which language to answer in.

An explicit choice ("English please", the widget's language menu) wins until
the user picks another or hands it back to detection (the menu's "auto"); else
the language detected in the user's text, kept across short replies ("ok",
"👍") by the `language` slot; else English.
"""
from __future__ import annotations

from rasa_sdk import Tracker

from nlu.languages import ANSWER_LANGUAGES

DEFAULT_LANGUAGE = "en"


def reply_language(tracker: Tracker) -> str:
    """The answer language for this turn (one of ANSWER_LANGUAGES)."""
    choice = tracker.get_slot("language_choice")
    if choice in ANSWER_LANGUAGES:
        return choice
    detected = tracker.get_slot("language")
    if detected in ANSWER_LANGUAGES:
        return detected
    return DEFAULT_LANGUAGE
