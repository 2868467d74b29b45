"""Start the assistant: action service, Rasa server, the staff console and the widget demo page.

Used by `make run` (fixed ports, foreground until Ctrl-C) and by the tests
(free ports, one stack per test session), so both run the same commands.
Everything listens on loopback; Rasa's HTTP API is off (bot/server.py). Web
sessions are signed with $WEB_SESSION_SECRET, generated here when unset.
Standard library only: it runs under either virtual environment.

    python3 bot/launcher.py            # what `make run` does
"""
from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

ROOT = Path(__file__).resolve().parent.parent
RASA_BIN = ROOT / ".venv-rasa" / "bin" / "rasa"
RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"
ACTIONS_PYTHON = ROOT / ".venv-actions" / "bin" / "python"
MODEL = ROOT / "models" / "hokkaido.tar.gz"

WARM_UP_QUESTION = "Tell me about the top sales mission to Vietnam"
"""Answered from a retrieved passage, so the action service loads its index."""

QUIET_ENV = {
    "RASA_TELEMETRY_ENABLED": "false",
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "PYTHONWARNINGS": "ignore",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
}


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(url: str, process: subprocess.Popen, timeout: float) -> None:
    """Return once `url` answers 200; raise if `process` exits or `timeout` passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the process exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} was not ready after {timeout:.0f} s")


@dataclass
class Stack:
    """A running action service and Rasa server."""

    rasa_url: str
    action_url: str
    workdir: Path
    env: Dict[str, str] = field(default_factory=dict)
    """The environment both processes got (the tracker database, the staff token...)."""
    processes: List[subprocess.Popen] = field(default_factory=list)
    _sessions = {}  # type: Dict[tuple, str]
    """Session tokens by (secret, sender label), shared by stacks with one secret (replicas)."""

    def post(self, path: str, body: dict, attempts: int = 5) -> object:
        """POST JSON to the Rasa server; return the decoded answer. Like a well-behaved
        client, wait as long as a 429's Retry-After says (a scripted run sends faster than
        the per-address rate limit of bot/channels/limits.yml allows)."""
        request = urllib.request.Request(
            f"{self.rasa_url}{path}", data=json.dumps(body).encode("utf-8"),
            headers={"Content-Type": "application/json"},
        )
        for _ in range(attempts - 1):
            try:
                return self._open(request)
            except urllib.error.HTTPError as error:
                if error.code != 429:
                    raise
                time.sleep(min(float(error.headers.get("Retry-After") or 1), 10.0))
        return self._open(request)

    @staticmethod
    def _open(request: urllib.request.Request) -> object:
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read().decode("utf-8"))

    def session(self, sender: str) -> str:
        """The web session token of a sender label, obtained from the server once."""
        key = (self.env.get("WEB_SESSION_SECRET"), sender)
        if key not in Stack._sessions:
            Stack._sessions[key] = self.post("/webhooks/rest/session", {})["session"]
        return Stack._sessions[key]

    def conversation_id(self, sender: str) -> str:
        """The conversation id (`web:...`) the server gave a sender label."""
        return self.session(sender).rpartition(".")[0]

    def send(self, sender: str, message: str, metadata: Optional[dict] = None) -> list:
        """POST one message to the REST channel as `sender` (a label); return the replies."""
        body = {"sender": self.session(sender), "message": message, "metadata": metadata or {}}
        return self.post("/webhooks/rest/webhook", body)  # type: ignore[return-value]

    def start_actions(self) -> subprocess.Popen:
        """Start (or restart) the action service on this stack's port."""
        port = self.action_url.rsplit(":", 1)[1]
        with (self.workdir / "stack.log").open("ab") as log:
            actions = subprocess.Popen(
                [str(ACTIONS_PYTHON), "-m", "rasa_sdk", "--actions", "actions", "--port", port],
                cwd=ROOT, env={**self.env, "SANIC_HOST": "127.0.0.1"},
                stdout=log, stderr=subprocess.STDOUT,
            )
        self.processes.insert(0, actions)
        return actions

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
        for process in reversed(self.processes):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def __enter__(self) -> "Stack":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_stack(
    extra_env: Optional[Dict[str, str]] = None,
    with_actions: bool = True,
    rasa_port: Optional[int] = None,
    action_port: Optional[int] = None,
    workdir: Optional[Path] = None,
    endpoints: Path = ROOT / "bot" / "endpoints.yml",
    timeout: float = 300,
) -> Stack:
    """Start the action service (unless `with_actions` is False) and Rasa.

    Ports default to free ones. With the default `endpoints`, conversations
    go to a SQLite file in `workdir` (a new temporary directory by default). Returns once both
    answer HTTP; raises with the log's tail if either fails to start.
    """
    if not MODEL.exists():
        raise FileNotFoundError(f"{MODEL} is missing: run `make model` first.")
    workdir = workdir or Path(tempfile.mkdtemp(prefix="hokkaido-stack-"))
    workdir.mkdir(parents=True, exist_ok=True)
    rasa_port = rasa_port or free_port()
    action_port = action_port or free_port()
    env = {**os.environ, **QUIET_ENV, **(extra_env or {})}
    env.setdefault("TRACKER_DB", str(workdir / "conversations.db"))
    env.setdefault("STAFF_API_TOKEN", secrets.token_urlsafe(32))  # the console's door into Rasa
    env.setdefault("WEB_SESSION_SECRET", secrets.token_urlsafe(32))
    env["ACTION_ENDPOINT_URL"] = f"http://127.0.0.1:{action_port}/webhook"
    log_path = workdir / "stack.log"
    stack = Stack(f"http://127.0.0.1:{rasa_port}", f"http://127.0.0.1:{action_port}", workdir, env)
    try:
        actions = stack.start_actions() if with_actions else None
        with log_path.open("ab") as log:
            rasa = subprocess.Popen(
                [str(RASA_PYTHON), "-m", "bot.server", "run", "--model", str(MODEL),
                 "--port", str(rasa_port), "--credentials", str(ROOT / "bot" / "credentials.yml"),
                 "--endpoints", str(endpoints)],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            )
        stack.processes.append(rasa)
        if actions is not None:
            wait_until(f"{stack.action_url}/health", actions, timeout)
        wait_until(f"{stack.rasa_url}/webhooks/rest/", rasa, timeout)
        if with_actions:
            stack.send("warm-up", WARM_UP_QUESTION)  # loads the search index once
    except Exception as error:
        stack.stop()
        tail = log_path.read_text("utf-8", errors="replace")[-3000:]
        raise RuntimeError(f"The stack did not start ({error}). Log tail:\n{tail}") from error
    return stack


def start_console(
    stack: Stack, port: Optional[int] = None, extra_env: Optional[Dict[str, str]] = None,
    timeout: float = 300,
) -> str:
    """Start the staff console (console/) beside `stack`, on the same database and with the
    same staff token; it stops with the stack. Returns its address once it answers."""
    port = port or free_port()
    env = {**stack.env, "RASA_URL": stack.rasa_url, **(extra_env or {})}
    env.setdefault("CONSOLE_SECRET_KEY", secrets.token_urlsafe(32))
    log_path = stack.workdir / "console.log"
    console = subprocess.Popen(
        [str(ACTIONS_PYTHON), "-m", "console", "--port", str(port)],
        cwd=ROOT, env=env, stdout=log_path.open("ab"), stderr=subprocess.STDOUT,
    )
    stack.processes.insert(0, console)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until(f"{url}/health", console, timeout)
    except (RuntimeError, TimeoutError) as error:
        tail = log_path.read_text("utf-8", errors="replace")[-3000:]
        raise RuntimeError(f"The console did not start ({error}). Log tail:\n{tail}") from error
    return url


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


def main() -> None:
    signal.signal(signal.SIGTERM, _interrupt)  # stop the children on `kill` as on Ctrl-C
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rasa-port", type=int, default=5005)
    parser.add_argument("--action-port", type=int, default=5055)
    parser.add_argument("--widget-port", type=int, default=8080)
    parser.add_argument("--console-port", type=int, default=8090)
    args = parser.parse_args()
    data_dir = ROOT / "build" / "run"
    print("Starting the action service and the Rasa server (about 30 s)...", flush=True)
    stack = start_stack(
        rasa_port=args.rasa_port, action_port=args.action_port, workdir=data_dir,
        extra_env={"TRACKER_DB": str(data_dir / "conversations.db")},
    )
    widget = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(args.widget_port), "--bind", "127.0.0.1",
         "--directory", str(ROOT / "widget")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    stack.processes.insert(0, widget)
    print("Starting the staff console...", flush=True)
    try:
        console_url = start_console(stack, args.console_port)
    except RuntimeError:
        stack.stop()
        raise
    print(
        f"Ready.\n  REST:    POST {stack.rasa_url}/webhooks/rest/webhook\n"
        f"  Widget:  http://127.0.0.1:{args.widget_port}/\n"
        f"  Actions: {stack.action_url}\n"
        f"  Console: {console_url}/  (first user: make console-user NAME=<name> ROLE=editor)\n"
        f"  Logs:    {data_dir / 'stack.log'}, {data_dir / 'console.log'}\n"
        "Press Ctrl-C to stop.",
        flush=True,
    )
    try:
        while all(p.poll() is None for p in stack.processes):
            time.sleep(1)
        print("A process stopped; shutting down.", file=sys.stderr)
    except KeyboardInterrupt:
        print("\nStopping...", flush=True)
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
