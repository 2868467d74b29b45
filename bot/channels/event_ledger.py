"""Which webhook events are being handled or done, so each is answered at least once and,
as far as possible, only once.

LINE (and Slack) deliver an event again when they are unsure it arrived. An event is *claimed*
when its handling starts, marked *done* only once its reply went out, and *released* when
handling failed, so a redelivery is handled again instead of being dropped as a duplicate.

Without Redis the ledger lives in this process. With ``$REDIS_HOST`` set (the production shape)
it lives in Redis and is shared by every Rasa replica: a redelivery that reaches another replica
is still recognised. A claim expires after ``claim_seconds``, so an event whose replica died
mid-way can be handled again; if Redis itself fails, events are handled anyway (at least once
wins over at most once).
"""
from __future__ import annotations

import collections
import logging
import os
from typing import Mapping, Optional, Text

logger = logging.getLogger(__name__)

CLAIMED, DONE = "claimed", "done"


class RecentIds:
    """A bounded set of recently seen ids, oldest evicted first (an LRU without values)."""

    def __init__(self, max_size: int = 10_000) -> None:
        self.max_size = max_size
        self._ids: "collections.OrderedDict[Text, None]" = collections.OrderedDict()

    def __contains__(self, item: object) -> bool:
        return item in self._ids

    def __len__(self) -> int:
        return len(self._ids)

    def add(self, item: Text) -> None:
        self._ids[item] = None
        self._ids.move_to_end(item)
        while len(self._ids) > self.max_size:
            self._ids.popitem(last=False)


class EventLedger:
    """In-process ledger: bounded memory of done events, plus the ones in progress."""

    def __init__(self, max_size: int = 10_000) -> None:
        self._done = RecentIds(max_size)
        self._claimed: set = set()

    async def claim(self, event_id: Text) -> bool:
        """True if the caller should handle the event (nobody has, nobody is)."""
        if event_id in self._done or event_id in self._claimed:
            return False
        self._claimed.add(event_id)
        return True

    async def done(self, event_id: Text) -> None:
        self._claimed.discard(event_id)
        self._done.add(event_id)

    async def release(self, event_id: Text) -> None:
        self._claimed.discard(event_id)


class RedisEventLedger(EventLedger):
    """The same ledger in Redis (``SET NX`` with expiry), shared by all replicas."""

    def __init__(self, client: "object", prefix: Text, claim_seconds: int = 600,
                 done_seconds: int = 86_400) -> None:
        super().__init__()
        self.client = client
        self.prefix = prefix
        self.claim_seconds = claim_seconds
        self.done_seconds = done_seconds

    async def claim(self, event_id: Text) -> bool:
        try:
            return bool(await self.client.set(
                self.prefix + event_id, CLAIMED, nx=True, ex=self.claim_seconds))
        except Exception as error:  # noqa: BLE001 - Redis down: handle rather than lose
            logger.error("Event ledger (Redis) unavailable, handling %s anyway: %r",
                         event_id, error)
            return True

    async def done(self, event_id: Text) -> None:
        try:
            await self.client.set(self.prefix + event_id, DONE, ex=self.done_seconds)
        except Exception as error:  # noqa: BLE001
            logger.error("Event ledger (Redis): could not mark %s done: %r", event_id, error)

    async def release(self, event_id: Text) -> None:
        try:
            await self.client.delete(self.prefix + event_id)
        except Exception as error:  # noqa: BLE001
            logger.error("Event ledger (Redis): could not release %s: %r", event_id, error)


def ledger_from_env(channel: Text, env: Optional[Mapping[str, str]] = None) -> EventLedger:
    """A Redis ledger when $REDIS_HOST is set (database 2, beside Rasa's lock store), else
    an in-process one."""
    env = os.environ if env is None else env
    if not env.get("REDIS_HOST"):
        return EventLedger()
    import redis.asyncio

    client = redis.asyncio.Redis(
        host=env["REDIS_HOST"], port=int(env.get("REDIS_PORT") or 6379),
        password=env.get("REDIS_PASSWORD") or None, db=2,
        socket_timeout=5, socket_connect_timeout=5,
    )
    return RedisEventLedger(client, prefix=f"hokkaido:{channel}:event:")
