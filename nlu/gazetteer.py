"""Find known names (places, offices, programmes, languages) in user text.

A gazetteer rather than a trained extractor: the names come from the
knowledge base in all six languages, so every fact the assistant knows is
findable in every language without annotated training examples. Matching
runs on normalized, lower-cased text, and names are normalized the same way
(a full-width ？ in a name matches the ? a user types):

- Han, kana, Hangul and Thai names match as substrings (no spaces between
  words, and Korean particles attach to nouns: 중국에서, 서울에).
- Latin names match whole words, allowing an English plural ("offices").
- Cyrillic names match on word stems, so Russian case endings still match
  (Корея / Корее / Корею).
Overlapping matches resolve to the longest, then the earliest; one span may
name things of different kinds (ไทย: Thailand and the Thai language).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Pattern, Set, Tuple

from nlu.normalize import normalize, normalize_with_offsets

_ALPHABETIC_WORD = re.compile(r"[a-zà-ɏ]|[а-яё]", re.IGNORECASE)
_NOT_AFTER_LETTER = r"(?<![0-9a-zà-ɏа-яё])"
_NOT_BEFORE_LETTER = r"(?![0-9a-zà-ɏа-яё])"


@dataclass(frozen=True)
class Term:
    """One name of one thing: `entity` type, the thing's id `value`, a `name`."""

    entity: str
    value: str
    name: str


@dataclass(frozen=True)
class Match:
    entity: str
    value: str
    start: int
    end: int
    text: str


def _fold(text: str) -> str:
    """Lower-case without changing the length of the text."""
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _word_pattern(name: str) -> str:
    """A regex for a name with Latin or Cyrillic words.

    Word boundaries are judged against Latin and Cyrillic letters and digits
    only, so a name also matches inside CJK or Thai text ("中国のGDP").
    """
    parts = []
    for word in name.split():
        if re.search("[а-яё]", word) and len(word) >= 4:
            stem = word[: max(3, len(word) - 2)]
            parts.append(re.escape(stem) + r"[а-яё]{0,%d}" % (len(word) - len(stem) + 2))
        elif re.search("[a-z]", word):
            parts.append(re.escape(word) + r"(?:s|es)?")
        else:
            parts.append(re.escape(word))
    return _NOT_AFTER_LETTER + r"[\s\-]+".join(parts) + _NOT_BEFORE_LETTER


class Gazetteer:
    """Compiled matcher over a list of terms."""

    def __init__(self, terms: Iterable[Term]) -> None:
        self.terms: Tuple[Term, ...] = tuple(
            sorted({Term(t.entity, t.value, _fold(normalize(t.name)).strip()) for t in terms if t.name.strip()},
                   key=lambda t: (t.entity, t.value, t.name))
        )
        self._substrings: List[Term] = []
        self._patterns: List[Tuple[Term, Pattern[str]]] = []
        for term in self.terms:
            if _ALPHABETIC_WORD.search(term.name):
                self._patterns.append((term, re.compile(_word_pattern(term.name))))
            else:
                self._substrings.append(term)

    def find(self, text: str) -> List[Match]:
        """All non-overlapping known names in `text`, with original offsets."""
        normalized = normalize_with_offsets(text)
        folded = _fold(normalized.text)
        candidates: List[Tuple[int, int, Term]] = []
        for term in self._substrings:
            start = folded.find(term.name)
            while start >= 0:
                candidates.append((start, start + len(term.name), term))
                start = folded.find(term.name, start + 1)
        for term, pattern in self._patterns:
            for found in pattern.finditer(folded):
                candidates.append((found.start(), found.end(), term))
        candidates.sort(key=lambda c: (-(c[1] - c[0]), c[0], c[2].entity, c[2].value))
        # owner[i] is the span already taken over character i; checking a
        # candidate costs its own length, so the whole pass stays linear in
        # the text (repeated names must not make it quadratic).
        owner: List[Optional[Tuple[int, int]]] = [None] * len(folded)
        taken: Set[Tuple[int, int, str]] = set()
        matches: List[Match] = []
        for start, end, term in candidates:
            span = (start, end)
            if (start, end, term.entity) in taken or any(
                owner[i] is not None and owner[i] != span for i in range(start, end)
            ):
                continue
            taken.add((start, end, term.entity))
            owner[start:end] = [span] * (end - start)
            o_start, o_end = normalized.original_span(start, end)
            matches.append(Match(term.entity, term.value, o_start, o_end, text[o_start:o_end]))
        return sorted(matches, key=lambda m: m.start)

    def to_dict(self) -> List[Dict[str, str]]:
        return [{"entity": t.entity, "value": t.value, "name": t.name} for t in self.terms]

    @classmethod
    def from_dict(cls, rows: List[Dict[str, str]]) -> "Gazetteer":
        return cls(Term(r["entity"], r["value"], r["name"]) for r in rows)
