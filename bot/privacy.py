"""What the conversation stores write and delete, shared by the SQLite store
(bot/tracker_store.py) and the PostgreSQL one (bot/sql_tracker_store.py).

- Events are masked before they are written: every string, in the
  conversation's language ([電話番号], [phone]), except channel ids. NLU and
  the actions have already seen the text as typed; only the stored copy is
  masked, so a tracker read back later holds placeholders.
- Retention: conversations idle for longer than the retention period are
  deleted, and so are old sessions of a conversation still in use. The
  statements are plain SQL that SQLite and PostgreSQL both run.
- "Forget me": when a turn sets the forget slot (actions/forget.py), the
  store deletes the conversation's rows instead of saving the turn.
"""
from __future__ import annotations

import json
import os
import time
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Tuple

import yaml
from rasa.shared.core.events import Event, SessionStarted, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from nlu.redaction import redact_data

_SETTINGS_FILE = Path(__file__).with_name("privacy.yml")
DEFAULT_LANGUAGE = "en"
RETENTION_EVERY = 24 * 3600.0
"""Seconds between two retention runs of a long-running server."""

Row = Tuple[str, Optional[float], Optional[str], Optional[str], str]
"""type_name, timestamp, intent_name, action_name, data: the columns of Rasa's `events`."""

EXPIRED_STATEMENTS = (
    # conversations whose last event is older than the cutoff
    "DELETE FROM events WHERE sender_id IN ("
    " SELECT sender_id FROM events GROUP BY sender_id HAVING MAX(timestamp) < :cutoff)",
    # older sessions of the others: events before the cutoff and before the latest session
    "DELETE FROM events WHERE timestamp < :cutoff AND timestamp < ("
    " SELECT MAX(started.timestamp) FROM events started"
    " WHERE started.sender_id = events.sender_id"
    f" AND started.type_name = '{SessionStarted.type_name}')",
)
FORGET_STATEMENT = "DELETE FROM events WHERE sender_id = :sender"


@lru_cache(maxsize=1)
def settings() -> Dict[str, Any]:
    with _SETTINGS_FILE.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def retention_days(configured: Optional[Any] = None) -> int:
    """The retention period: endpoints.yml's value, else $RETENTION_DAYS, else privacy.yml."""
    value = configured if configured not in (None, "") else os.environ.get("RETENTION_DAYS")
    value = value if value not in (None, "") else settings()["retention_days"]
    try:
        days = int(value)
    except (TypeError, ValueError):
        raise ValueError(f"The retention period must be a whole number of days, not {value!r}.")
    if days < 1:
        raise ValueError(f"The retention period must be at least 1 day, not {days}.")
    return days


def expiry_cutoff(days: int, now: Optional[float] = None) -> float:
    """The timestamp before which events have expired."""
    return (time.time() if now is None else now) - days * 86400.0


def conversation_language(tracker: DialogueStateTracker) -> str:
    """The language the user writes in (the `language` slot), for placeholders."""
    return tracker.get_slot("language") or DEFAULT_LANGUAGE


def asks_to_forget(events: Iterable[Event]) -> bool:
    """True when `events` set the forget slot to true."""
    slot = settings()["forget_slot"]
    return any(isinstance(event, SlotSet) and event.key == slot and event.value is True
               for event in events)


def stored_rows(events: Iterable[Event], language: str) -> List[Row]:
    """The rows to write for `events`, masked."""
    kept = settings()["kept_as_is"]
    rows = []
    for event in events:
        data = redact_data(event.as_dict(), language, keep=kept)
        rows.append((
            event.type_name,
            data.get("timestamp"),
            data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            data.get("name"),
            json.dumps(data),
        ))
    return rows


class RetentionClock:
    """Says when retention is due again on a server that runs for days."""

    def __init__(self, every: float = RETENTION_EVERY) -> None:
        self._every = every
        self._last = time.monotonic()

    def due(self) -> bool:
        if time.monotonic() - self._last < self._every:
            return False
        self._last = time.monotonic()
        return True
