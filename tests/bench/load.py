"""`make bench-load`: load and soak, next to a stock `rasa init` bot in the same run.

Load: 32 concurrent senders, messages in all six languages, at least 5,000 messages to each
bot; reports errors, p50/p95 and throughput. Soak: 20,000 messages to this assistant; reports
the resident memory (Rasa + action service) after warm-up and at the end.

Traffic goes to loopback only. Each virtual user sends from its own loopback address
(127.0.0.2, 127.0.0.3, ...) and starts a new conversation every 25 turns, as real visitors do,
so the default per-address and per-sender rate limits (bot/channels/limits.yml) stay on and are
measured, not switched off. Not part of `make test`.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import http.client
import json
import os
import statistics
import tempfile
import threading
import time
from typing import Dict, List, Tuple

import yaml

from bot.launcher import MODEL, QUIET_ENV, RASA_BIN, ROOT, Stack, start_stack
from tests.bench.report import update_section
from tests.bench.round_trip import (
    OUR_MESSAGES, STOCK_MESSAGES, TURNS_PER_CONVERSATION, percentile, rss_mb, start_stock, timed,
)

SENDERS = 32
APOLOGIES = set(yaml.safe_load(
    (ROOT / "bot" / "channels" / "reply_guard.yml").read_text("utf-8"))["service_unavailable"].values())


class Client:
    """One virtual user: its own loopback source address and keep-alive connection."""

    def __init__(self, url: str, index: int) -> None:
        host, port = url.rsplit("/", 1)[1].split(":")
        self.source = f"127.0.0.{index + 2}"
        self.connection = http.client.HTTPConnection(host, int(port), timeout=60,
                                                     source_address=(self.source, 0))

    def post(self, path: str, body: dict) -> Tuple[int, object]:
        self.connection.request("POST", path, body=json.dumps(body).encode("utf-8"),
                                headers={"Content-Type": "application/json"})
        response = self.connection.getresponse()
        data = response.read()
        return response.status, json.loads(data) if data else None


def run_load(url: str, total: int, messages: List[str], sessions: bool) -> Dict[str, float]:
    """`total` messages from SENDERS concurrent users; latency, errors, throughput."""
    latencies: List[float] = []
    errors: List[str] = []
    lock = threading.Lock()
    per_user = total // SENDERS

    def user(index: int) -> None:
        client = Client(url, index)
        sender = ""
        for turn in range(per_user):
            if turn % TURNS_PER_CONVERSATION == 0:
                if sessions:
                    status, answer = client.post("/webhooks/rest/session", {})
                    sender = answer["session"] if status == 200 else ""
                else:
                    sender = f"load-{index}-{turn}"
            text = messages[(index * 7 + turn) % len(messages)]
            started = time.perf_counter()
            try:
                status, replies = client.post("/webhooks/rest/webhook",
                                              {"sender": sender, "message": text})
                problem = None if status == 200 else f"HTTP {status}"
                if problem is None and not replies:
                    problem = "no reply"
                if problem is None and any(r.get("text") in APOLOGIES for r in replies):
                    problem = "apology"
            except (OSError, http.client.HTTPException, ValueError) as error:
                problem = repr(error)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                if problem:
                    errors.append(problem)

    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(SENDERS) as pool:
        list(pool.map(user, range(SENDERS)))
    seconds = time.perf_counter() - started
    return {"messages": len(latencies), "errors": len(errors), "p50_ms": statistics.median(latencies),
            "p95_ms": percentile(latencies, 0.95), "per_second": len(latencies) / seconds,
            "first_error": errors[0] if errors else ""}


def soak(stack: Stack, total: int) -> Dict[str, float]:
    pids = [p.pid for p in stack.processes if p.poll() is None]
    warm = run_load(stack.rasa_url, 2000, OUR_MESSAGES, sessions=True)
    after_warm_up = rss_mb(pids)
    result = run_load(stack.rasa_url, total, OUR_MESSAGES, sessions=True)
    end = rss_mb(pids)
    return {"messages": result["messages"], "errors": result["errors"] + warm["errors"],
            "rss_warm_mb": after_warm_up, "rss_end_mb": end,
            "growth_pct": 100 * (end - after_warm_up) / after_warm_up}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=5120)
    parser.add_argument("--soak-messages", type=int, default=20000)
    args = parser.parse_args()
    if not MODEL.exists():
        raise SystemExit("Run `make model` first.")
    env = {**os.environ, **QUIET_ENV, "RASA_CACHE_DIRECTORY": tempfile.mkdtemp(prefix="load-cache-")}
    stack = start_stack()
    try:
        with tempfile.TemporaryDirectory() as project:
            timed([str(RASA_BIN), "init", "--no-prompt", "--init-dir", project], ROOT, env)
            stock, stock_url = start_stock(project, env)
            try:
                run_load(stock_url, 320, STOCK_MESSAGES, sessions=False)  # warm-up
                stock_result = run_load(stock_url, args.messages, STOCK_MESSAGES, sessions=False)
            finally:
                stock.terminate()
                stock.wait(timeout=30)
        run_load(stack.rasa_url, 320, OUR_MESSAGES, sessions=True)  # warm-up
        ours = run_load(stack.rasa_url, args.messages, OUR_MESSAGES, sessions=True)
        soaked = soak(stack, args.soak_messages)
    finally:
        stack.stop()
    text = report(ours, stock_result, soaked)
    print(text)
    update_section("load", text)


def report(ours: Dict[str, float], stock: Dict[str, float], soaked: Dict[str, float]) -> str:
    def row(name: str, r: Dict[str, float]) -> str:
        return (f"| {name} | {r['messages']:.0f} | {r['errors']:.0f} | {r['p50_ms']:.0f} ms | "
                f"{r['p95_ms']:.0f} ms | {r['per_second']:.1f} msg/s |")

    return (
        "## Load and soak (`make bench-load`)\n\n"
        f"{time.strftime('%Y-%m-%d')}, 2 cores, {SENDERS} concurrent senders, six languages.\n\n"
        "| bot | messages | errors | p50 | p95 | throughput |\n|---|---|---|---|---|---|\n"
        + row("this assistant", ours) + "\n" + row("stock `rasa init` bot", stock) + "\n\n"
        f"Throughput ratio: {ours['per_second'] / stock['per_second']:.2f}x the stock bot.\n\n"
        f"Soak: {soaked['messages']:.0f} messages, {soaked['errors']:.0f} errors; resident memory "
        f"{soaked['rss_warm_mb']:.0f} MB after warm-up, {soaked['rss_end_mb']:.0f} MB at the end "
        f"({soaked['growth_pct']:+.1f} %)."
    )


if __name__ == "__main__":
    main()
