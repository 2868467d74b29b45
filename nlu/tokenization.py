"""Per-language word segmentation with offsets into the text as typed.

Japanese goes through SudachiPy (spaCy's `ja` language class), Chinese through
jieba, Thai through pythainlp (newmm), Korean through kiwipiepy morphemes, and
English and Russian through spaCy's rule-based tokenizers. Segmenters see the
NFKC-normalized text; every returned offset indexes the original text. A
word's normalized form also spells out Korean consonant abbreviations (ㄳ).
Long input is cut into chunks first: Sudachi refuses input over ~49 KB.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Dict, Iterator, List, Tuple

from nlu.korean_chat import expand_abbreviations
from nlu.normalize import normalize_with_offsets

MAX_CHUNK_CHARS = 2000
"""Segment at most this many characters at once (Sudachi's byte limit)."""

_CHUNK_BREAK = re.compile(r"[\s。．.！!？?、，,]")

Span = Tuple[int, int]


@dataclass(frozen=True)
class Word:
    """A word as typed (`text`), its normalized form, and its original span."""

    text: str
    normalized: str
    start: int
    end: int


@lru_cache(maxsize=None)
def _spacy_tokenizer(language: str):
    import spacy

    return spacy.blank(language).tokenizer


@lru_cache(maxsize=1)
def _kiwi():
    """Kiwi without its multi-word dictionary: 180 of its 480 MB, for compound entries that the
    classifier's n-grams and the gazetteer cover (measured in docs/benchmarks.md)."""
    from kiwipiepy import Kiwi

    return Kiwi(load_multi_dict=False)


def _segment_spacy(language: str) -> Callable[[str], List[Span]]:
    def segment(text: str) -> List[Span]:
        return [(t.idx, t.idx + len(t.text)) for t in _spacy_tokenizer(language)(text)]

    return segment


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)  # it prints its dictionary loading otherwise
    return jieba


def _segment_jieba(text: str) -> List[Span]:
    return [(start, end) for _, start, end in _jieba().tokenize(text)]


def _segment_thai(text: str) -> List[Span]:
    from pythainlp.tokenize import word_tokenize

    spans, position = [], 0
    for word in word_tokenize(text, engine="newmm", keep_whitespace=False):
        start = text.find(word, position)
        if start < 0:
            continue
        spans.append((start, start + len(word)))
        position = start + len(word)
    return spans


def _segment_korean(text: str) -> List[Span]:
    """Kiwi morphemes; contracted morphemes share characters, so merge overlaps."""
    spans: List[Span] = []
    for token in _kiwi().tokenize(text):
        start, end = token.start, token.start + token.len
        if spans and start < spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


_SEGMENTERS: Dict[str, Callable[[str], List[Span]]] = {
    "ja": _segment_spacy("ja"),
    "en": _segment_spacy("en"),
    "ru": _segment_spacy("ru"),
    "zh": _segment_jieba,
    "th": _segment_thai,
    "ko": _segment_korean,
}


def _chunks(text: str) -> Iterator[Tuple[int, str]]:
    """Cut text into pieces of at most MAX_CHUNK_CHARS, preferring breaks."""
    start = 0
    while start < len(text):
        end = min(start + MAX_CHUNK_CHARS, len(text))
        if end < len(text):
            breaks = [m.end() for m in _CHUNK_BREAK.finditer(text, start + 1, end)]
            if breaks:
                end = breaks[-1]
        yield start, text[start:end]
        start = end


def tokenize(text: str, language: str) -> List[Word]:
    """Split `text` into words using the segmenter for `language`.

    Unknown languages fall back to English rules. Whitespace never becomes a
    word, and no input (symbols, emoji, mixed scripts, very long text) raises.
    """
    segment = _SEGMENTERS.get(language, _SEGMENTERS["en"])
    normalized = normalize_with_offsets(text)
    words: List[Word] = []
    for offset, chunk in _chunks(normalized.text):
        for start, end in segment(chunk):
            piece = chunk[start:end]
            if not piece.strip():
                continue
            original_start, original_end = normalized.original_span(
                offset + start, offset + end
            )
            if words and original_start < words[-1].end:
                continue  # two normalized words from one typed character
            words.append(
                Word(
                    text[original_start:original_end],
                    expand_abbreviations(piece),
                    original_start,
                    original_end,
                )
            )
    return words
