"""The handoff inbox: conversations in which a user asked for a person.

`HandoffInbox` is the whole interface the web pages use, so a helpdesk connector (Chatwoot,
Zendesk) can replace or join `TrackerStoreInbox` later. This one reads the tracker store's
`events` table, where actions/handoff.py records each request as a `handoff` slot event (with
summaries in Japanese and in the user's language), and keeps the status in the console's own
table. A request newer than the recorded status opens the conversation again.

The channel comes from the user messages' `input_channel` (the id alone is not trusted to say
it), and staff replies are the bot messages whose metadata carries `staff`.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Dict, List, Optional, Protocol, Tuple

from sqlalchemy import and_, func, insert, inspect, select, update
from sqlalchemy.engine import Engine

from console.database import handoff_status, now, tracker_events

STATUSES = ("open", "claimed", "closed")
CHANNEL_NAMES = {"line": "line", "slack": "slack"}
"""input_channel -> the channel shown; every other channel is the web widget (REST, socket.io)."""


@dataclass(frozen=True)
class Line:
    """One line of a transcript."""

    speaker: str  # user | bot | staff
    text: str
    timestamp: float
    staff: str = ""


@dataclass
class Handoff:
    conversation_id: str
    event_id: int
    record: Dict[str, Any]
    channel: str
    status: str = "open"
    changed_by: str = ""
    changed_at: Optional[datetime] = None
    transcript: List[Line] = field(default_factory=list)

    @property
    def language(self) -> str:
        return str(self.record.get("language") or "")

    @property
    def requested_at(self) -> str:
        return str(self.record.get("requested_at") or "")

    @property
    def summary_ja(self) -> str:
        return str(self.record.get("summary_ja") or "")

    @property
    def summary_user_language(self) -> str:
        return str(self.record.get("summary_user_language") or "")


class HandoffInbox(Protocol):
    def handoffs(self, status: Optional[str] = None, limit: int = 100) -> List[Handoff]:
        """Conversations with a handoff request, newest request first."""

    def counts(self) -> Dict[str, int]:
        """Number of conversations per status."""

    def handoff(self, conversation_id: str) -> Optional[Handoff]:
        """One conversation, with its transcript, or None."""

    def set_status(self, conversation_id: str, status: str, staff: str) -> bool:
        """Record who changed the status; False for an unknown conversation."""


def channel_of(input_channel: Optional[str]) -> str:
    return CHANNEL_NAMES.get(input_channel or "", "web")


def transcript_line(data: Dict[str, Any]) -> Optional[Line]:
    kind, text = data.get("event"), data.get("text")
    if kind not in ("user", "bot") or not text:
        return None
    staff = (data.get("metadata") or {}).get("staff") if kind == "bot" else None
    return Line("staff" if staff else kind, text, float(data.get("timestamp") or 0),
                staff.get("name", "") if isinstance(staff, dict) else "")


class TrackerStoreInbox:
    """The inbox over the tracker store's `events` table (SQLite or PostgreSQL)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def _latest_requests(self, conversation_id: Optional[str] = None) -> List[Tuple[str, int, str]]:
        """(conversation, event id, slot event JSON) of each conversation's latest request."""
        if not inspect(self.engine).has_table("events"):
            return []  # the Rasa server has not written any conversation yet
        e = tracker_events.c
        is_request = and_(e.type_name == "slot", e.action_name == "handoff")
        latest = select(e.sender_id, func.max(e.id).label("id")).where(is_request)
        if conversation_id is not None:
            latest = latest.where(e.sender_id == conversation_id)
        latest = latest.group_by(e.sender_id).subquery()
        query = (select(e.sender_id, e.id, e.data)
                 .join(latest, and_(e.id == latest.c.id))
                 .order_by(e.id.desc()))
        with self.engine.connect() as db:
            return [tuple(row) for row in db.execute(query)]

    def _statuses(self, conversation_ids: List[str]) -> Dict[str, Any]:
        if not conversation_ids:
            return {}
        query = select(handoff_status).where(handoff_status.c.conversation_id.in_(conversation_ids))
        with self.engine.connect() as db:
            return {row.conversation_id: row for row in db.execute(query)}

    def _channels(self, conversation_ids: List[str]) -> Dict[str, str]:
        e = tracker_events.c
        query = (select(e.sender_id, e.data).where(e.type_name == "user")
                 .where(e.sender_id.in_(conversation_ids)).order_by(e.id))
        channels: Dict[str, str] = {}
        with self.engine.connect() as db:
            for sender_id, data in db.execute(query):
                channels[sender_id] = channel_of(json.loads(data).get("input_channel"))
        return channels

    def _handoffs(self, conversation_id: Optional[str] = None) -> List[Handoff]:
        requests = self._latest_requests(conversation_id)
        ids = [sender for sender, _, _ in requests]
        statuses, channels = self._statuses(ids), self._channels(ids)
        handoffs = []
        for sender, event_id, data in requests:
            record = json.loads(data).get("value")
            handoff = Handoff(sender, event_id, record if isinstance(record, dict) else {},
                              channels.get(sender, "web"))
            status = statuses.get(sender)
            if status is not None and status.handoff_event_id == event_id:
                handoff.status = status.status
                handoff.changed_by, handoff.changed_at = status.changed_by, status.changed_at
            handoffs.append(handoff)
        return handoffs

    def handoffs(self, status: Optional[str] = None, limit: int = 100) -> List[Handoff]:
        return [h for h in self._handoffs() if status in (None, h.status)][:limit]

    def counts(self) -> Dict[str, int]:
        counts = dict.fromkeys(STATUSES, 0)
        for handoff in self._handoffs():
            counts[handoff.status] += 1
        return counts

    def handoff(self, conversation_id: str) -> Optional[Handoff]:
        found = self._handoffs(conversation_id)
        if not found:
            return None
        handoff = found[0]
        e = tracker_events.c
        query = select(e.data).where(e.sender_id == conversation_id).order_by(e.id)
        with self.engine.connect() as db:
            lines = (transcript_line(json.loads(data)) for (data,) in db.execute(query))
            handoff.transcript = [line for line in lines if line is not None]
        return handoff

    def set_status(self, conversation_id: str, status: str, staff: str) -> bool:
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        requests = self._latest_requests(conversation_id)
        if not requests:
            return False
        values = {"handoff_event_id": requests[0][1], "status": status, "changed_by": staff,
                  "changed_at": now()}
        with self.engine.begin() as db:
            changed = db.execute(update(handoff_status)
                                 .where(handoff_status.c.conversation_id == conversation_id)
                                 .values(**values)).rowcount
            if not changed:
                db.execute(insert(handoff_status).values(conversation_id=conversation_id, **values))
        return True
