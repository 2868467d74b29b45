"""The embedded tracker store keeps every turn in SQLite (WAL mode), in the
table layout of Rasa's SQLTrackerStore."""
import asyncio
import sqlite3

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.tracker_store import SQLiteTrackerStore

DOMAIN = Domain.from_yaml("slots:\n  place:\n    type: any\n    mappings: []\n")


def session(*texts, place=None):
    """A new session's events stamped as Rasa stamps them: it logs
    `action_session_start` after running it, so that event comes first but is
    stamped after `session_started` (sessions are found by timestamp)."""
    started = SessionStarted()  # stamped before the action that logs it
    events = [ActionExecuted("action_session_start"), started]
    events += [UserUttered(text) for text in texts]
    return events + ([SlotSet("place", place)] if place else [])


def user_texts(tracker):
    return [e.text for e in tracker.events if isinstance(e, UserUttered)]


def test_turns_survive_a_new_store_instance_and_the_database_uses_wal(tmp_path):
    db = tmp_path / "conversations.db"
    tracker = DialogueStateTracker.from_events("u1", [UserUttered("こんにちは"), UserUttered("ok")])
    asyncio.run(SQLiteTrackerStore(db=str(db)).save(tracker))
    restored = asyncio.run(SQLiteTrackerStore(db=str(db)).retrieve("u1"))
    assert user_texts(restored) == ["こんにちは", "ok"]
    assert sqlite3.connect(db).execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_each_save_appends_only_the_new_events_and_slots_are_replayed(tmp_path):
    store = SQLiteTrackerStore(DOMAIN, db=str(tmp_path / "c.db"))
    tracker = DialogueStateTracker.from_events("u1", session("韓国は？"), DOMAIN.slots)
    asyncio.run(store.save(tracker))
    tracker = asyncio.run(store.retrieve("u1"))
    tracker.update(SlotSet("place", "korea"))
    tracker.update(UserUttered("And China?"))
    asyncio.run(store.save(tracker))
    asyncio.run(store.save(tracker))  # nothing new: nothing added
    restored = asyncio.run(store.retrieve("u1"))
    assert user_texts(restored) == ["韓国は？", "And China?"]
    assert restored.get_slot("place") == "korea"
    rows = sqlite3.connect(tmp_path / "c.db").execute("SELECT COUNT(*) FROM events").fetchone()
    assert rows == (len(restored.events),)


def test_retrieve_gives_the_latest_session_and_the_full_tracker_all_of_them(tmp_path):
    store = SQLiteTrackerStore(DOMAIN, db=str(tmp_path / "c.db"))
    tracker = DialogueStateTracker.from_events("u1", session("first"), DOMAIN.slots)
    asyncio.run(store.save(tracker))
    for event in session("second"):
        tracker.update(event)
    asyncio.run(store.save(tracker))
    assert user_texts(asyncio.run(store.retrieve("u1"))) == ["second"]
    assert user_texts(asyncio.run(store.retrieve_full_tracker("u1"))) == ["first", "second"]
    assert asyncio.run(store.retrieve("nobody")) is None
    assert sorted(asyncio.run(store.keys())) == ["u1"]


@pytest.mark.parametrize("writer, reader", [("rasa", "ours"), ("ours", "rasa")])
def test_databases_are_interchangeable_with_rasas_sql_tracker_store(tmp_path, writer, reader):
    db = str(tmp_path / "c.db")
    stores = {
        "rasa": lambda: SQLTrackerStore(DOMAIN, dialect="sqlite", db=db),
        "ours": lambda: SQLiteTrackerStore(DOMAIN, db=db),
    }
    tracker = DialogueStateTracker.from_events(
        "u1", session("Здравствуйте", place="sakhalin"), DOMAIN.slots
    )
    asyncio.run(stores[writer]().save(tracker))
    restored = asyncio.run(stores[reader]().retrieve("u1"))
    assert restored.events == tracker.events
