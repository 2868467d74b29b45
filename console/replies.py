"""Staff replies and their outbox: nothing a staff member writes is lost silently.

A reply is written to the outbox first, then handed to the Rasa server, which sends it through
the user's channel and records it in the conversation (bot/channels/staff.py). The outbox row
keeps the outcome: `sent`, or `failed` with the reason, shown on the conversation page with a
button to try again. The row's id is the delivery id, so a retry after a lost answer is not
sent twice.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import List, Optional

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Engine, Row

from console.database import now, outbox
from console.staff_api import StaffApi, StaffApiError


@dataclass(frozen=True)
class Delivery:
    id: str
    conversation_id: str
    text: str
    staff: str
    status: str
    channel: Optional[str]
    error: Optional[str]
    attempts: int


def _delivery(row: Row) -> Delivery:
    return Delivery(row.id, row.conversation_id, row.text, row.staff, row.status, row.channel,
                    row.error, row.attempts)


class Outbox:
    def __init__(self, engine: Engine, api: StaffApi) -> None:
        self.engine = engine
        self.api = api

    def send(self, conversation_id: str, text: str, staff: str) -> Delivery:
        delivery_id = uuid.uuid4().hex
        with self.engine.begin() as db:
            db.execute(insert(outbox).values(
                id=delivery_id, conversation_id=conversation_id, text=text, staff=staff,
                status="pending", attempts=0, created_at=now(), updated_at=now()))
        return self.retry(delivery_id)

    def retry(self, delivery_id: str) -> Delivery:
        delivery = self.get(delivery_id)
        if delivery is None or delivery.status == "sent":
            raise LookupError(delivery_id)
        values = {"attempts": delivery.attempts + 1, "updated_at": now()}
        try:
            result = self.api.deliver(delivery.conversation_id, delivery.text, delivery.staff,
                                      delivery.id)
            values.update(status="sent", channel=result.get("channel"), error=None)
        except StaffApiError as error:
            values.update(status="failed", error=str(error))
        with self.engine.begin() as db:
            db.execute(update(outbox).where(outbox.c.id == delivery_id).values(**values))
        return self.get(delivery_id) or delivery

    def get(self, delivery_id: str) -> Optional[Delivery]:
        with self.engine.connect() as db:
            row = db.execute(select(outbox).where(outbox.c.id == delivery_id)).first()
        return _delivery(row) if row else None

    def unsent(self, conversation_id: Optional[str] = None) -> List[Delivery]:
        """Failed or interrupted deliveries, oldest first."""
        query = select(outbox).where(outbox.c.status != "sent").order_by(outbox.c.created_at)
        if conversation_id is not None:
            query = query.where(outbox.c.conversation_id == conversation_id)
        with self.engine.connect() as db:
            return [_delivery(row) for row in db.execute(query)]
