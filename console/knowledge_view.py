"""The knowledge as staff browse it: passages by section with each translation's review
status, and the structured facts by kind, each with the passage it comes from.

Read fresh from knowledge/ on each page, so a committed review shows without a restart.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

from knowledge.facts import load_facts
from knowledge.passages import SOURCE_LANGUAGE, Passage, Rendering, load_passages
from nlu.languages import ANSWER_LANGUAGES


@dataclass(frozen=True)
class FactRow:
    id: str
    name: str
    name_ja: str
    source: str
    evidence: str


def passages() -> Tuple[Passage, ...]:
    load_passages.cache_clear()
    return load_passages()


def translation_languages() -> List[str]:
    return [language for language in ANSWER_LANGUAGES if language != SOURCE_LANGUAGE]


def passage(passage_id: str) -> Optional[Passage]:
    return next((p for p in passages() if p.id == passage_id), None)


def sections() -> Dict[str, List[Passage]]:
    """Passages grouped by their top-level heading, in plan order."""
    grouped: Dict[str, List[Passage]] = {}
    for item in passages():
        grouped.setdefault(item.original.section[0], []).append(item)
    return grouped


def renderings(language: str) -> List[Tuple[Passage, Rendering]]:
    return [(item, item.in_language(language)) for item in passages()]


def review_counts() -> Dict[str, Tuple[int, int]]:
    """language -> (reviewed passages, all passages)."""
    everything = passages()
    return {
        language: (sum(p.in_language(language).reviewed for p in everything), len(everything))
        for language in translation_languages()
    }


def fact_kinds(language: str) -> Dict[str, List[FactRow]]:
    kinds: Dict[str, List[FactRow]] = {}
    for fact in load_facts():
        evidence = fact.data.get("evidence") or []
        kinds.setdefault(fact.kind, []).append(FactRow(
            fact.id, fact.names[language][0], fact.names[SOURCE_LANGUAGE][0],
            str(fact.data.get("source") or ""),
            evidence[0] if isinstance(evidence, list) and evidence else ""))
    return kinds
