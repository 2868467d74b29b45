"""The console's tables and queries on PostgreSQL (Debian's server, started for the test),
the production database: accounts, the inbox over an `events` table shaped like the one Rasa's
SQLTrackerStore writes, status changes and review decisions."""
from __future__ import annotations

import json
import time

import pytest
from sqlalchemy import insert

from console.accounts import authenticate, create_user
from console.database import connect, tracker_events
from console.inbox import TrackerStoreInbox
from console.review import Decision, ReviewLog
from console.settings import database_url
from tests.support.services import start_postgres


@pytest.fixture(scope="module")
def engine():
    server = start_postgres("rasa", "rasa", "console-test-password")
    try:
        url = database_url({"POSTGRES_HOST": "127.0.0.1", "POSTGRES_PORT": str(server.port),
                            "POSTGRES_DB": "rasa", "POSTGRES_USER": "rasa",
                            "POSTGRES_PASSWORD": "console-test-password"})
        engine = connect(url)
        tracker_events.metadata.create_all(engine)  # Rasa creates it in production
        yield engine
        engine.dispose()
    finally:
        server.stop()


def event(sender: str, data: dict) -> dict:
    return {"sender_id": sender, "type_name": data["event"], "timestamp": data["timestamp"],
            "action_name": data.get("name"), "data": json.dumps(data)}


def test_accounts(engine) -> None:
    create_user(engine, "pg-editor", "a long password", "editor")
    assert authenticate(engine, "pg-editor", "a long password").role == "editor"
    assert authenticate(engine, "pg-editor", "wrong password!") is None


def test_inbox_and_status(engine) -> None:
    now = time.time()
    rows = [
        event("line:U1", {"event": "user", "timestamp": now, "text": "help", "input_channel": "line"}),
        event("line:U1", {"event": "slot", "timestamp": now + 1, "name": "handoff",
                          "value": {"language": "th", "summary_ja": "要約", "requested_at": "t1"}}),
        event("web:a", {"event": "user", "timestamp": now + 2, "text": "hi", "input_channel": "rest"}),
        event("web:a", {"event": "slot", "timestamp": now + 3, "name": "handoff",
                        "value": {"language": "en", "requested_at": "t2"}}),
        event("web:a", {"event": "bot", "timestamp": now + 4, "text": "from staff",
                        "metadata": {"staff": {"name": "pg-editor"}}}),
    ]
    with engine.begin() as db:
        db.execute(insert(tracker_events), rows)
    inbox = TrackerStoreInbox(engine)
    assert [(h.conversation_id, h.channel) for h in inbox.handoffs()] == [("web:a", "web"), ("line:U1", "line")]
    assert inbox.set_status("line:U1", "claimed", "pg-editor")
    assert inbox.set_status("line:U1", "closed", "pg-editor")
    assert not inbox.set_status("web:nobody", "closed", "pg-editor")
    assert inbox.counts() == {"open": 1, "claimed": 0, "closed": 1}
    assert [(line.speaker, line.staff) for line in inbox.handoff("web:a").transcript] == [("user", ""), ("staff", "pg-editor")]
    with engine.begin() as db:  # a new request opens the conversation again
        db.execute(insert(tracker_events), [event("line:U1", {
            "event": "slot", "timestamp": now + 5, "name": "handoff", "value": {"language": "th"}})])
    assert inbox.counts() == {"open": 2, "claimed": 0, "closed": 0}


def test_review_decisions(engine) -> None:
    log = ReviewLog(engine)
    log.record(Decision("d1-s2-background", "ko", "reviewed", None, None, "pg-editor"))
    assert [d.passage_id for d in log.decisions("ko")] == ["d1-s2-background"]
