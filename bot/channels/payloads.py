"""Which intent payloads a client may send (``payloads.yml``); every other one is refused.

Rasa reads any message that starts with "/" as ``/intent{"entity": "value"}`` and takes the
intent and entities as given, skipping NLU. A user who types one could pick any intent or put a
value of any type into a slot. The buttons the assistant itself offers (the language menu,
"was this helpful?") send such payloads, so exactly those are let through, with their entity
values checked against a fixed list or the NLU gazetteer.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Dict, FrozenSet, Optional

import yaml

PAYLOADS_FILE = Path(__file__).with_name("payloads.yml")
PAYLOAD_PREFIX = "/"
GAZETTEER = "gazetteer"
_PAYLOAD = re.compile(r"/(?P<intent>[A-Za-z_]+)(?P<entities>\{.*\})?", re.S)

Allowed = Dict[str, Dict[str, FrozenSet[str]]]


@lru_cache(maxsize=1)
def _gazetteer_values() -> Dict[str, FrozenSet[str]]:
    from knowledge.facts import gazetteer_terms

    values: Dict[str, set] = {}
    for entity, value, _ in gazetteer_terms():
        values.setdefault(entity, set()).add(value)
    return {entity: frozenset(found) for entity, found in values.items()}


@lru_cache(maxsize=1)
def allowed_payloads() -> Allowed:
    """intent -> entity -> allowed values, from payloads.yml."""
    data = yaml.safe_load(PAYLOADS_FILE.read_text("utf-8"))
    allowed: Allowed = {}
    for intent, entities in data.items():
        allowed[intent] = {
            entity: _gazetteer_values().get(entity, frozenset())
            if values == GAZETTEER else frozenset(str(v) for v in values)
            for entity, values in (entities or {}).items()
        }
    return allowed


def is_payload(text: Optional[str]) -> bool:
    return bool(text) and text.startswith(PAYLOAD_PREFIX)


def payload_allowed(text: str) -> bool:
    """True for a payload listed in payloads.yml with allowed values; False for any other."""
    match = _PAYLOAD.fullmatch(text)
    if not match or match["intent"] not in allowed_payloads():
        return False
    rules = allowed_payloads()[match["intent"]]
    if not match["entities"]:
        return True
    try:
        entities = json.loads(match["entities"])
    except (ValueError, RecursionError):
        return False
    return isinstance(entities, dict) and all(
        key in rules and isinstance(value, str) and value in rules[key]
        for key, value in entities.items()
    )
