"""Server-issued conversation ids for the web widget and other REST clients.

A client cannot be trusted to choose its own conversation id: it could pick someone else's (a LINE
user's, another visitor's) and read or write that conversation. So the server issues one. A
session token is the conversation id ``web:<random id>`` followed by ``.`` and the base64url
HMAC-SHA256 of that id under ``$WEB_SESSION_SECRET``; nothing else is stored. Whoever holds the
token speaks in that conversation, and only there: a token for another id cannot be made without
the secret. Standard library only, so the launcher and the tests can use it too.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from typing import Optional

PREFIX = "web:"
MAX_TOKEN_LENGTH = 128


def _signature(conversation_id: str, secret: str) -> str:
    digest = hmac.new(secret.encode("utf-8"), conversation_id.encode("utf-8"), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()).decode("ascii").rstrip("=")


def issue_session(secret: str) -> str:
    """A new session token: a fresh conversation id with its signature."""
    if not secret:
        raise ValueError("A web session secret is required ($WEB_SESSION_SECRET).")
    conversation_id = PREFIX + secrets.token_hex(16)
    return f"{conversation_id}.{_signature(conversation_id, secret)}"


def verify_session(token: object, secret: str) -> Optional[str]:
    """The conversation id of a genuine token; None for anything else (never raises)."""
    if not secret or not isinstance(token, str) or len(token) > MAX_TOKEN_LENGTH:
        return None
    conversation_id, _, signature = token.rpartition(".")
    if not conversation_id.startswith(PREFIX) or not signature:
        return None
    expected = _signature(conversation_id, secret).encode("ascii")
    if not hmac.compare_digest(signature.encode("utf-8", "replace"), expected):
        return None
    return conversation_id
