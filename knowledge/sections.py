"""The plan's structure: development directions and their numbered sections.

Questions about the plan itself ("what are the development directions?",
"what does it say about multicultural coexistence?") are answered from the
headings and the passages under them. The one place that knows how a passage
id encodes its place in the structure is `section_of`: `d2-s1-background`
lies in section `d2-s1` of direction `d2`; `s4-region-asia` in `s4`.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, List, Optional, Tuple

from knowledge.passages import load_passages
from nlu.languages import LANGUAGES

_NUMBERING = re.compile(r"^\s*[(（]\s*[0-9０-９]+\s*[)）]\s*|^\s*[0-9０-９]+\s+")
_ROMAN = {"III": "3", "II": "2", "I": "1", "Ⅲ": "3", "Ⅱ": "2", "Ⅰ": "1"}
_DIRECTION = re.compile(r"^(?P<words>.*?)\s*(?P<numeral>III|II|I|Ⅲ|Ⅱ|Ⅰ)\s*$")
_SPACED_SCRIPT = re.compile(r"[A-Za-zА-Яа-яЁё]")


@dataclass(frozen=True)
class Section:
    """A direction (`d2`) or a numbered section (`d2-s1`), with its headings
    per language and the ids of the passages under it, in plan order."""

    id: str
    parent: Optional[str]
    headings: Dict[str, str]
    passages: Tuple[str, ...]


def section_of(passage_id: str) -> Tuple[str, Optional[str]]:
    """(direction id, section id or None) of a passage."""
    parts = passage_id.split("-")
    if len(parts) > 1 and re.fullmatch(r"s\d+", parts[1]):
        return parts[0], f"{parts[0]}-{parts[1]}"
    return parts[0], None


@lru_cache(maxsize=1)
def load_sections() -> Dict[str, Section]:
    """Every direction and numbered section, by id, in plan order."""
    headings: Dict[str, Dict[str, str]] = {}
    members: Dict[str, List[str]] = {}
    parents: Dict[str, Optional[str]] = {}
    for passage in load_passages():
        direction, section = section_of(passage.id)
        for level, section_id in enumerate((direction, section)):
            if section_id is None:
                continue
            parents.setdefault(section_id, direction if level else None)
            members.setdefault(section_id, []).append(passage.id)
            for language, rendering in passage.renderings.items():
                if len(rendering.section) > level:
                    headings.setdefault(section_id, {}).setdefault(language, rendering.section[level])
    return {
        sid: Section(sid, parents[sid], headings[sid], tuple(members[sid])) for sid in members
    }


def _numeral_variants(name: str) -> List[str]:
    """"展開方向Ⅱ" also as "展開方向 II", "展開方向2"...; Korean with and without
    the space inside the words. Latin and Cyrillic names keep their spaces."""
    found = _DIRECTION.match(name)
    if not found:
        return [name]
    words, numeral = found.group("words").strip(), found.group("numeral")
    numerals = [unicodedata.normalize("NFKC", numeral), _ROMAN[numeral]]
    if _SPACED_SCRIPT.search(words):
        return [f"{words} {n}" for n in numerals]
    forms = dict.fromkeys([words, words.replace(" ", "")])
    return [f"{form}{gap}{n}" for form in forms for gap in ("", " ") for n in numerals]


def section_names() -> List[Tuple[str, str]]:
    """(section id, name) for the gazetteer: every heading in every input
    language without its numbering, a direction's label and title apart."""
    names: List[Tuple[str, str]] = []
    for section in load_sections().values():
        for language in LANGUAGES:
            heading = section.headings.get(language)
            if not heading:
                continue
            heading = _NUMBERING.sub("", heading).strip()
            parts = [p.strip() for p in re.split(r"[:：]", heading, maxsplit=1) if p.strip()]
            for part in parts:
                names += [(section.id, variant) for variant in _numeral_variants(part)]
    return list(dict.fromkeys(names))
