"""The console's own tables, in the same database as the conversations.

SQLAlchemy Core, so one set of statements serves the SQLite file of `make run` and PostgreSQL in
production. The tracker store's `events` table is only read (console/inbox.py); the console
creates its own tables, all prefixed `console_`, and nothing else.
"""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    Column, DateTime, Float, Integer, MetaData, String, Table, Text, create_engine,
)
from sqlalchemy.engine import Engine

metadata = MetaData()

users = Table(
    "console_users", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("password_hash", String(255), nullable=False),
    Column("role", String(20), nullable=False),  # staff | editor
    Column("created_at", DateTime(timezone=True), nullable=False),
)

handoff_status = Table(
    "console_handoff_status", metadata,
    Column("conversation_id", String(255), primary_key=True),
    Column("handoff_event_id", Integer, nullable=False),  # the request the status is about
    Column("status", String(20), nullable=False),  # open | claimed | closed
    Column("changed_by", String(100), nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False),
)

outbox = Table(
    "console_outbox", metadata,
    Column("id", String(64), primary_key=True),  # also the delivery id sent to Rasa
    Column("conversation_id", String(255), nullable=False, index=True),
    Column("text", Text, nullable=False),
    Column("staff", String(100), nullable=False),
    Column("status", String(20), nullable=False),  # pending | sent | failed
    Column("channel", String(20)),
    Column("error", Text),
    Column("attempts", Integer, nullable=False, default=0),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

reviews = Table(
    "console_reviews", metadata,
    Column("id", Integer, primary_key=True),
    Column("passage_id", String(100), nullable=False),
    Column("language", String(20), nullable=False),
    Column("decision", String(20), nullable=False),  # reviewed | corrected
    Column("title", Text),
    Column("text", Text),
    Column("editor", String(100), nullable=False),
    Column("decided_at", DateTime(timezone=True), nullable=False),
)

# The tracker store's table (bot/tracker_store.py, Rasa's SQLTrackerStore): read only.
tracker_events = Table(
    "events", MetaData(),
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255)),
    Column("type_name", String(255)),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)


def now() -> datetime:
    return datetime.now(timezone.utc)


def connect(url: str) -> Engine:
    """An engine for `url`, with the console's tables created if missing."""
    is_sqlite = url.startswith("sqlite")
    # The Rasa process writes the same SQLite file: wait for its lock instead of failing.
    engine = create_engine(url, connect_args={"timeout": 15} if is_sqlite else {},
                           pool_pre_ping=not is_sqlite)
    metadata.create_all(engine)
    return engine
