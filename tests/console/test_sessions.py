"""Sign-in limits and CSRF tokens (console/sessions.py)."""
from __future__ import annotations

import time

from console.sessions import LoginLimiter, csrf_valid, new_session


def test_the_limit_counts_failures_per_key_until_they_age() -> None:
    limiter = LoginLimiter({"user": 2, "address": 3}, window=0.5)
    limiter.failed("user:a", "address:1")
    assert not limiter.blocked("user:a", "address:1")
    limiter.failed("user:a", "address:1")
    assert limiter.blocked("user:a", "address:1")
    assert not limiter.blocked("user:b", "address:2")
    limiter.failed("user:b", "address:1")
    assert limiter.blocked("user:c", "address:1"), "three failures from one address"
    time.sleep(0.6)
    assert not limiter.blocked("user:a", "address:1")


def test_success_clears_only_the_user() -> None:
    limiter = LoginLimiter({"user": 1, "address": 2}, window=60)
    limiter.failed("user:a", "address:1")
    limiter.succeeded("user:a")
    assert not limiter.blocked("user:a")
    limiter.failed("user:b", "address:1")
    assert limiter.blocked("address:1")


def test_csrf_token_must_match_the_session() -> None:
    session = new_session()
    assert csrf_valid(session, session["csrf"])
    assert not csrf_valid(session, "")
    assert not csrf_valid(session, None)
    assert not csrf_valid(session, new_session()["csrf"])
    assert not csrf_valid({}, "")
