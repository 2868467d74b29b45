"""Decide which of the six languages a message is written in, and how surely.

Script rules come first because they are exact: kana means Japanese, Hangul
Korean, Thai script Thai, Cyrillic Russian. Han without kana is Chinese unless
it contains characters only Japanese uses; otherwise lingua (restricted to our
six languages) breaks the tie. Where scripts mix, the script with the most
letters wins ("외국인 相談センター는 몇 개 언어…" is Korean), and a sentence
with Chinese function words around a Japanese term ("北海道的相談センター可以用几种
语言咨询啊") is Chinese. (`nlu.chinese_script` tells
Traditional from Simplified.) Latin text is English when it has real words.
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

from nlu.chinese_script import has_chinese_only_characters
from nlu.languages import CHINESE_FUNCTION_WORDS, JAPANESE_ONLY_HAN, NEUTRAL_WORDS
from nlu.normalize import normalize

MIN_HAN_CONFIDENCE = 0.6
"""Below this lingua confidence a Han-only message is not decided."""
MIN_HAN_LETTERS = 4
"""A Han-only message shorter than this ("何語？", "几种？") is Japanese and
Chinese alike: it keeps the conversation's language."""

_LATIN_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_TAG = re.compile(r"<[^<>]{0,200}>")
_RAW_TEXT_ELEMENTS = ("script", "style")
LATIN_MAJORITY = 0.7
"""A message whose letters are at least this share Latin, with three or more
Latin words, is English even if it quotes a Japanese or Korean name."""


@dataclass(frozen=True)
class Detection:
    """A detected language (or None) and whether it is sure enough to act on."""

    language: Optional[str]
    confident: bool
    reason: str


MAX_HIRAGANA_IN_CHINESE = 2
"""A Chinese sentence may quote a Japanese term with this much hiragana and
one Chinese function word; with two function words, any amount."""


def strip_markup(text: str) -> str:
    """Text without HTML tags and script/style blocks, in one linear pass.

    An unclosed <script> or <style> hides the rest of the text, as a browser
    would; a backtracking regex here made hostile markup cost quadratic time.
    """
    lowered = text.lower()
    pieces, position = [], 0
    while True:
        starts = [(lowered.find(f"<{name}", position), name) for name in _RAW_TEXT_ELEMENTS]
        starts = [(index, name) for index, name in starts if index >= 0]
        if not starts:
            pieces.append(text[position:])
            break
        index, name = min(starts)
        pieces.append(text[position:index])
        closing = lowered.find(f"</{name}", index)
        if closing < 0:
            break
        end = lowered.find(">", closing)
        position = len(text) if end < 0 else end + 1
    return _TAG.sub(" ", " ".join(pieces))


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


HAN_LANGUAGES = ("ja", "zh")
"""The only choice lingua makes: Japanese or Chinese for text written in Han characters alone
(every other language is told by its script). Its models for other languages are not loaded."""


@lru_cache(maxsize=1)
def _lingua_detector():
    """Lingua restricted to Japanese and Chinese; built once (it loads n-gram models)."""
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [getattr(IsoCode639_1, code.upper()) for code in HAN_LANGUAGES]
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
    """Han-only text: Japanese-only or Chinese-only characters, else lingua's
    ja/zh verdict (not sure for very short text)."""
    if any(char in JAPANESE_ONLY_HAN for char in text):
        return Detection("ja", True, "japanese-only han")
    if has_chinese_only_characters(text):
        return Detection("zh", True, "chinese-only han")
    if any(word in text for word in CHINESE_FUNCTION_WORDS):
        return Detection("zh", True, "chinese function word")
    zh = _lingua_confidence(text, "zh")
    ja = _lingua_confidence(text, "ja")
    language = "zh" if zh >= ja else "ja"
    sure = max(zh, ja) >= MIN_HAN_CONFIDENCE and len(text) >= MIN_HAN_LETTERS
    return Detection(language, sure, "lingua han")


def _decide_latin(text: str) -> Detection:
    """Latin-only text is English when it has a word that is not neutral."""
    words = _LATIN_WORD.findall(text.lower())
    meaningful = [word for word in words if word not in NEUTRAL_WORDS]
    if not meaningful or sum(len(word) for word in meaningful) < 2:
        return Detection("en", False, "neutral latin")
    return Detection("en", True, "latin words")


def _is_chinese_with_japanese_terms(text: str) -> bool:
    """Chinese grammar around kana: function words only Chinese uses, little hiragana."""
    hits = sum(text.count(word) for word in CHINESE_FUNCTION_WORDS)
    hiragana = sum(1 for char in text if 0x3040 <= ord(char) <= 0x309F)
    return hits >= 2 or (hits == 1 and hiragana <= MAX_HIRAGANA_IN_CHINESE)


def detect_language(text: str) -> Detection:
    """Detect the language of a user message; see the module docstring."""
    normalized = strip_markup(normalize(text))
    scripts = Counter(
        script for script in map(_script, normalized) if script is not None
    )
    if not scripts:
        return Detection(None, False, "no letters")
    latin_words = len(_LATIN_WORD.findall(normalized.lower()))
    if latin_words >= 3 and scripts["latin"] >= LATIN_MAJORITY * sum(scripts.values()):
        return _decide_latin(normalized)
    non_latin = {s: n for s, n in scripts.items() if s not in ("latin", "han")}
    if non_latin:
        script = max(non_latin, key=lambda s: (non_latin[s], s == "kana"))
        if script == "kana" and _is_chinese_with_japanese_terms(normalized):
            return Detection("zh", True, "chinese grammar with japanese terms")
        return Detection(_SCRIPT_LANGUAGE.get(script, "ja"), True, script)
    if scripts["han"]:
        han_only = "".join(ch for ch in normalized if _script(ch) == "han")
        return _decide_han(han_only)
    return _decide_latin(normalized)
