"""What a question is about, resolved to the knowledge base.

The NLU names things by entity type and id (`office: seoul_office`,
`place: korea`, `term: bangkok`, `section: d2-s1`, `collection: offices`).
A `Subject` adds what the answers need: its kind of fact, the fact itself, and
the plan's own region profile that contains it (Taiwan -> Taiwan/Hong Kong),
which is the only other entity whose figures may be offered for it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, List, Optional, Tuple

from knowledge.facts import Fact, facts_of_kind
from knowledge.sections import load_sections
from nlu.languages import input_language

HOME = "hokkaido"
"""The place every question is asked from: named, it is a subject only when
nothing else is (\"Hokkaido's population\")."""

KINDS_OF_ENTITY = {
    "office": ("offices", "other_staff"),
    "program": ("programmes",),
    "topic": ("consultation_center",),
    "place": ("regions", "sister_regions"),
    "term": ("terms", "places"),
}


@dataclass(frozen=True)
class Subject:
    """A thing asked about: `kind` is a fact kind ("offices", "regions", ...),
    "section" (a heading named), "theme" (a section's theme named in other
    words) or "collection"; `fact` is None for the last three."""

    kind: str
    id: str
    fact: Optional[Fact] = None

    @property
    def key(self) -> Tuple[str, str]:
        return self.kind, self.id

    @property
    def region(self) -> Optional[Fact]:
        """The region profile this subject is, or falls under (None if none)."""
        regions = facts_of_kind("regions")
        if self.kind == "regions":
            return self.fact
        if self.fact is None:
            return None
        parent = self.fact.data.get("region") or self.fact.data.get("country")
        return regions.get(parent) if isinstance(parent, str) else None

    @property
    def within(self) -> Optional[str]:
        """The place the plan writes this one under (バンコク in 【タイ／バンコク】)."""
        return self.fact.data.get("within") if self.fact is not None else None

    @property
    def is_home(self) -> bool:
        return self.kind == "places" and self.id == HOME


def resolve(entity: str, value: str) -> Optional[Subject]:
    """The subject an NLU mention names, or None if the knowledge lacks it."""
    if entity in ("section", "theme"):
        return Subject(entity, value) if value in load_sections() else None
    if entity == "collection":
        return Subject("collection", value)
    for kind in KINDS_OF_ENTITY.get(entity, ()):
        fact = facts_of_kind(kind).get(value)
        if fact is not None:
            return Subject(kind, value, fact)
    return None


def resolve_all(mentions: Iterable[Tuple[str, str]]) -> List[Subject]:
    """Subjects in order, each once; home only when it is the only one."""
    found: List[Subject] = []
    for entity, value in mentions:
        subject = resolve(entity, value)
        if subject is not None and subject.key not in {s.key for s in found}:
            found.append(subject)
    others = [s for s in found if not s.is_home]
    return others or found


def name(fact: Fact, language: str) -> str:
    """The display name of a fact in `language` (answer styles use their base):
    its `display` name where the matched names are inflected forms, else the first."""
    base = input_language(language)
    return (fact.data.get("display") or {}).get(base) or fact.names[base][0]
