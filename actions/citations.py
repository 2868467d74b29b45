"""Cite the plan: the section in the user's language, the passage id, the
original Japanese, and the date the plan gives for what it states."""
from __future__ import annotations

from typing import Any, Dict, Optional

from actions.dates import format_plan_date
from actions.texts import text
from knowledge.passages import Passage


def citation_line(passage: Passage, language: str) -> str:
    """"Source: <section> (<passage id>)" in `language`."""
    section = " > ".join(passage.in_language(language).section)
    return text("citation", language, section=section, passage=passage.id)


def as_of_line(date: Optional[str], language: str) -> str:
    """"(Date given in the plan: as of October 2021)", or "" when it gives none."""
    return text("as_of", language, date=format_plan_date(date, language)) if date else ""


def citation_payload(passage: Passage, language: str, original: str = "") -> Dict[str, Any]:
    """Custom message for clients that show the source (widget, staff tools)."""
    rendering = passage.in_language(language)
    return {
        "type": "citation",
        "passage_id": passage.id,
        "section": " > ".join(rendering.section),
        "original_ja": original or passage.original.text,
        "as_of": passage.as_of,
        "translation_reviewed": rendering.reviewed,
        "language": language,  # the widget's labels follow it
    }
