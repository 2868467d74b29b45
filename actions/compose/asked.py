"""The question of this turn, read in the context of the conversation.

One general rule handles follow-ups, stated here once:

- A message that points back ("there", "it", "そこ"), or a short one that
  names no subject but asks something, is about the previous subject:
  "いつから？", "how many languages can they handle?". A longer message that
  names nothing is a new question; a short one that asks nothing is unclear
  (the caller asks back).
- A short message (or a comparison) that names a subject but asks for
  nothing keeps the previous question's attribute; a comparison that names one
  place compares it with the previous one: "And Korea?" after China's visitors asks for
  Korea's visitors; "and the Seoul office?" after an office's languages asks
  for the Seoul office's languages. An attribute that does not apply to the
  new subject's kind (visitors of an office) is dropped, not carried.
- A named subject whose own attribute is asked stays the subject even after
  a pointing word ("how many flights are there from China?" after an office).
- What was kept is what the answer turned out to be about (the Shanghai office
  for "China?", the center for a passage about the center).

Everything else is read from the message alone. What was asked is kept in
the `asked` slot (subjects as NLU mentions, attributes), never the answer.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Set, Tuple

from actions.compose.subjects import Subject, resolve_all
from nlu.question import SUBJECT_ENTITIES, Question

ELLIPTICAL_MAX_LENGTH = 30
"""A message this short (see `visual_length`) that names a subject and asks
for nothing is elliptical: it keeps the previous attribute."""

FIGURES = ("gdp", "growth", "population", "visitors", "food_exports", "flights")
NEVER_IN_PLAN = ("phone", "address", "hours", "fee", "email", "website", "application", "schedule", "residents",
                 "weather")
"""Attributes the plan gives for nothing: asked, they are answered with what the plan lacks."""
PLACE_KINDS = ("regions", "terms", "places")
COUNTS = ("residents",)
"""Attributes that are asked only as a number ("how many foreign residents")."""
RANKING = {"compare", "most", "least"}
"""Answer types that rank places: a purchase ranked is the food exports figure."""
FOOD_EXPORTS = "food_exports"
WEAK_CONTEXT = ("terms", "places")
"""Subjects a message may name only as personal context ("I'm Thai, living in Sapporo")."""
_APPLIES_TO: Dict[str, Tuple[str, ...]] = {
    **{figure: PLACE_KINDS for figure in FIGURES},
    "offices": PLACE_KINDS + ("collection",),
    "sister_regions": PLACE_KINDS + ("collection",),
    "agreements": PLACE_KINDS,
    "focus": PLACE_KINDS,
}
"""Attributes that apply only to some kinds of subject; the rest apply to any."""

INTENT_SUBJECTS: Dict[str, Tuple[str, str]] = {
    "ask_consultation_center": ("topic", "hokkaido_foreign_resident_consultation_center"),
    "ask_overseas_office": ("collection", "offices"),
    "ask_sister_region": ("collection", "sister_regions"),
    "ask_export_support": ("collection", "programmes"),
    "ask_region_figures": ("collection", "regions"),
}
"""The subject an intent implies when the message and the memory name none."""
SOLE_HOLDERS: Dict[str, Tuple[str, str]] = {
    "registered_in": ("program", "export_symbol_mark"),
}
"""Attributes the plan gives for one thing only: asking for one names that thing ("which
countries is that logo registered in?"), and what else is named is a value."""


def visual_length(text: str) -> int:
    """Length with Han, kana and Hangul counted twice (they carry more per
    character) and combining marks not at all (Thai vowel signs)."""
    return sum(
        0 if unicodedata.combining(char) or unicodedata.category(char) == "Mn"
        else 2 if ord(char) >= 0x2E80 else 1
        for char in text
    )


def applies(attribute: str, subject: Subject) -> bool:
    kinds = _APPLIES_TO.get(attribute)
    return kinds is None or subject.kind in kinds


@dataclass
class Asked:
    """What this turn asks, resolved: subjects (first is the main one),
    attributes, answer types and the values the message states."""

    subjects: List[Subject]
    attributes: List[str]
    answer_types: Set[str]
    question: Question
    mentions: List[Tuple[str, str]] = field(default_factory=list)
    inherited: bool = False
    guessed: bool = False
    """The subject is the classifier's topic, not named or remembered."""

    @property
    def is_yes_no(self) -> bool:
        """A yes/no question: its cue, and no cue of a wh-question ("どこですか" is not)."""
        return ("yes_no" in self.answer_types
                and not {"how_many", "compare", "most", "least"} & self.answer_types
                and not {"location", "when"} & set(self.attributes))

    @property
    def main(self) -> Optional[Subject]:
        return self.subjects[0] if self.subjects else None

    @property
    def others(self) -> List[Subject]:
        return self.subjects[1:]

    def memory(self, answered: Optional[List[Tuple[str, str]]] = None) -> Dict[str, Any]:
        """What the `asked` slot keeps for the next turn: the subjects asked, or
        the ones the answer turned out to be about (the office a country has)."""
        subjects = answered or self.mentions
        return {"subjects": [list(m) for m in subjects], "attributes": list(self.attributes)}


def _mentions(question: Question) -> List[Tuple[str, str]]:
    return [(m.entity, m.value) for m in question.subjects]


def _rank(subject: Subject) -> int:
    entity = {"offices": "office", "other_staff": "office", "programmes": "program",
              "consultation_center": "topic", "regions": "place", "sister_regions": "place",
              "terms": "term", "places": "term"}.get(subject.kind, subject.kind)
    return SUBJECT_ENTITIES.index(entity) if entity in SUBJECT_ENTITIES else len(SUBJECT_ENTITIES)


def read_asked(question: Question, text: str, intent: str, memory: Optional[Dict[str, Any]]) -> Asked:
    """This turn's question, with the follow-up rule of the module docstring."""
    mentions = _mentions(question)
    subjects = resolve_all(mentions)
    types = set(question.answer_types)
    # "foreigners living in Hokkaido" describes who asks; only "how many" asks the count.
    attributes = [a for a in question.attributes if a not in COUNTS or "how_many" in types]
    if question.languages and "languages" not in attributes:
        attributes.append("languages")  # "it posts in English, right?" states a language to check
    if "shopping" in attributes and types & RANKING:
        # "which buys more from Hokkaido?" ranks places by what they buy: the food exports
        attributes = [FOOD_EXPORTS if a == "shopping" else a for a in attributes]
    inherited = False
    previous_mentions = [tuple(m) for m in (memory or {}).get("subjects") or [] if len(m) == 2]
    previous = resolve_all(previous_mentions)
    previous_attributes = list((memory or {}).get("attributes") or [])
    elliptical = visual_length(text) <= ELLIPTICAL_MAX_LENGTH
    asks = bool(attributes or types or question.years or question.languages)
    if previous and (question.anaphora or (not subjects and elliptical and asks)):
        # A named subject stays the subject when it is weaker than the remembered one only
        # as a value ("is it in Seoul?"), not when the attribute asked is its own
        # ("how many flights from China?" after an office).
        own = subjects and any(applies(a, subjects[0]) for a in attributes)
        if not subjects or (_rank(subjects[0]) > _rank(previous[0]) and not own):
            subjects = previous + [s for s in subjects if s.key not in {p.key for p in previous}]
            mentions = previous_mentions + [m for m in mentions if m not in previous_mentions]
            inherited = True
    elif previous and "compare" in types and len(subjects) == 1 and subjects[0].key != previous[0].key \
            and previous[0].region is not None and subjects[0].region is not None:
        # "And compared with Taiwan/Hong Kong, which is bigger?" compares with the previous subject.
        subjects, mentions, inherited = subjects + previous[:1], mentions + previous_mentions[:1], True
    if previous and subjects and not attributes and (elliptical or "compare" in types):
        carried = [a for a in previous_attributes if applies(a, subjects[0])]
        if carried:
            attributes, inherited = carried, True
    holders = [SOLE_HOLDERS[a] for a in attributes if a in SOLE_HOLDERS and SOLE_HOLDERS[a] not in mentions]
    if holders:
        mentions = holders[:1] + mentions
        subjects = resolve_all(holders[:1]) + [s for s in subjects if s.kind != "collection"]
    topic = INTENT_SUBJECTS.get(intent)
    if topic and topic[0] != "collection" and subjects and not inherited \
            and all(s.kind in WEAK_CONTEXT for s in subjects):
        # "I'm Thai and live in Sapporo: is there a center that helps foreigners?" names
        # places only as who asks; the classifier's specific topic is the subject.
        mentions, subjects = [topic] + mentions, resolve_all([topic]) + subjects
    guessed = not subjects and bool(attributes) and intent in INTENT_SUBJECTS
    if guessed:  # the classifier's topic stands in for an unnamed subject
        mentions = [INTENT_SUBJECTS[intent]]
        subjects = resolve_all(mentions)
    return Asked(subjects, attributes, types, question, mentions, inherited, guessed)
