"""The one place that knows which languages the assistant speaks.

Everything else imports `LANGUAGES` and the name tables from here, so adding a
language is a change to `languages.yml` plus its tokenizer.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Tuple

import yaml

_DATA_FILE = Path(__file__).with_name("languages.yml")


@lru_cache(maxsize=1)
def _data() -> dict:
    with _DATA_FILE.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


LANGUAGES: Tuple[str, ...] = tuple(_data()["languages"])
"""Input languages: what users write and what detection can return."""

ANSWER_LANGUAGES: Tuple[str, ...] = LANGUAGES + tuple(_data()["answer_styles"])
"""What the assistant can answer in: the input languages plus easy Japanese
and Traditional Chinese."""

CONVERTED_STYLES: Dict[str, str] = dict(_data()["converted_styles"])
"""Answer styles produced by converting another language's text (zh-Hant from
zh, by OpenCC) rather than written and reviewed on their own."""

JAPANESE_ONLY_HAN: frozenset = frozenset(_data()["japanese_only_han"])
NEUTRAL_WORDS: frozenset = frozenset(_data()["neutral_words"])
CHINESE_FUNCTION_WORDS: Tuple[str, ...] = tuple(_data()["chinese_function_words"])


def language_names() -> Dict[str, Dict[str, List[str]]]:
    """Names of each answer language, written in each input language.

    `language_names()["en"]["ja"]` lists how a Japanese speaker writes
    "English" (英語, えいご).
    """
    return _data()["names"]


def input_language(answer_language: str) -> str:
    """The input language an answer style belongs to ("ja-easy" -> "ja")."""
    return answer_language.split("-", 1)[0]


def written_language(answer_language: str) -> str:
    """The language whose text an answer style shows: "zh" for "zh-Hant"."""
    return CONVERTED_STYLES.get(answer_language, answer_language)
