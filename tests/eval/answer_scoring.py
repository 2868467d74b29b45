"""Score a reply as correct, honest abstention or wrong.

The held-out and development sets (`tests/eval/heldout/`, `tests/eval/dev/`)
say per turn what a right reply must hold (`contains`), what would make it
wrong (`not_contains`), whether the plan answers at all (`expect: answer`,
`abstain` or `any`) and the reply language. A turn is:

- correct: it answers (or, for `expect: abstain`, declines) in the expected
  language, with every `contains` item and none of `not_contains`;
- an honest abstention: the plan answers, but the assistant declined or asked
  back, without a forbidden figure and in the expected language;
- wrong: anything else, including a right fact in the wrong language.

A conversation takes its worst turn. Whether a reply declines is read from
the `kind` the assistant puts in its custom payload (`abstain`, `clarify`);
for a build without that field, from its no-answer texts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, List, Optional, Sequence, Union

import yaml

from nlu.chinese_script import chinese_variant
from nlu.language_detection import detect_language

DECLINING_KINDS = ("abstain", "partial", "clarify")
"""Reply kinds that decline all or part of a question, saying what the plan lacks."""
LEGACY_DECLINING_TEXTS = ("no_answer", "personal_case", "not_understood")
"""texts.yml keys whose text marks a declining reply in a build without `kind`."""

CORRECT, ABSTAIN, WRONG, SKIPPED = "correct", "abstention", "wrong", "skipped"
_SEVERITY = {SKIPPED: 0, CORRECT: 1, ABSTAIN: 2, WRONG: 3}
_DIGIT_SEPARATOR = re.compile(r"(?<=\d)[,\u00a0\u202f\u2009 ](?=\d{3}(?!\d))")

Needle = Union[str, Sequence[str]]


@dataclass(frozen=True)
class TurnScore:
    outcome: str
    problems: List[str]


@lru_cache(maxsize=1)
def _legacy_declining_texts() -> List[str]:
    texts = yaml.safe_load((Path(__file__).resolve().parents[2] / "actions" / "texts.yml").read_text("utf-8"))
    return [
        value.split("{")[0].strip().lower()
        for key in LEGACY_DECLINING_TEXTS
        for value in texts.get(key, {}).values()
        if value.split("{")[0].strip()
    ]


def _plain_digits(text: str) -> str:
    """"2,136,600" and "2 136 600" -> "2136600": the sets ignore thousands separators."""
    return _DIGIT_SEPARATOR.sub("", text)


def _variants(needle: str) -> List[str]:
    plain = _plain_digits(needle.lower())
    variants = [plain]
    if re.fullmatch(r"\d+\.\d+", plain):
        variants.append(plain.replace(".", ","))  # Russian decimal comma
    return variants


def holds(needle: Needle, reply: str) -> bool:
    """Whether `reply` holds the item: a string, or any of a list of alternatives."""
    haystack = _plain_digits(reply.lower())
    options = [needle] if isinstance(needle, str) else list(needle)
    return any(variant in haystack for option in options for variant in _variants(str(option)))


def reply_language(texts: Sequence[str]) -> Optional[str]:
    """The language of a reply, judged on its first text; Chinese split by script."""
    if not texts:
        return None
    language = detect_language(texts[0]).language
    return chinese_variant(texts[0]) if language == "zh" else language


def declines(replies: Iterable[dict]) -> bool:
    """Whether the assistant declined or asked back instead of answering."""
    replies = list(replies)
    kinds = [r["custom"].get("kind") for r in replies if isinstance(r.get("custom"), dict)]
    if any(kind is not None for kind in kinds):
        return any(kind in DECLINING_KINDS for kind in kinds)
    joined = "\n".join(r.get("text") or "" for r in replies).lower()
    return any(text in joined for text in _legacy_declining_texts())


def score_turn(turn: dict, replies: List[dict], language: str) -> TurnScore:
    """Score one turn of a case written in `language` (see the module docstring)."""
    expect = turn.get("expect", "answer")
    if expect == "any":
        return TurnScore(SKIPPED, [])
    texts = [r["text"] for r in replies if r.get("text")]
    joined = "\n".join(texts)
    problems: List[str] = []
    wanted = turn.get("reply_language", language)
    got = reply_language(texts)
    if got != wanted:
        problems.append(f"reply language {got} != {wanted}")
    forbidden = [n for n in turn.get("not_contains", []) if holds(n, joined)]
    problems += [f"forbidden {n!r}" for n in forbidden]
    declined = declines(replies)
    if expect == "abstain":
        if not declined:
            problems.append("answered where the plan has no answer")
        return TurnScore(WRONG if problems else CORRECT, problems)
    missing = [n for n in turn.get("contains", []) if not holds(n, joined)]
    if problems:
        return TurnScore(WRONG, problems + [f"missing {n!r}" for n in missing])
    if not missing:
        return TurnScore(CORRECT, [])
    if declined:
        return TurnScore(ABSTAIN, ["declined"])
    return TurnScore(WRONG, [f"missing {n!r}" for n in missing])


def worst(outcomes: Iterable[str]) -> str:
    """A case's outcome: its worst turn (a case of skipped turns only is correct)."""
    result = max(outcomes, key=_SEVERITY.__getitem__, default=SKIPPED)
    return CORRECT if result == SKIPPED else result
