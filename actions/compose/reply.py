"""A composed reply: its lines, the passages it rests on, and what kind of
reply it is, rendered to the user's language with its citations.

`kind` says how the reply stands to the question: `answer` (everything asked
is answered), `partial` (some of it; the reply says what the plan lacks),
`abstain` (the plan has no answer; the reply says so and points to the
consultation center or to what the plan does have) or `clarify` (the reply
asks back). Clients, the staff console and the evaluations read it from the
citation payload.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from actions.citations import as_of_line, citation_line, citation_payload
from actions.texts import styled, text
from knowledge.passages import Passage

KINDS = ("answer", "partial", "abstain", "clarify")


@dataclass
class Reply:
    kind: str
    lines: List[str]
    sources: List[Passage] = field(default_factory=list)
    as_of: Optional[str] = None
    original_ja: str = ""
    memory: Dict[str, Any] = field(default_factory=dict)
    """What the `asked` slot keeps for the next turn."""
    about: List[Tuple[str, str]] = field(default_factory=list)
    """The things the reply turned out to be about, as NLU mentions (entity, id),
    when they differ from those asked ("an office in Korea?" -> the Seoul office)."""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown reply kind {self.kind!r}")

    def add(self, other: "Reply") -> None:
        """Append another reply's lines and sources (several attributes asked)."""
        self.lines += other.lines
        self.sources += [s for s in other.sources if s.id not in {p.id for p in self.sources}]
        self.as_of = self.as_of or other.as_of
        self.original_ja = self.original_ja or other.original_ja

    def text(self, language: str) -> str:
        """The reply in `language`, with the translation note, the plan's date
        and a citation line per passage."""
        footer = [as_of_line(self.as_of, language)]
        footer += [citation_line(passage, language) for passage in self.sources]
        if any(not passage.in_language(language).reviewed for passage in self.sources):
            footer.insert(0, text("translated_note", language))
        return styled("\n".join(line for line in self.lines + footer if line), language)

    def payload(self, language: str) -> Dict[str, Any]:
        """The custom message: citation of the main passage, and the kind."""
        if not self.sources:
            return language_payload(language, self.kind)
        return {**citation_payload(self.sources[0], language, self.original_ja), "kind": self.kind}


def language_payload(language: str, kind: str) -> Dict[str, Any]:
    """The custom message of a reply without a source: its kind, and the language the web
    widget's labels follow."""
    return {"type": "reply", "language": language, "kind": kind}
