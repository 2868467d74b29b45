"""Asking back: what can be answered about the subject the conversation is on.

A short message that says nothing the assistant can place ("hmm?", "それで？")
gets a short question in return, listing what the plan holds about the
remembered subject, never a repeat of the previous answer.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional

from actions.compose.facts import label
from actions.compose.reply import Reply
from actions.compose.subjects import Subject, name, resolve_all
from actions.texts import text

OFFERS: Dict[str, List[str]] = {
    "consultation_center": ["when", "languages", "activities"],
    "offices": ["location", "languages", "when", "staff"],
    "other_staff": ["location", "when", "staff"],
    "sister_regions": ["when", "location"],
    "programmes": ["when", "purpose", "activities"],
    "regions": ["gdp", "population", "visitors", "food_exports", "offices", "sister_regions"],
}


def _offers(subject: Subject) -> List[str]:
    offers = list(OFFERS.get(subject.kind, []))
    if subject.kind == "offices":
        data = subject.fact.data
        offers = [o for o in offers if o == "location" or data.get({"languages": "publishes_in"}.get(o, o))]
    return offers


def clarify(memory: Optional[Dict[str, Any]], language: str) -> Reply:
    """Ask back about the remembered subject, or ask for a question."""
    mentions = [tuple(m) for m in (memory or {}).get("subjects") or [] if len(m) == 2]
    subjects = [s for s in resolve_all(mentions) if s.fact is not None]
    if not subjects or not _offers(subjects[0]):
        return Reply("clarify", [text("not_understood", language)])
    subject = subjects[0]
    options = ", ".join(label(o, language) for o in _offers(subject))
    return Reply("clarify", [text("clarify", language, subject=name(subject.fact, language), options=options)],
                 memory=dict(memory or {}))
