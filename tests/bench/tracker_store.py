"""Per-turn cost of the embedded tracker store next to Rasa's SQLTrackerStore.

    .venv-rasa/bin/python -m tests.bench.tracker_store     (part of `make bench`)

Each turn retrieves the conversation, adds a typical turn's events (user
message with parse data, slots, action, a bot reply with a citation payload)
and saves it: what the Rasa server does around every message. Both stores use
SQLite in WAL mode. Prints the median per turn for turns 1-25 and 26-50.
"""
from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path
from typing import List, Tuple

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.tracker_store import SQLiteTrackerStore

DOMAIN = Domain.load("bot/domain.yml")


def one_turn(index: int) -> List[Event]:
    ranking = [{"name": "ask_overseas_office", "confidence": 0.9}] * 10
    return [
        ActionExecuted("action_listen"),
        UserUttered(f"韓国に事務所はありますか {index}", {"name": "ask_overseas_office", "confidence": 0.9},
                    [{"entity": "place", "value": "korea", "start": 0, "end": 2}],
                    parse_data={"intent_ranking": ranking}),
        SlotSet("language", "ja"),
        SlotSet("place", "korea"),
        ActionExecuted("action_answer"),
        BotUttered("北海道・北東北三県ソウル事務所" * 10, {"custom": {"citation": {"source_ja": "原文" * 50}}}),
        SlotSet("topic", "ask_overseas_office"),
    ]


async def per_turn_ms(store: TrackerStore, turns: int = 50) -> Tuple[float, float]:
    tracker = DialogueStateTracker.from_events("bench", [SessionStarted()], DOMAIN.slots)
    await store.save(tracker)
    times = []
    for index in range(turns):
        started = time.perf_counter()
        tracker = await store.retrieve("bench")
        for event in one_turn(index):
            tracker.update(event)
        await store.save(tracker)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times[:25]), statistics.median(times[25:])


def rasa_store_in_wal_mode(db: Path) -> SQLTrackerStore:
    store = SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(db))

    def use_wal(connection, _record) -> None:
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    sa.event.listen(store.engine, "connect", use_wal)
    return store


def main() -> None:
    with tempfile.TemporaryDirectory() as workdir:
        stores = {
            "Rasa's SQLTrackerStore (SQLite, WAL)": rasa_store_in_wal_mode(Path(workdir, "rasa.db")),
            "bot.tracker_store.SQLiteTrackerStore": SQLiteTrackerStore(DOMAIN, db=str(Path(workdir, "ours.db"))),
        }
        print("| store | retrieve + save, turns 1-25 | turns 26-50 |\n|---|---|---|")
        for name, store in stores.items():
            early, late = asyncio.run(per_turn_ms(store))
            print(f"| {name} | {early:.1f} ms | {late:.1f} ms |")


if __name__ == "__main__":
    main()
