"""Answers about the plan itself: its development directions and sections.

A direction is answered with its heading, its stated direction (取組の方向性)
and the headings of its numbered sections; a section with its heading and the
passages that say where it goes (方向性, 対応方向, 取組イメージ). The reply names
the section, and every passage used is cited.
"""
from __future__ import annotations

from typing import List

from actions.compose.facts import passage
from actions.compose.reply import Reply
from actions.compose.subjects import Subject
from actions.texts import text
from knowledge.passages import Passage
from knowledge.sections import Section, load_sections, section_of
from nlu.languages import written_language

SECTION_KINDS = ("direction", "response_direction", "initiatives")
"""Passage kinds that say what a numbered section sets out to do."""


def _heading(section: Section, language: str) -> str:
    headings = section.headings
    return headings.get(written_language(language)) or headings.get(language) or headings["ja"]


def _children(section_id: str) -> List[Section]:
    return [s for s in load_sections().values() if s.parent == section_id]


def directions(language: str) -> Reply:
    """Every direction of the excerpt with its numbered sections."""
    lines = [text("directions_intro", language)]
    sources: List[Passage] = []
    for section in load_sections().values():
        if section.parent is not None:
            continue
        lines.append(f"• {_heading(section, language)}")
        lines += [f"    – {_heading(child, language)}" for child in _children(section.id)]
        sources.append(passage(section.passages[0]))
    return Reply("answer", lines, sources[:1])


def section(subject: Subject, language: str) -> Reply:
    """A direction or a numbered section, as the plan sets it out."""
    found = load_sections()[subject.id]
    lines = [text("section_intro", language, section=_heading(found, language))]
    top_level = found.parent is None
    kinds = ("direction",) if top_level else SECTION_KINDS
    used = [passage(pid) for pid in found.passages
            if passage(pid).kind in kinds and (not top_level or section_of(pid)[1] is None)]
    for item in used:
        rendering = item.in_language(language)
        lines += [f"{rendering.title}:", rendering.text]
    children = _children(found.id)
    if children:
        lines += [f"• {_heading(child, language)}" for child in children]
    sources = used or [passage(found.passages[0])]
    return Reply("answer", lines, sources, sources[0].as_of)
