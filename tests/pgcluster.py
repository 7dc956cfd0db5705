"""A throw-away PostgreSQL cluster for tests: ``initdb`` + ``pg_ctl`` in a temporary folder, on a free port.

PostgreSQL refuses to run as root, so under root (CI, this machine) the server binaries run as the
``postgres`` system user that Debian's package creates; the folder is handed to that user first. The
socket lives in the data folder, the server listens on loopback only, and ``trust`` authentication is
enough because nothing but this test process can reach it. A missing PostgreSQL fails the test (CI
installs it), it never skips.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

PG_BIN_DIRS = [Path("/usr/lib/postgresql/15/bin")]
START_TIMEOUT_S = 60


def pg_bin(name: str) -> str:
    for d in PG_BIN_DIRS:
        if (d / name).exists():
            return str(d / name)
    found = shutil.which(name)
    if not found:
        raise RuntimeError(f"PostgreSQL's {name} not found: install Debian's postgresql package")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_server_user(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    return ["runuser", "-u", "postgres", "--", *cmd]


class PgCluster:
    """``start()`` → a DSN for database ``danvan``; ``stop()`` shuts the server down (fast mode)."""

    def __init__(self, folder: Path | None = None, port: int | None = None):
        # pytest's own temporary folders are private to root: the server user could not enter them
        self.folder = Path(folder) if folder else Path(tempfile.mkdtemp(prefix="danvan-pg-"))
        self.data = self.folder / "pgdata"
        self.port = port or free_port()
        self.dsn = f"postgresql://postgres@127.0.0.1:{self.port}/danvan"

    def _run(self, cmd: list[str]) -> subprocess.CompletedProcess:
        r = subprocess.run(_as_server_user(cmd), capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError(f"{Path(cmd[0]).name} failed ({r.returncode}): {(r.stderr or r.stdout)[-800:]}")
        return r

    def start(self) -> str:
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
            os.chmod(self.folder, 0o700)
        if not (self.data / "PG_VERSION").exists():
            self._run([pg_bin("initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
                       "-E", "UTF8", "--locale=C.UTF-8"])
        opts = (f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 "
                f"-c fsync=off -c synchronous_commit=off -c max_connections=200")
        self._run([pg_bin("pg_ctl"), "-D", str(self.data), "-o", opts, "-l", str(self.data / "server.log"),
                   "-w", "-t", str(START_TIMEOUT_S), "start"])
        self._create_database()
        return self.dsn

    def _create_database(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            r = subprocess.run(_as_server_user([pg_bin("psql"), "-h", "127.0.0.1", "-p", str(self.port),
                                                "-U", "postgres", "-d", "postgres", "-tAc",
                                                "SELECT 1 FROM pg_database WHERE datname='danvan'"]),
                               capture_output=True, text=True)
            if r.returncode == 0:
                break
            if time.monotonic() > deadline:
                raise RuntimeError("PostgreSQL did not accept connections: " + r.stderr[-500:])
            time.sleep(0.2)
        if r.stdout.strip() != "1":
            self._run([pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "danvan"])

    def halt(self) -> None:
        """Shut the server down (fast mode: sessions are ended), keeping its data; ``start()`` brings it back."""
        self._run([pg_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"])

    def restart(self) -> None:
        """A real restart, as an administrator or a package upgrade does: every session is ended."""
        self.halt()
        self.start()

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            subprocess.run(_as_server_user([pg_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"]),
                           capture_output=True, text=True)
        shutil.rmtree(self.folder, ignore_errors=True)
