"""The console's interface texts, one YAML file per interface language (texts/<lang>.yml).

Every file must have the keys of the first interface language's file; a missing key stops the
console at start rather than showing a blank.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Dict

import yaml

from console.settings import options
from nlu.languages import input_language, language_names

TEXTS_DIR = Path(__file__).with_name("texts")


@lru_cache(maxsize=None)
def texts(language: str) -> Dict[str, str]:
    loaded = yaml.safe_load((TEXTS_DIR / f"{language}.yml").read_text("utf-8"))
    reference_language = options()["interface_languages"][0]
    if language != reference_language:
        missing = sorted(set(texts(reference_language)) - set(loaded))
        if missing:
            raise ValueError(f"{TEXTS_DIR / language}.yml lacks {', '.join(missing)}")
    return loaded


def answer_language_name(code: str, interface_language: str) -> str:
    """"やさしい日本語", "English"... written in the interface language."""
    return language_names()[code][input_language(interface_language)][0]
