"""Ask: the assistant's answer to a staff question, in every answer language.

The answer is composed by the code that answers users; it is called here, not copied. The
question is parsed by the Rasa server's own NLU model (the staff parse endpoint), the intent is
mapped to an action the way bot/data/rules.yml maps it, and that action of the action service
(`actions/`, registered by rasa_sdk's own executor) runs on a tracker built from the parse data,
once per answer language with the `language_choice` slot set, as if the user had chosen that
language. What the dispatcher collects is shown: the texts, and the citation payloads with the
original Japanese.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Sequence

import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import ActionExecutor, CollectingDispatcher

ROOT = Path(__file__).resolve().parent.parent
RULES_FILE = ROOT / "bot" / "data" / "rules.yml"
DOMAIN_FILE = ROOT / "bot" / "domain.yml"
FALLBACK_ACTION = "action_fallback"


@dataclass
class Answer:
    """What the assistant says in one language."""

    language: str
    texts: List[str] = field(default_factory=list)
    citations: List[Dict[str, Any]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\n".join(self.texts)


@lru_cache(maxsize=1)
def _executor() -> ActionExecutor:
    executor = ActionExecutor()
    executor.register_package("actions")
    return executor


@lru_cache(maxsize=1)
def domain() -> Dict[str, Any]:
    return yaml.safe_load(DOMAIN_FILE.read_text("utf-8"))


@lru_cache(maxsize=1)
def actions_by_intent() -> Dict[str, str]:
    """intent -> action of every two-step rule `[{intent: ...}, {action: ...}]`."""
    mapping: Dict[str, str] = {}
    for rule in yaml.safe_load(RULES_FILE.read_text("utf-8"))["rules"]:
        steps = rule.get("steps") or []
        if len(steps) == 2 and "intent" in steps[0] and "action" in steps[1]:
            mapping[steps[0]["intent"]] = steps[1]["action"]
    return mapping


def action_for(parse_data: Dict[str, Any]) -> str:
    intent = (parse_data.get("intent") or {}).get("name")
    return actions_by_intent().get(intent, FALLBACK_ACTION)


def tracker_for(parse_data: Dict[str, Any], language: str) -> Tracker:
    """A one-message conversation whose user chose `language`, as Rasa would send it."""
    slots = {name: None for name in domain().get("slots", {})}
    slots["language_choice"] = language
    user_event = {"event": "user", "timestamp": time.time(), "text": parse_data.get("text"),
                  "parse_data": parse_data, "input_channel": "console"}
    return Tracker("console", slots, parse_data, [user_event], False, None, {}, "action_listen")


async def answer(parse_data: Dict[str, Any], language: str) -> Answer:
    """Run the action the rules choose for this parse, answering in `language`."""
    dispatcher = CollectingDispatcher()
    run = _executor().actions[action_for(parse_data)]
    await run(dispatcher, tracker_for(parse_data, language), domain())
    result = Answer(language)
    for message in dispatcher.messages:
        if message.get("text"):
            result.texts.append(message["text"])
        custom = message.get("custom")
        if isinstance(custom, dict) and custom.get("type") == "citation":
            result.citations.append(custom)
    return result


async def answers(parse_data: Dict[str, Any], languages: Sequence[str]) -> List[Answer]:
    return [await answer(parse_data, language) for language in languages]
