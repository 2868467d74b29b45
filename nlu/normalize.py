"""NFKC normalization that remembers where each character came from.

Rasa stores the user's text as typed, and token offsets must index that text.
Tokenizers and detectors, however, work better on normalized text (full-width
letters and digits become half-width, half-width katakana becomes full-width,
control characters become spaces). `normalize_with_offsets` returns both the
normalized text and, for every normalized character, the span of the original
text it came from.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import List, Tuple

_HALFWIDTH_SOUND_MARKS = {"\uff9e", "\uff9f"}


@dataclass(frozen=True)
class NormalizedText:
    """Normalized text plus the original span of each of its characters."""

    text: str
    spans: Tuple[Tuple[int, int], ...]

    def original_span(self, start: int, end: int) -> Tuple[int, int]:
        """Map a [start, end) span of the normalized text to the original."""
        if start >= end:
            raise ValueError(f"empty span {start}:{end}")
        return self.spans[start][0], self.spans[end - 1][1]


def _clusters(text: str) -> List[Tuple[int, int]]:
    """Spans of base characters with the combining marks that follow them."""
    clusters: List[Tuple[int, int]] = []
    for index, char in enumerate(text):
        attaches = unicodedata.combining(char) or char in _HALFWIDTH_SOUND_MARKS
        if attaches and clusters:
            clusters[-1] = (clusters[-1][0], index + 1)
        else:
            clusters.append((index, index + 1))
    return clusters


def _keeps_form(cluster: str) -> bool:
    """Scripts whose NFKC form segmenters don't know, left as typed.

    NFKC splits Thai SARA AM into two characters, and turns Hangul
    compatibility jamo (the ㅎㅇ, ㄳ, ㅋㅋ of Korean chat) into conjoining jamo
    that Kiwi cannot read and that no longer match what users type.
    """
    return "\u0e00" <= cluster[0] <= "\u0e7f" or "\u3131" <= cluster[0] <= "\u318e"


def _clean(char: str) -> str:
    """Control and format characters (except joiners in emoji) become spaces."""
    category = unicodedata.category(char)
    if category == "Cc" or (category == "Cf" and char not in "\u200d\ufe0f"):
        return " "
    return char


def normalize_with_offsets(text: str) -> NormalizedText:
    """NFKC-normalize `text`, keeping the original span of every character."""
    pieces: List[str] = []
    spans: List[Tuple[int, int]] = []
    for start, end in _clusters(text):
        cluster = "".join(_clean(char) for char in text[start:end])
        normalized = cluster if _keeps_form(cluster) else unicodedata.normalize("NFKC", cluster)
        pieces.append(normalized)
        spans.extend([(start, end)] * len(normalized))
    return NormalizedText("".join(pieces), tuple(spans))


def normalize(text: str) -> str:
    """NFKC-normalized text with control characters replaced by spaces."""
    return normalize_with_offsets(text).text
