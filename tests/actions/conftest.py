"""Tracker fixtures in the style of the Rasa example projects: a JSON tracker
adjusted per test, a CollectingDispatcher, and the domain."""
import json
from pathlib import Path
from typing import Dict, List, Optional

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

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
    entity_list = [{"entity": k, "value": v} for k, v in (entities or {}).items()]
    state["latest_message"] = {"text": text, "intent": {"name": intent, "confidence": 0.9},
                               "intent_ranking": [{"name": intent, "confidence": 0.9}],
                               "entities": entity_list}
    state["slots"].update(slots or {})
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
