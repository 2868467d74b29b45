"""`make bench`: this assistant next to a stock `rasa init` bot, same run, same machine.

For each bot: training time (cold: empty training cache), time from process
start to ready, REST round-trip p50/p95 over sequential messages (both bots
run at once and the messages alternate between them, so machine noise falls
on both alike), and resident memory (Rasa server, plus the action service
for this assistant).
Our round trip is the full one: NLU, policies, the action service and, for
questions outside the structured facts, hybrid retrieval. Prints a table and
rewrites the round-trip section of docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

from bot.launcher import (
    MODEL, QUIET_ENV, RASA_BIN, ROOT, Stack, free_port, start_stack, wait_until,
)
from tests.bench.report import update_section

# Questions of every kind in all six languages: facts, follow-ups, passages,
# small talk, out of scope. Cycled to reach the message count (25 per
# conversation, so follow-ups stay follow-ups).
OUR_MESSAGES = [
    "こんにちは", "韓国に道の事務所はありますか？", "何語で発信していますか？", "中国からの定期便は何路線？",
    "韓国は？", "HACCPの講習会について教えて", "明日の札幌の天気は？",
    "Hello", "Does Hokkaido have an office in Singapore?", "What language does it publish in?",
    "How many flights from China?", "And Korea?", "Tell me about the top sales mission to Vietnam",
    "你好", "北海道的姐妹友好地区有哪些？", "外国人咨询中心支持几种语言？",
    "안녕하세요", "한국 인구는 얼마예요?", "수출 심볼 마크는 어디에 등록돼 있나요?",
    "สวัสดีครับ", "สำนักงานอาเซียนเปิดเมื่อไหร่", "ขอคุยกับเจ้าหน้าที่",
    "Здравствуйте", "Сколько туристов приезжает из Тайваня?", "Есть ли офис на Сахалине?",
]
STOCK_MESSAGES = ["hello", "I am sad", "no", "great", "are you a bot?", "bye", "hi there", "very good"]


def rss_mb(pids: Sequence[int]) -> float:
    """Resident memory of the processes and all their children, in MB."""
    total = 0
    seen = set()
    todo = list(pids)
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            total += int(next(s for s in status.splitlines() if s.startswith("VmRSS")).split()[1])
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            todo.extend(int(c) for c in children)
        except (OSError, StopIteration):
            continue
    return total / 1024


def post(url: str, sender: str, message: str) -> float:
    """Send one message; return the round trip in milliseconds."""
    body = json.dumps({"sender": sender, "message": message}).encode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:
        response.read()
    return (time.perf_counter() - started) * 1000


TURNS_PER_CONVERSATION = 25
"""Both bots get conversations of the same length: Rasa's per-turn cost grows
with the number of events it loads, deserializes and saves."""


def warm_up(base_url: str, messages: List[str], sender: str = "warmup") -> None:
    for message in messages:
        post(f"{base_url}/webhooks/rest/webhook", sender, message)


def interleaved_latencies(
    ours: Stack, stock_url: str, count: int
) -> Tuple[List[float], List[float]]:
    """Alternate one message to each bot, so both see the same machine state
    (run-to-run noise here is about ±2 ms, as large as the difference). Our
    conversations use server-issued sessions, obtained before the clock starts."""
    ours_times, stock = [], []
    for i in range(count):
        conversation = f"bench-{i // TURNS_PER_CONVERSATION}"
        session = ours.session(conversation)
        ours_times.append(post(f"{ours.rasa_url}/webhooks/rest/webhook", session,
                               OUR_MESSAGES[i % len(OUR_MESSAGES)]))
        stock.append(post(f"{stock_url}/webhooks/rest/webhook", conversation,
                          STOCK_MESSAGES[i % len(STOCK_MESSAGES)]))
    return ours_times, stock


def percentile(values: List[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def timed(command: List[str], cwd: Path, env: Dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def train_ours(env: Dict[str, str]) -> float:
    with tempfile.TemporaryDirectory() as out:
        return timed(
            [str(RASA_BIN), "train", "--config", "config.yml", "--domain", "bot/domain.yml",
             "--data", "bot/data", "--out", out, "--fixed-model-name", "bench"], ROOT, env)


def start_stock(project: str, env: Dict[str, str]) -> Tuple[subprocess.Popen, str]:
    """Start the stock bot trained in `project`; return it once it answers."""
    port = free_port()
    process = subprocess.Popen(
        [str(RASA_BIN), "run", "--enable-api", "--port", str(port)], cwd=project, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until(f"{url}/status", process, timeout=300)
    except (RuntimeError, TimeoutError):
        process.kill()
        raise
    return process, url


def measure(count: int, env: Dict[str, str]) -> Tuple[Dict[str, float], Dict[str, float]]:
    """Train and start each bot, then measure both in one interleaved run."""
    ours_train = train_ours(env)
    with tempfile.TemporaryDirectory() as project:
        stock_train = timed([str(RASA_BIN), "init", "--no-prompt", "--init-dir", project], ROOT, env)
        started = time.perf_counter()
        stack: Stack = start_stack()
        ours_ready = time.perf_counter() - started
        try:
            started = time.perf_counter()
            stock, stock_url = start_stock(project, env)
            stock_ready = time.perf_counter() - started
            try:
                warm_up(stack.rasa_url, OUR_MESSAGES, stack.session("warmup"))
                warm_up(stock_url, STOCK_MESSAGES)
                ours_times, stock_times = interleaved_latencies(stack, stock_url, count)
                ours_memory = rss_mb([p.pid for p in stack.processes])
                stock_memory = rss_mb([stock.pid])
            finally:
                stock.terminate()
                stock.wait(timeout=30)
        finally:
            stack.stop()
    return (summary(ours_train, ours_ready, ours_times, ours_memory),
            summary(stock_train, stock_ready, stock_times, stock_memory))


def summary(train_s: float, ready_s: float, times: List[float], memory: float) -> Dict[str, float]:
    return {
        "train_s": train_s, "ready_s": ready_s, "messages": len(times),
        "p50_ms": statistics.median(times), "p95_ms": percentile(times, 0.95),
        "rss_mb": memory,
    }


def table(ours: Dict[str, float], stock: Dict[str, float]) -> str:
    rows = [
        ("Training (cold cache)", "train_s", "{:.0f} s"),
        ("Start to ready", "ready_s", "{:.0f} s"),
        ("Messages measured", "messages", "{:.0f}"),
        ("REST round trip p50", "p50_ms", "{:.1f} ms"),
        ("REST round trip p95", "p95_ms", "{:.1f} ms"),
        ("Resident memory", "rss_mb", "{:.0f} MB"),
    ]
    lines = ["| | this assistant (Rasa + action service) | stock `rasa init` bot |", "|---|---|---|"]
    for label, key, fmt in rows:
        lines.append(f"| {label} | {fmt.format(ours[key])} | {fmt.format(stock[key])} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=300)
    args = parser.parse_args()
    if not MODEL.exists():
        raise SystemExit("Run `make model` first.")
    env = {**os.environ, **QUIET_ENV, "RASA_CACHE_DIRECTORY": tempfile.mkdtemp(prefix="bench-cache-")}
    ours, stock = measure(args.messages, env)
    text = table(ours, stock)
    print(text)
    update_section(
        "round-trip",
        "## Round trip: this assistant next to a stock `rasa init` bot\n\n"
        "Command: `make bench` (`python -m tests.bench.round_trip`), "
        f"{time.strftime('%Y-%m-%d')}, 2 cores, sequential requests from one client, "
        "alternating between the two bots.\n\n" + text,
    )


if __name__ == "__main__":
    main()
