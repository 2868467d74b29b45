"""The route every honest no-answer ends with: the Foreign Resident
Consultation Center, as the plan describes it, with its citation."""
from __future__ import annotations

from typing import Tuple

from rasa_sdk.executor import CollectingDispatcher

from actions.citations import citation_line, citation_payload
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


def utter_center_route(
    dispatcher: CollectingDispatcher, language: str, lead: str, kind: str = "abstain"
) -> None:
    """`lead` (already in `language`), then the center route, with its citation payload.
    `kind` tells channels and the evaluation why the center is offered (abstain, handoff)."""
    center, passage = _center()
    dispatcher.utter_message(text=f"{lead}\n{center_route(language)}")
    payload = citation_payload(passage, language, center.data["evidence"][0])
    dispatcher.utter_message(json_message={**payload, "kind": kind})

