"""The bounds every channel applies before Rasa sees a message: size, rate, origin.

One public message must not be able to stall or exhaust the server for everyone else, so sizes
are capped and each sender and client address gets a token bucket. The numbers live in
``limits.yml`` (or the file named by ``$CHANNEL_LIMITS_FILE``).
"""
from __future__ import annotations

import collections
import ipaddress
import os
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Optional, Sequence, Tuple, Union

import yaml

LIMITS_FILE = Path(__file__).with_name("limits.yml")
LIMITS_FILE_ENV = "CHANNEL_LIMITS_FILE"
TRUSTED_PROXIES_ENV = "TRUSTED_PROXIES"

Network = Union[ipaddress.IPv4Network, ipaddress.IPv6Network]


@dataclass(frozen=True)
class Bucket:
    burst: float
    per_second: float


@dataclass(frozen=True)
class Limits:
    message_max_characters: int
    request_max_bytes: int
    per_sender: Bucket
    per_address: Bucket
    max_tracked: int
    trusted_proxies: Tuple[Network, ...]


def _networks(values: Sequence[str]) -> Tuple[Network, ...]:
    return tuple(ipaddress.ip_network(v.strip(), strict=False) for v in values if v.strip())


@lru_cache(maxsize=1)
def load_limits() -> Limits:
    """The limits of this process: the YAML file, with $TRUSTED_PROXIES if set."""
    path = Path(os.environ.get(LIMITS_FILE_ENV) or LIMITS_FILE)
    data = yaml.safe_load(path.read_text("utf-8"))
    rates = data["rate_limits"]
    proxies = os.environ.get(TRUSTED_PROXIES_ENV)
    return Limits(
        message_max_characters=int(data["message_max_characters"]),
        request_max_bytes=int(data["request_max_bytes"]),
        per_sender=Bucket(**rates["per_sender"]),
        per_address=Bucket(**rates["per_address"]),
        max_tracked=int(rates["max_tracked"]),
        trusted_proxies=_networks(
            proxies.split(",") if proxies is not None else data.get("trusted_proxies") or []
        ),
    )


class RateLimiter:
    """Token buckets per key, in memory, for at most ``max_keys`` keys (least recent forgotten).

    Each Rasa replica keeps its own buckets; the reverse proxy limits the sum.
    """

    def __init__(
        self, bucket: Bucket, max_keys: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.bucket = bucket
        self.max_keys = max_keys
        self._clock = clock
        self._state: "collections.OrderedDict[str, Tuple[float, float]]" = (
            collections.OrderedDict()
        )

    def retry_after(self, key: str) -> float:
        """Take one token for ``key``: 0 if allowed, else the seconds until one is available."""
        now = self._clock()
        tokens, last = self._state.pop(key, (self.bucket.burst, now))
        tokens = min(self.bucket.burst, tokens + (now - last) * self.bucket.per_second)
        wait = 0.0
        if tokens >= 1:
            tokens -= 1
        else:
            wait = (1 - tokens) / self.bucket.per_second
        self._state[key] = (tokens, now)
        while len(self._state) > self.max_keys:
            self._state.popitem(last=False)
        return wait


def client_address(peer: Optional[str], forwarded_for: Optional[str],
                   trusted: Sequence[Network]) -> str:
    """The client's address: the peer, unless the peer is a trusted proxy.

    Behind trusted proxies the client is the right-most X-Forwarded-For entry that is not itself a
    trusted proxy (entries further left were written by the client and prove nothing).
    """
    chain = [peer or ""]
    if forwarded_for:
        chain = [part.strip() for part in forwarded_for.split(",")] + chain
    for address in reversed(chain):
        if not _is_trusted(address, trusted):
            return address
    return chain[0]


def _is_trusted(address: str, trusted: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in trusted)
