"""The embedded default tracker store: Rasa's SQLTrackerStore on SQLite, in
write-ahead-log mode.

With SQLite's default rollback journal every turn waits for a full fsync of
the database (about 7 ms of a 25 ms round trip here). In WAL mode with
`synchronous=NORMAL` a commit survives an application crash; only a power
failure can lose the last turns. docker-compose uses PostgreSQL instead.
"""
from __future__ import annotations

from typing import Any, Optional, Text

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain


class SQLiteTrackerStore(SQLTrackerStore):
    """`type: bot.tracker_store.SQLiteTrackerStore`, `db: <path>` in endpoints.yml."""

    def __init__(self, domain: Optional[Domain] = None, db: Text = "rasa.db", **kwargs: Any) -> None:
        super().__init__(domain=domain, dialect="sqlite", db=db, **kwargs)
        # SQLAlchemy opens a new SQLite connection per session: set the pragmas on each.
        sa.event.listen(self.engine, "connect", _use_wal)


def _use_wal(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
