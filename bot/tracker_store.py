"""The embedded default tracker store: every event of every conversation in
one SQLite file, in write-ahead-log mode.

The table is the one Rasa's SQLTrackerStore writes (`events`, one row per
event, same columns), so SQL tools and `rasa export` see the same data, and
a database written by Rasa's store opens here unchanged. What differs is the
work per turn. Rasa's store goes through SQLAlchemy's ORM: a new session and
SQLite connection for each read and each write (setting the pragmas again),
statement compilation, and an ORM object per event; profiling showed that
costing about a fifth of the Rasa server's time per turn. Here one sqlite3
connection runs one plain statement to read a conversation and two to
append a turn.

WAL mode with `synchronous=NORMAL`: a commit survives an application crash;
only a power failure can lose the last turns (the default rollback journal
waits for a full fsync each turn, about 7 ms here). docker-compose uses
PostgreSQL through bot/sql_tracker_store.py instead.

What is written is masked, expired conversations are deleted at start and
daily, and "forget me" deletes a conversation: see bot/privacy.py.
"""
from __future__ import annotations

import itertools
import json
import logging
import sqlite3
import threading
from pathlib import Path
from typing import Any, Iterable, List, Optional, Text

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SerializedTrackerAsText, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker

from bot import privacy

logger = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    id INTEGER NOT NULL PRIMARY KEY,
    sender_id VARCHAR(255) NOT NULL,
    type_name VARCHAR(255) NOT NULL,
    timestamp FLOAT,
    intent_name VARCHAR(255),
    action_name VARCHAR(255),
    data TEXT
);
CREATE INDEX IF NOT EXISTS ix_events_sender_id ON events (sender_id);
"""

# Rasa's rule for "the latest conversation session": events stamped at or
# after the last `session_started` event, or all of them if there is none.
_LATEST_SESSION = f"""
    sender_id = :sender AND (
        timestamp >= (SELECT MAX(timestamp) FROM events
                      WHERE sender_id = :sender AND type_name = '{SessionStarted.type_name}')
        OR NOT EXISTS (SELECT 1 FROM events
                       WHERE sender_id = :sender AND type_name = '{SessionStarted.type_name}'))
"""


class SQLiteTrackerStore(TrackerStore, SerializedTrackerAsText):
    """`type: bot.tracker_store.SQLiteTrackerStore`, `db: <path>` in endpoints.yml
    (optional: `retention_days`)."""

    def __init__(
        self,
        domain: Optional[Domain] = None,
        db: Text = "rasa.db",
        event_broker: Optional[EventBroker] = None,
        retention_days: Optional[int] = None,
        delete_expired_at_start: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(domain, event_broker, **kwargs)
        self.retention_days = privacy.retention_days(retention_days)
        self._retention_clock = privacy.RetentionClock()
        Path(db).parent.mkdir(parents=True, exist_ok=True)
        # One connection for the server's lifetime. Rasa calls the store from
        # its event loop; the lock keeps any other thread's call whole.
        self._connection = sqlite3.connect(db, check_same_thread=False, timeout=10)
        self._lock = threading.Lock()
        with self._lock:
            self._connection.execute("PRAGMA journal_mode=WAL")
            self._connection.execute("PRAGMA synchronous=NORMAL")
            self._connection.executescript(_SCHEMA)
        if delete_expired_at_start:
            self.delete_expired()

    async def keys(self) -> Iterable[Text]:
        """The sender ids of all stored conversations."""
        with self._lock:
            rows = self._connection.execute("SELECT DISTINCT sender_id FROM events").fetchall()
        return [sender_id for (sender_id,) in rows]

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        """The tracker of the conversation's latest session, or None."""
        return self._tracker(sender_id, self._events(sender_id, latest_session_only=True))

    async def retrieve_full_tracker(self, conversation_id: Text) -> Optional[DialogueStateTracker]:
        """The tracker with the events of every session of the conversation."""
        return self._tracker(
            conversation_id, self._events(conversation_id, latest_session_only=False)
        )

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Append the events of `tracker` that are not stored yet, masked, in
        one transaction; or delete the conversation if the user asked for it."""
        await self.stream_events(tracker)
        with self._lock, self._connection:
            (stored,) = self._connection.execute(
                f"SELECT COUNT(*) FROM events WHERE {_LATEST_SESSION}",
                {"sender": tracker.sender_id},
            ).fetchone()
            new_events = list(itertools.islice(tracker.events, stored, None))
            if privacy.asks_to_forget(new_events):
                self._connection.execute(privacy.FORGET_STATEMENT, {"sender": tracker.sender_id})
                return
            rows = privacy.stored_rows(new_events, privacy.conversation_language(tracker))
            self._connection.executemany(
                "INSERT INTO events (sender_id, type_name, timestamp, intent_name, "
                "action_name, data) VALUES (?, ?, ?, ?, ?, ?)",
                [(tracker.sender_id, *row) for row in rows],
            )
        if self._retention_clock.due():
            self.delete_expired()

    def delete_expired(self) -> int:
        """Delete what is older than the retention period; return the number of events."""
        cutoff = privacy.expiry_cutoff(self.retention_days)
        with self._lock, self._connection:
            deleted = sum(
                self._connection.execute(statement, {"cutoff": cutoff}).rowcount
                for statement in privacy.EXPIRED_STATEMENTS
            )
        logger.info(f"Retention: deleted {deleted} events older than {self.retention_days} days.")
        return deleted

    def _events(self, sender_id: Text, latest_session_only: bool) -> List[dict]:
        where = _LATEST_SESSION if latest_session_only else "sender_id = :sender"
        with self._lock:
            rows = self._connection.execute(
                f"SELECT data FROM events WHERE {where} ORDER BY id", {"sender": sender_id}
            ).fetchall()
        return [json.loads(data) for (data,) in rows]

    def _tracker(self, sender_id: Text, events: List[dict]) -> Optional[DialogueStateTracker]:
        if not events:
            return None
        return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
