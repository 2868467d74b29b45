"""A local fake of the Slack Web API method ``chat.postMessage``, strict about the request format.

Served under ``<url>/api/`` (so ``SLACK_API_BASE=<url>/api/``) from a background thread. Like
Slack, it answers HTTP 200 with ``{"ok": false, "error": ...}`` for bad calls:

- ``not_authed`` without a token, ``invalid_auth`` for a token other than the bot token
  (the token may come as ``Authorization: Bearer`` or as a ``token`` form field);
- body as JSON (``application/json``) or as a form (``application/x-www-form-urlencoded``),
  ``invalid_json`` / ``invalid_form_data`` otherwise;
- ``channel_not_found`` without ``channel``; ``no_text`` without ``text``, ``blocks`` or
  ``attachments``; ``invalid_blocks`` when ``blocks`` is not a list of objects with a type;
- ``thread_ts`` must look like a Slack timestamp (``1700000000.000100``).

Accepted posts are recorded in :attr:`posts`; refused calls in :attr:`rejected`.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from typing import Any, Dict, List, Optional
from urllib.parse import parse_qs

from aiohttp import web

try:
    from .fake_line_api import ThreadedFakeServer
except ImportError:  # imported as a top-level module (tests/bot on sys.path)
    from fake_line_api import ThreadedFakeServer

SLACK_TS = re.compile(r"^\d{10}\.\d{6}$")


@dataclass
class Post:
    """One accepted chat.postMessage call."""

    args: Dict[str, Any]
    headers: Dict[str, str]
    ts: str

    @property
    def channel(self) -> str:
        return self.args["channel"]

    @property
    def thread_ts(self) -> Optional[str]:
        return self.args.get("thread_ts")

    @property
    def text(self) -> Optional[str]:
        return self.args.get("text")


class FakeSlackApi(ThreadedFakeServer):
    """The fake Slack Web API."""

    def __init__(self, bot_token: str = "xoxb-test-token") -> None:
        super().__init__()
        self.bot_token = bot_token
        self.posts: List[Post] = []
        self.rejected: List[Dict[str, Any]] = []
        self._counter = 0

    @property
    def api_base(self) -> str:
        """The value for ``SLACK_API_BASE`` / slack_sdk's ``base_url``."""
        return f"{self.url}/api/"

    def reset(self) -> None:
        with self._lock:
            self.posts.clear()
            self.rejected.clear()

    def wait_for_posts(self, count: int, timeout: float = 30.0) -> bool:
        return self.wait_for(lambda api: len(api.posts) >= count, timeout)

    def _app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/api/chat.postMessage", self._post_message)
        app.router.add_route("*", "/api/{method}", self._unknown_method)
        return app

    async def _unknown_method(self, request: web.Request) -> web.Response:
        return web.json_response({"ok": False, "error": "unknown_method"}, status=404)

    def _error(self, error: str, args: Any = None) -> web.Response:
        with self._lock:
            self.rejected.append({"error": error, "args": args})
        return web.json_response({"ok": False, "error": error})

    async def _read_args(self, request: web.Request) -> Any:
        raw = await request.read()
        if request.content_type == "application/json":
            try:
                args = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                return "invalid_json"
            return args if isinstance(args, dict) else "invalid_json"
        if request.content_type == "application/x-www-form-urlencoded":
            form = parse_qs(raw.decode("utf-8"), keep_blank_values=True)
            args = {key: values[-1] for key, values in form.items()}
            for key in ("blocks", "attachments"):
                if key in args:  # form posts carry these as JSON strings
                    try:
                        args[key] = json.loads(args[key])
                    except ValueError:
                        return f"invalid_{key}"
            return args
        return "invalid_form_data"

    async def _post_message(self, request: web.Request) -> web.Response:
        args = await self._read_args(request)
        if isinstance(args, str):
            return self._error(args)
        authorization = request.headers.get("Authorization", "")
        token = authorization[len("Bearer "):] if authorization.startswith("Bearer ") else None
        token = token or args.get("token")
        if not token:
            return self._error("not_authed", args)
        if token != self.bot_token:
            return self._error("invalid_auth", args)
        channel = args.get("channel")
        if not isinstance(channel, str) or not channel:
            return self._error("channel_not_found", args)
        blocks = args.get("blocks")
        if blocks is not None and (
            not isinstance(blocks, list)
            or not all(isinstance(b, dict) and b.get("type") for b in blocks)
        ):
            return self._error("invalid_blocks", args)
        if not (args.get("text") or blocks or args.get("attachments")):
            return self._error("no_text", args)
        thread_ts = args.get("thread_ts")
        if thread_ts is not None and not SLACK_TS.match(str(thread_ts)):
            return self._error("invalid_thread_ts", args)
        with self._lock:
            self._counter += 1
            ts = f"{int(time.time())}.{self._counter:06d}"
            self.posts.append(Post(args, dict(request.headers), ts))
        message = {"type": "message", "subtype": "bot_message", "text": args.get("text", ""),
                   "ts": ts, "bot_id": "B0FAKEBOT"}
        if thread_ts:
            message["thread_ts"] = thread_ts
        return web.json_response({"ok": True, "channel": channel, "ts": ts, "message": message})
