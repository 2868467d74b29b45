"""The assistant's own words (not plan facts), per answer language."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Dict

import yaml

from nlu.chinese_script import TRADITIONAL, to_traditional
from nlu.languages import ANSWER_LANGUAGES, CONVERTED_STYLES, written_language

_TEXTS_FILE = Path(__file__).with_name("texts.yml")


@lru_cache(maxsize=1)
def _texts() -> Dict[str, Dict[str, str]]:
    with _TEXTS_FILE.open(encoding="utf-8") as handle:
        texts = yaml.safe_load(handle)
    for key, by_language in texts.items():
        missing = [lang for lang in ANSWER_LANGUAGES if lang not in by_language and lang not in CONVERTED_STYLES]
        if missing:
            raise ValueError(f"{_TEXTS_FILE}: '{key}' lacks {', '.join(missing)}")
    return texts


def styled(text_in_written_language: str, language: str) -> str:
    """Text composed in a style's written language, in that style: Traditional
    Chinese is converted from the Simplified text (nlu.chinese_script)."""
    return to_traditional(text_in_written_language) if language == TRADITIONAL else text_in_written_language


def text(key: str, language: str, **values: object) -> str:
    """The text `key` in `language`, with {placeholders} filled from `values`."""
    return styled(_texts()[key][written_language(language)].format(**values), language)
