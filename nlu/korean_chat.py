"""Read Korean initial-consonant chat abbreviations (ㄳ, ㅎㅇ) as words.

Korean users write short replies in consonants only: "ㄳ" for 감사 (thanks),
"ㅂㅂ" for 바이바이 (bye). The sentence encoder never saw these, and their
character n-grams share nothing with the words they stand for, so the
classifier could only learn each spelling from its own training examples.
The tokenizer and the sentence featurizer therefore see the expansion from
`korean_chat.yml`. Only a whole run of jamo is expanded ("ㄳ" but not the
"ㄳ" inside "ㄳㄳㄳ" or "ㄳㅠㅠ"), and unknown runs stay as typed.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Dict

import yaml

_LEXICON_FILE = Path(__file__).with_name("korean_chat.yml")
_JAMO_RUN = re.compile(r"[\u3131-\u318e]+")


@lru_cache(maxsize=1)
def _lexicon() -> Dict[str, str]:
    with _LEXICON_FILE.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def expand_abbreviations(text: str) -> str:
    """`text` with each known standalone consonant abbreviation spelled out."""
    lexicon = _lexicon()
    return _JAMO_RUN.sub(lambda match: lexicon.get(match.group(), match.group()), text)
