"""Scripted conversations against the running stack, through the REST channel.

Each file `tests/e2e/conversations/<lang>.yml` holds conversations written
natively in one language. A turn passes when the bot's reply is in the
expected language and contains the expected facts:

    conversations:
      - name: office in Korea, then its language
        turns:
          - user: Does Hokkaido have an office in Korea?
            contains: [Seoul]            # every string must appear (case-insensitive)
          - user: What language does it publish in?
            contains: [Korean]
            any_of: [Source, ...]        # optional: at least one must appear
            not_contains: [Shanghai]     # optional
            reply_language: en           # optional; default: the file's language
            metadata: {language: th}     # optional: REST metadata (widget menu)

Used by `tests/e2e/test_conversations.py` (pass rate per language) and by
`make eval` (`tests/eval/conversation_eval.py`).
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List

import yaml

from bot.launcher import Stack
from nlu.language_detection import detect_language
from nlu.languages import LANGUAGES, input_language

CONVERSATIONS_DIR = Path(__file__).with_name("conversations")


@dataclass
class Outcome:
    name: str
    failures: List[str]

    @property
    def passed(self) -> bool:
        return not self.failures


def load_conversations(language: str) -> List[dict]:
    document = yaml.safe_load((CONVERSATIONS_DIR / f"{language}.yml").read_text("utf-8"))
    return document["conversations"]


def reply_language(texts: List[str]) -> str:
    """The language of the bot's reply, judged on its first message."""
    return detect_language(texts[0]).language if texts else "none"


def check_turn(turn: dict, replies: List[dict], language: str) -> List[str]:
    texts = [r["text"] for r in replies if r.get("text")]
    joined = "\n".join(texts).lower()
    problems = []
    expected_language = input_language(turn.get("reply_language", language))
    if reply_language(texts) != expected_language:
        problems.append(f"reply language {reply_language(texts)} != {expected_language}")
    for needle in turn.get("contains", []):
        if str(needle).lower() not in joined:
            problems.append(f"missing {needle!r}")
    if turn.get("any_of") and not any(str(n).lower() in joined for n in turn["any_of"]):
        problems.append(f"none of {turn['any_of']!r}")
    for needle in turn.get("not_contains", []):
        if str(needle).lower() in joined:
            problems.append(f"unexpected {needle!r}")
    return problems


def run_conversation(stack: Stack, conversation: dict, language: str) -> Outcome:
    sender = f"conv-{language}-{uuid.uuid4().hex[:8]}"
    failures: List[str] = []
    for index, turn in enumerate(conversation["turns"], start=1):
        try:
            replies = stack.send(sender, turn["user"], turn.get("metadata"))
        except OSError as error:  # includes HTTP 500 from the server
            failures.append(f"turn {index}: request failed: {error}")
            break
        for problem in check_turn(turn, replies, language):
            texts = " | ".join(r.get("text", "")[:120] for r in replies)
            failures.append(f"turn {index} ({turn['user'][:40]!r}): {problem}; reply: {texts}")
    return Outcome(conversation["name"], failures)


def run_language(stack: Stack, language: str) -> List[Outcome]:
    return [run_conversation(stack, c, language) for c in load_conversations(language)]


def run_all(stack: Stack) -> Dict[str, List[Outcome]]:
    return {language: run_language(stack, language) for language in LANGUAGES}
