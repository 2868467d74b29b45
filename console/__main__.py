"""Serve the console: `python -m console` (address and port from console.yml, or
--host/--port). Behind a reverse proxy, uvicorn takes the client address and the scheme from
X-Forwarded-For/-Proto sent by the addresses in $FORWARDED_ALLOW_IPS (default: loopback)."""
from __future__ import annotations

import argparse
import logging
import sys

import uvicorn

from console.app import create_app, warm_up
from console.settings import SettingsError, options


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=options()["host"])
    parser.add_argument("--port", type=int, default=options()["port"])
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)
    try:
        app = create_app()
    except SettingsError as error:
        sys.exit(str(error))
    warm_up()
    uvicorn.run(app, host=args.host, port=args.port, proxy_headers=True,
                server_header=False, log_level="warning")


if __name__ == "__main__":
    main()
