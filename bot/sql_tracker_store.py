"""The production tracker store (PostgreSQL, bot/endpoints.production.yml):
Rasa's SQLTrackerStore with the privacy rules of the SQLite store.

Events are masked before they are written, expired conversations are deleted
at start and daily, and "forget me" deletes the conversation (bot/privacy.py).
Reading is Rasa's own code, unchanged.
"""
from __future__ import annotations

import logging
from typing import Any, Optional

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from bot import privacy

logger = logging.getLogger(__name__)


class RedactingSQLTrackerStore(SQLTrackerStore):
    """`type: bot.sql_tracker_store.RedactingSQLTrackerStore` with the keys of
    Rasa's `type: SQL` (dialect, url, port, db, username, password); optional
    `retention_days`."""

    def __init__(
        self,
        domain: Optional[Domain] = None,
        retention_days: Optional[int] = None,
        delete_expired_at_start: bool = True,
        **kwargs: Any,
    ) -> None:
        self.retention_days = privacy.retention_days(retention_days)
        super().__init__(domain, **kwargs)
        self._retention_clock = privacy.RetentionClock()
        if delete_expired_at_start:
            self.delete_expired()

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Rasa's save with masked rows, or the conversation's deletion."""
        await self.stream_events(tracker)
        with self.session_scope() as session:
            new_events = list(self._additional_events(session, tracker))
            if privacy.asks_to_forget(new_events):
                session.execute(sa.text(privacy.FORGET_STATEMENT), {"sender": tracker.sender_id})
            else:
                language = privacy.conversation_language(tracker)
                for type_name, timestamp, intent, action, data in privacy.stored_rows(
                    new_events, language
                ):
                    session.add(self.SQLEvent(
                        sender_id=tracker.sender_id, type_name=type_name, timestamp=timestamp,
                        intent_name=intent, action_name=action, data=data,
                    ))
            session.commit()
        if self._retention_clock.due():
            self.delete_expired()

    def delete_expired(self) -> int:
        """Delete what is older than the retention period; return the number of events."""
        cutoff = privacy.expiry_cutoff(self.retention_days)
        with self.session_scope() as session:
            deleted = sum(
                session.execute(sa.text(statement), {"cutoff": cutoff}).rowcount
                for statement in privacy.EXPIRED_STATEMENTS
            )
            session.commit()
        logger.info(f"Retention: deleted {deleted} events older than {self.retention_days} days.")
        return deleted
