"""Delete conversations older than the retention period, now.

    python -m bot.retention [--endpoints bot/endpoints.yml] [--days N]
    make retention                      # the `make run` database

The Rasa server does the same when it starts and then daily; this command
is for cron or for a shorter period once. It reads the tracker store from
the endpoints file, so it needs the same environment as the server
(TRACKER_DB for SQLite; POSTGRES_* with endpoints.production.yml).
"""
from __future__ import annotations

import argparse
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoints", type=Path, default=ROOT / "bot" / "endpoints.yml")
    parser.add_argument("--days", type=int, help="instead of RETENTION_DAYS / bot/privacy.yml")
    args = parser.parse_args()
    # The endpoints file also names the action server, which is not needed here.
    os.environ.setdefault("ACTION_ENDPOINT_URL", "http://127.0.0.1:5055/webhook")

    from rasa.core.tracker_store import TrackerStore
    from rasa.utils.endpoints import read_endpoint_config

    config = read_endpoint_config(str(args.endpoints), "tracker_store")
    if config is None:
        parser.error(f"{args.endpoints} has no tracker_store section.")
    config.kwargs["delete_expired_at_start"] = False
    if args.days is not None:
        config.kwargs["retention_days"] = args.days
    store = TrackerStore.create(config)
    if not hasattr(store, "delete_expired"):
        parser.error(f"{type(store).__name__} does not apply retention; use this project's stores.")
    deleted = store.delete_expired()
    print(f"Deleted {deleted} events older than {store.retention_days} days.")


if __name__ == "__main__":
    main()
