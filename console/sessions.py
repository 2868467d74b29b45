"""Signed session cookies with a CSRF token, and the sign-in rate limit.

The whole session is a small signed cookie (itsdangerous): the user's id, a random CSRF token and
the interface language. Nothing is stored on the server, and a forged or expired cookie is
simply a new anonymous session. The cookie is HttpOnly, SameSite=Lax and Secure when the console
is reached over HTTPS (behind the proxy, uvicorn reads the scheme from X-Forwarded-Proto). Lax:
no request another site makes (a form post, a script, a frame) carries it, but a link from a
chat or a mail to the console does, which Strict would turn into a sign-out. The cookie is only
written when the session changed, so a request that came without it never replaces it.

Every form carries the session's CSRF token and every POST is checked against it, the sign-in
form included: an anonymous session has a token too.
"""
from __future__ import annotations

import collections
import hmac
import secrets
import threading
import time
from typing import Any, Deque, Dict, MutableMapping

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

COOKIE = "console_session"
MAX_TRACKED_KEYS = 100_000


def new_session() -> Dict[str, Any]:
    return {"csrf": secrets.token_urlsafe(32)}


class SessionMiddleware:
    """Puts the session (a dict) in `scope["session"]`; writes the cookie back when it changed."""

    def __init__(self, app: ASGIApp, secret_key: str, max_age: int) -> None:
        self.app = app
        self.max_age = max_age
        self.serializer = URLSafeTimedSerializer(secret_key, salt="console-session")

    def load(self, cookie: str) -> Dict[str, Any]:
        try:
            session = self.serializer.loads(cookie, max_age=self.max_age)
        except BadSignature:  # also expired
            return new_session()
        return session if isinstance(session, dict) and session.get("csrf") else new_session()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        connection = HTTPConnection(scope)
        cookie = connection.cookies.get(COOKIE)
        session = self.load(cookie) if cookie else new_session()
        original = dict(session)
        scope["session"] = session

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and scope["session"] != original:
                secure = "; Secure" if connection.url.scheme == "https" else ""
                value = self.serializer.dumps(scope["session"])
                MutableHeaders(scope=message).append(
                    "Set-Cookie",
                    f"{COOKIE}={value}; Path=/; Max-Age={self.max_age}; HttpOnly; "
                    f"SameSite=Lax{secure}",
                )
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def csrf_valid(session: MutableMapping[str, Any], submitted: Any) -> bool:
    expected = session.get("csrf")
    return isinstance(submitted, str) and bool(expected) and hmac.compare_digest(
        submitted.encode(), str(expected).encode())


class LoginLimiter:
    """At most `limits[kind]` failed sign-ins per key in `window` seconds. A key is
    "<kind>:<value>" (`user:tanaka`, `address:192.0.2.1`)."""

    def __init__(self, limits: Dict[str, int], window: float) -> None:
        self.limits = limits
        self.window = window
        self._failures: Dict[str, Deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> Deque[float]:
        failures = self._failures.get(key, collections.deque())
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        return failures

    def blocked(self, *keys: str) -> bool:
        with self._lock:
            now = time.monotonic()
            return any(len(self._recent(key, now)) >= self.limits[key.split(":", 1)[0]]
                       for key in keys)

    def failed(self, *keys: str) -> None:
        with self._lock:
            now = time.monotonic()
            if len(self._failures) >= MAX_TRACKED_KEYS:  # bounded memory under a flood
                for stale in [k for k in self._failures if not self._recent(k, now)]:
                    del self._failures[stale]
            for key in keys:
                failures = self._recent(key, now)
                failures.append(now)
                self._failures[key] = failures

    def succeeded(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)
