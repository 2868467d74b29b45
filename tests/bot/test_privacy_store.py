"""Both tracker stores, SQLite and PostgreSQL (a real server from Debian's
package): what they write is masked, "forget me" deletes a conversation, and
retention deletes old conversations and old sessions, at start, by method and
by the `bot.retention` command."""
import asyncio
import json
import os
import sqlite3
import subprocess
import sys
import time

import pytest
import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot import privacy
from bot.launcher import ROOT
from bot.sql_tracker_store import RedactingSQLTrackerStore
from bot.tracker_store import SQLiteTrackerStore
from tests.support.services import start_postgres

DOMAIN = Domain.from_yaml(
    "slots:\n  language:\n    type: any\n    mappings: []\n"
    "  handoff:\n    type: any\n    mappings: []\n"
    "  forget_me:\n    type: any\n    mappings: []\n"
)
PASSWORD = "test-only-password"
DAY = 86400.0


@pytest.fixture(scope="module")
def postgres():
    service = start_postgres("rasa", "rasa", PASSWORD)
    yield service
    service.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request, tmp_path):
    """(make_store(**kwargs), rows(sql) -> list) for one empty database."""
    if request.param == "sqlite":
        db = tmp_path / "conversations.db"

        def make(**kwargs):
            return SQLiteTrackerStore(DOMAIN, db=str(db), **kwargs)

        def rows(sql):
            return sqlite3.connect(db).execute(sql).fetchall()
    else:
        port = request.getfixturevalue("postgres").port
        url = f"postgresql://rasa:{PASSWORD}@127.0.0.1:{port}/rasa"

        def make(**kwargs):
            return RedactingSQLTrackerStore(
                DOMAIN, dialect="postgresql", host="127.0.0.1", port=port, db="rasa",
                username="rasa", password=PASSWORD, **kwargs)

        def rows(sql):
            with sa.create_engine(url).connect() as connection:
                return [tuple(row) for row in connection.execute(sa.text(sql))]

        make().delete_expired()  # creates the table
        with sa.create_engine(url).begin() as connection:
            connection.execute(sa.text("DELETE FROM events"))
    return make, rows


def save(store, sender, events):
    tracker = asyncio.run(store.retrieve(sender)) or DialogueStateTracker(sender, DOMAIN.slots)
    for event in events:
        tracker.update(event)
    asyncio.run(store.save(tracker))
    return tracker


def session(at, *texts, language="en"):
    """A session stamped `at`, as Rasa stamps one (see test_tracker_store.py)."""
    events = [ActionExecuted("action_session_start", timestamp=at + 0.001),
              SessionStarted(timestamp=at), SlotSet("language", language, timestamp=at + 0.002)]
    for offset, text in enumerate(texts, 1):
        events += [UserUttered(text, timestamp=at + offset),
                   BotUttered(f"answer {offset}", timestamp=at + offset + 0.5)]
    return events


def test_stored_events_are_masked_in_the_users_language_and_channel_ids_kept(backend):
    make, rows = backend
    store = make()
    message = UserUttered("電話は090-1234-5678、在留カードはAB12345678CDです",
                          parse_data={"text": "電話は090-1234-5678", "intent": {"name": "x"},
                                      "retrieval": {"question": "AB12345678CD"}},
                          metadata={"line_user": "U4af4980629e3b9fb0b13c3d4ef5c9b1d"})
    tracker = save(store, "line:u1", [SlotSet("language", "ja"), message])
    assert tracker.latest_message.text.startswith("電話は090-1234-5678")  # NLU saw it as typed
    stored = " ".join(json.dumps(json.loads(data), ensure_ascii=False)
                      for (data,) in rows("SELECT data FROM events"))
    assert "090-1234-5678" not in stored and "AB12345678CD" not in stored
    assert "[電話番号]" in stored and "[在留カード番号]" in stored
    assert "U4af4980629e3b9fb0b13c3d4ef5c9b1d" in stored
    restored = asyncio.run(make().retrieve("line:u1"))
    assert restored.latest_message.text == "電話は[電話番号]、在留カードは[在留カード番号]です"


def test_forget_me_deletes_the_conversation_and_only_it(backend):
    make, rows = backend
    store = make()
    save(store, "web:a", session(time.time(), "my mail is a@b.jp", "ok"))
    save(store, "web:b", session(time.time(), "hello"))
    save(store, "web:b", [UserUttered("delete?"), ActionExecuted("action_forget_me"),
                          BotUttered("sure?"), ActionExecuted("action_listen")])  # unsure: kept
    save(store, "web:a", [UserUttered("forget me"), ActionExecuted("action_forget_me"),
                          SlotSet("forget_me", True), BotUttered("deleted"),
                          ActionExecuted("action_listen")])
    assert rows("SELECT COUNT(*) FROM events WHERE sender_id = 'web:a'") == [(0,)]
    assert rows("SELECT COUNT(*) FROM events WHERE sender_id = 'web:b'")[0][0] > 0
    assert asyncio.run(store.retrieve("web:a")) is None


def test_retention_deletes_idle_conversations_and_old_sessions_at_start(backend):
    make, rows = backend
    now = time.time()
    store = make(retention_days=90)
    save(store, "web:idle", session(now - 120 * DAY, "old question"))
    save(store, "web:returning", session(now - 100 * DAY, "first visit"))
    save(store, "web:returning", session(now - 2 * DAY, "second visit"))
    save(store, "web:recent", session(now - 89 * DAY, "recent enough"))
    make(retention_days=90)  # a server starting
    senders = {sender for (sender,) in rows("SELECT DISTINCT sender_id FROM events")}
    assert senders == {"web:returning", "web:recent"}
    texts = [json.loads(d).get("text") for (d,) in rows(
        "SELECT data FROM events WHERE sender_id = 'web:returning' AND type_name = 'user'")]
    assert texts == ["second visit"]
    full = asyncio.run(store.retrieve_full_tracker("web:returning"))
    assert [e.text for e in full.events if isinstance(e, UserUttered)] == ["second visit"]
    assert make(retention_days=1, delete_expired_at_start=False).delete_expired() > 0
    assert rows("SELECT COUNT(*) FROM events WHERE sender_id = 'web:recent'") == [(0,)]


def test_the_retention_command_uses_the_endpoints_file_and_days(tmp_path):
    db = tmp_path / "conversations.db"
    store = SQLiteTrackerStore(DOMAIN, db=str(db))
    save(store, "web:old", session(time.time() - 10 * DAY, "ten days ago"))
    save(store, "web:new", session(time.time() - DAY, "yesterday"))
    env = {**os.environ, "TRACKER_DB": str(db)}
    env.pop("ACTION_ENDPOINT_URL", None)
    run = subprocess.run([sys.executable, "-m", "bot.retention", "--days", "5"], cwd=ROOT,
                         env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "older than 5 days" in run.stdout
    senders = sqlite3.connect(db).execute("SELECT DISTINCT sender_id FROM events").fetchall()
    assert senders == [("web:new",)]


def test_the_retention_period_comes_from_endpoints_env_or_yaml(monkeypatch):
    monkeypatch.delenv("RETENTION_DAYS", raising=False)
    assert privacy.retention_days() == 90
    monkeypatch.setenv("RETENTION_DAYS", "30")
    assert privacy.retention_days() == 30
    assert privacy.retention_days(7) == 7
    for bad in ("0", "ninety", "-3"):
        monkeypatch.setenv("RETENTION_DAYS", bad)
        with pytest.raises(ValueError, match="retention period"):
            privacy.retention_days()
