"""The embedded tracker store keeps every turn in SQLite (WAL mode)."""
import asyncio
import sqlite3

from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.tracker_store import SQLiteTrackerStore


def test_turns_survive_a_new_store_instance_and_the_database_uses_wal(tmp_path):
    db = tmp_path / "conversations.db"
    tracker = DialogueStateTracker.from_events("u1", [UserUttered("こんにちは"), UserUttered("ok")])
    asyncio.run(SQLiteTrackerStore(db=str(db)).save(tracker))
    restored = asyncio.run(SQLiteTrackerStore(db=str(db)).retrieve("u1"))
    assert [e.text for e in restored.events if isinstance(e, UserUttered)] == ["こんにちは", "ok"]
    assert sqlite3.connect(db).execute("PRAGMA journal_mode").fetchone() == ("wal",)
