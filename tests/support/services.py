"""PostgreSQL and Redis servers from Debian's packages, started for a test.

Each runs on a free loopback port with its data in a new temporary directory
and is stopped by `stop()`. `make install-test` installs the packages.
"""
from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional

from bot.launcher import free_port


@dataclass
class Service:
    port: int
    process: Optional[subprocess.Popen]
    stop_command: Optional[List[str]] = None

    def stop(self) -> None:
        if self.stop_command:
            subprocess.run(self.stop_command, check=False, capture_output=True)
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)


def _postgres_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise FileNotFoundError(f"PostgreSQL's {name} is missing: run `make install-test`.")
    return found[-1]


def _as_postgres(command: List[str]) -> List[str]:
    """initdb and postgres refuse to run as root."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def start_postgres(database: str, user: str, password: str) -> Service:
    workdir = Path(tempfile.mkdtemp(prefix="test-postgres-"))
    data = workdir / "pgdata"
    data.mkdir()
    (workdir / "pwfile").write_text(password)
    if os.geteuid() == 0:
        shutil.chown(workdir, "postgres")
        shutil.chown(data, "postgres")
        shutil.chown(workdir / "pwfile", "postgres")
    initdb = subprocess.run(
        _as_postgres([_postgres_bin("initdb"), "-D", str(data), "-U", user, "--auth=md5",
                      f"--pwfile={workdir / 'pwfile'}", "--encoding=UTF8", "--locale=C"]),
        capture_output=True, text=True,
    )
    if initdb.returncode:
        raise RuntimeError(f"initdb failed: {initdb.stderr}")
    port = free_port()
    ctl = _postgres_bin("pg_ctl")
    subprocess.run(
        _as_postgres([ctl, "-D", str(data), "-l", str(workdir / "postgres.log"), "-w", "start",
                      "-o", f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1"]),
        check=True, capture_output=True,
    )
    service = Service(port, None, _as_postgres([ctl, "-D", str(data), "-m", "fast", "-w", "stop"]))
    env = {**os.environ, "PGPASSWORD": password}
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", str(port), "-U", user, "-d", "postgres", "-c",
         f"CREATE DATABASE {database}"],
        check=True, capture_output=True, env=env,
    )
    return service


def start_redis(password: Optional[str] = None) -> Service:
    workdir = Path(tempfile.mkdtemp(prefix="test-redis-"))
    redis = shutil.which("redis-server")
    if redis is None:
        raise FileNotFoundError("redis-server is missing: run `make install-test`.")
    port = free_port()
    process = subprocess.Popen(
        [redis, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(workdir), *(["--requirepass", password] if password else [])],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        ping = subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True,
                              env={**os.environ, **({"REDISCLI_AUTH": password} if password else {})})
        if ping.stdout.strip() == "PONG":
            return Service(port, process)
        time.sleep(0.2)
    process.terminate()
    raise TimeoutError("redis-server did not answer PING")
