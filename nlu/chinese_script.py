"""Traditional and Simplified Chinese, through OpenCC.

The plan's Chinese translation is written and reviewed in Simplified Chinese.
Readers who write Traditional Chinese (Taiwan, Hong Kong) get the same text
converted by OpenCC, a maintained converter, so there is one reviewed text
and no second translation to keep in step.
"""
from __future__ import annotations

from functools import lru_cache

TRADITIONAL = "zh-Hant"
SIMPLIFIED = "zh"


@lru_cache(maxsize=None)
def _converter(config: str):
    import opencc

    return opencc.OpenCC(config)


def _converters():
    return _converter("t2s"), _converter("s2t")


def to_traditional(text: str) -> str:
    """Simplified Chinese text in Traditional characters, in the variants used in
    Taiwan and Hong Kong (台灣 rather than 臺灣)."""
    return _converter("s2tw").convert(text)


def traditional_forms(text: str) -> list:
    """Every Traditional spelling users may type for a Simplified name."""
    return list(dict.fromkeys(_converter(config).convert(text) for config in ("s2tw", "s2t", "s2hk")))


def chinese_variant(text: str) -> str:
    """TRADITIONAL when more characters change on conversion to Simplified than
    on conversion to Traditional, else SIMPLIFIED."""
    to_simplified, to_trad = _converters()
    traditional = sum(a != b for a, b in zip(text, to_simplified.convert(text)))
    simplified = sum(a != b for a, b in zip(text, to_trad.convert(text)))
    return TRADITIONAL if traditional > simplified else SIMPLIFIED


def has_chinese_only_characters(text: str) -> bool:
    """Whether `text` has a character that Japanese never writes: a Simplified
    form whose Traditional form Japanese writes differently (谢 -> 謝, 吗 -> 嗎),
    unlike the forms the two share (国, 学)."""
    to_trad, to_japanese = _converter("s2t"), _converter("t2jp")
    return any(to_japanese.convert(to_trad.convert(c)) != c for c in text)
