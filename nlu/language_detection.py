"""Decide which of the six languages a message is written in, and how surely.

Script rules come first because they are exact: kana means Japanese, Hangul
Korean, Thai script Thai, Cyrillic Russian. Han without kana is Chinese unless
it contains characters only Japanese uses; otherwise lingua (restricted to our
six languages) breaks the tie. Latin text is English when it has real words.
A message with no letters ("2019", "👍") or only language-neutral words ("ok")
is not confidently anything, so the conversation keeps its language. HTML
tags are ignored, and a mostly-English message quoting a Japanese name is
English.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Counter, Optional

from nlu.languages import JAPANESE_ONLY_HAN, LANGUAGES, NEUTRAL_WORDS
from nlu.normalize import normalize

MIN_HAN_CONFIDENCE = 0.6
"""Below this lingua confidence a Han-only message is not decided."""

_LATIN_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_MARKUP = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^<>]{0,200}>", re.IGNORECASE | re.DOTALL)
LATIN_MAJORITY = 0.7
"""A message whose letters are at least this share Latin, with three or more
Latin words, is English even if it quotes a Japanese or Korean name."""


@dataclass(frozen=True)
class Detection:
    """A detected language (or None) and whether it is sure enough to act on."""

    language: Optional[str]
    confident: bool
    reason: str


def _script(char: str) -> Optional[str]:
    """The script of a letter, or None for anything that is not a letter."""
    code = ord(char)
    if char == "\u30fb":  # KATAKANA MIDDLE DOT is used as a bullet in any language
        return None
    if 0x3040 <= code <= 0x30FF or 0x31F0 <= code <= 0x31FF or 0xFF66 <= code <= 0xFF9F:
        return "kana"
    if 0xAC00 <= code <= 0xD7AF or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
        return "hangul"
    if 0x0E00 <= code <= 0x0E7F:
        return "thai"
    if 0x0400 <= code <= 0x052F:
        return "cyrillic"
    if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or char in "々〆":
        return "han"
    if unicodedata.category(char).startswith("L") and char.isascii():
        return "latin"
    if unicodedata.category(char).startswith("L") and 0x00C0 <= code <= 0x024F:
        return "latin"
    return None


_SCRIPT_LANGUAGE = {"kana": "ja", "hangul": "ko", "thai": "th", "cyrillic": "ru"}


@lru_cache(maxsize=1)
def _lingua_detector():
    """Lingua restricted to our languages; built once (it loads n-gram models)."""
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [getattr(IsoCode639_1, code.upper()) for code in LANGUAGES]
    return (
        LanguageDetectorBuilder.from_iso_codes_639_1(*codes)
        .with_preloaded_language_models()
        .build()
    )


def _lingua_confidence(text: str, language: str) -> float:
    """Lingua's confidence that `text` is in `language`."""
    from lingua import IsoCode639_1, Language

    target = Language.from_iso_code_639_1(getattr(IsoCode639_1, language.upper()))
    return _lingua_detector().compute_language_confidence(text, target)


def _decide_han(text: str) -> Detection:
    """Han-only text: Japanese-only characters, else lingua's ja/zh verdict."""
    if any(char in JAPANESE_ONLY_HAN for char in text):
        return Detection("ja", True, "japanese-only han")
    zh = _lingua_confidence(text, "zh")
    ja = _lingua_confidence(text, "ja")
    language = "zh" if zh >= ja else "ja"
    return Detection(language, max(zh, ja) >= MIN_HAN_CONFIDENCE, "lingua han")


def _decide_latin(text: str) -> Detection:
    """Latin-only text is English when it has a word that is not neutral."""
    words = _LATIN_WORD.findall(text.lower())
    meaningful = [word for word in words if word not in NEUTRAL_WORDS]
    if not meaningful or sum(len(word) for word in meaningful) < 2:
        return Detection("en", False, "neutral latin")
    return Detection("en", True, "latin words")


def detect_language(text: str) -> Detection:
    """Detect the language of a user message; see the module docstring."""
    normalized = _MARKUP.sub(" ", normalize(text))
    scripts = Counter(
        script for script in map(_script, normalized) if script is not None
    )
    if not scripts:
        return Detection(None, False, "no letters")
    latin_words = len(_LATIN_WORD.findall(normalized.lower()))
    if latin_words >= 3 and scripts["latin"] >= LATIN_MAJORITY * sum(scripts.values()):
        return _decide_latin(normalized)
    if scripts["kana"]:
        return Detection("ja", True, "kana")
    non_latin = {s: n for s, n in scripts.items() if s not in ("latin", "han")}
    if non_latin:
        script = max(non_latin, key=non_latin.get)
        return Detection(_SCRIPT_LANGUAGE[script], True, script)
    if scripts["han"]:
        han_only = "".join(ch for ch in normalized if _script(ch) == "han")
        return _decide_han(han_only)
    return _decide_latin(normalized)
