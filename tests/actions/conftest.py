"""Tracker fixtures in the style of the Rasa example projects: a JSON tracker
adjusted per test, a CollectingDispatcher, and the domain. The latest message
carries parse data as the Rasa pipeline makes it (tests/support/parse.py):
entities found by the gazetteer, the question read from the text, and the
ranked passages."""
import json
from pathlib import Path
from typing import Dict, List, Optional

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from tests.support.parse import parse

DATA = Path(__file__).with_name("data")
DOMAIN = yaml.safe_load((Path(__file__).parents[2] / "bot" / "domain.yml").read_text("utf-8"))


def make_tracker(
    text: str,
    intent: str,
    entities: Optional[Dict[str, str]] = None,
    slots: Optional[Dict[str, object]] = None,
    history: Optional[List[str]] = None,
) -> Tracker:
    state = json.loads((DATA / "tracker.json").read_text("utf-8"))
    state["slots"].update(slots or {})
    language = state["slots"].get("language_choice") or state["slots"].get("language") or "en"
    state["latest_message"] = parse(text, language, intent)
    state["latest_message"]["entities"] += [{"entity": k, "value": v} for k, v in (entities or {}).items()]
    state["events"] = [{"event": "user", "text": t} for t in (history or [])] + [
        {"event": "user", "text": text, "parse_data": state["latest_message"]}
    ]
    return Tracker.from_dict(state)


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


@pytest.fixture
def domain() -> dict:
    return DOMAIN
