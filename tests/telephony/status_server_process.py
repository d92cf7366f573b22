"""The real status server (status_server.py) in a subprocess, and a small SSE client, for
the stream tests, the browser test and bench/status_sse.py."""
from __future__ import annotations

import json
import os
import re
import select
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def environment(app_config: dict, esl) -> dict:
    env = dict(os.environ)
    for name in ("REDIS_URL", "RATELIMIT_STORAGE_URI", "STATUS_STREAM_URL"):
        env.pop(name, None)
    env.update({
        "DATABASE_URL": app_config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": app_config["SECRET_KEY"],
        "PORTAL_URL": app_config["PORTAL_URL"],
        "TRUSTED_HOSTS": ",".join(app_config["TRUSTED_HOSTS"]),
        "ESL_HOST": esl.host, "ESL_PORT": str(esl.port), "ESL_PASSWORD": esl.password, "ESL_TIMEOUT": "1",
        "STATUS_DB_PATH": app_config["STATUS_DB_PATH"],
        "HUEY_IMMEDIATE": "1",
        "PYTHONUNBUFFERED": "1",
    })
    return env


class StatusServer:
    def __init__(self, app_config: dict, esl):
        # Its log goes to a file: a pipe nobody reads would fill and stop the server.
        self.log = tempfile.NamedTemporaryFile("w+", prefix="status-server-", suffix=".log")
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "status_server.py"), "--port", "0"], cwd=ROOT,
            env=environment(app_config, esl), stdout=self.log, stderr=subprocess.STDOUT, text=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and self.process.poll() is None:
            found = re.search(r"^status server listening on [^:]+:(\d+)$", self.output(), re.M)
            if found:
                self.port = int(found.group(1))
                return
            time.sleep(0.05)
        self.stop()
        raise RuntimeError("the status server did not start:\n" + self.output())

    def output(self) -> str:
        return Path(self.log.name).read_text()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def cpu_seconds(self) -> float:
        """User + system CPU time of the server process so far (Linux /proc)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class SseClient:
    """One GET of the stream; `next()` returns (event, data) of the next message."""

    def __init__(self, port: int, cookie: str | None, path: str = "/extensions/status/stream",
                 origin: str | None = None):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        headers = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Accept: text/event-stream"]
        if cookie:
            headers.append(f"Cookie: session={cookie}")
        if origin:
            headers.append(f"Origin: {origin}")
        self.sock.sendall(("\r\n".join(headers) + "\r\n\r\n").encode())
        self.buffer = b""
        head = self._read_until(b"\r\n\r\n", 10)
        lines = head.decode("latin-1").split("\r\n")
        self.status = int(lines[0].split()[1])
        self.headers = {k.lower(): v for k, _, v in (line.partition(": ") for line in lines[1:] if line)}
        self.chunked = self.headers.get("transfer-encoding") == "chunked"
        self.text = ""

    def _read_until(self, marker: bytes, timeout: float) -> bytes:
        deadline = time.monotonic() + timeout
        while marker not in self.buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([self.sock], [], [], remaining)[0]:
                raise TimeoutError(f"nothing more from the stream: {self.buffer[-300:]!r}")
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("stream closed")
            self.buffer += chunk
        found, self.buffer = self.buffer.split(marker, 1)
        return found

    def _more_text(self, timeout: float) -> None:
        if self.chunked:
            size = int(self._read_until(b"\r\n", timeout).split(b";")[0], 16)
            while len(self.buffer) < size + 2:
                if not select.select([self.sock], [], [], timeout)[0]:
                    raise TimeoutError("chunk incomplete")
                self.buffer += self.sock.recv(65536)
            self.text += self.buffer[:size].decode()
            self.buffer = self.buffer[size + 2:]
        else:
            deadline = time.monotonic() + timeout
            if not select.select([self.sock], [], [], max(0, deadline - time.monotonic()))[0]:
                raise TimeoutError("nothing more from the stream")
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("stream closed")
            self.text += chunk.decode()

    def next(self, timeout: float = 5.0) -> tuple[str, dict | None]:
        """The next message with an event name (comments and `retry:` skipped)."""
        deadline = time.monotonic() + timeout
        while True:
            while "\n\n" in self.text:
                block, self.text = self.text.split("\n\n", 1)
                event, data = None, None
                for line in block.split("\n"):
                    if line.startswith("event: "):
                        event = line[7:]
                    elif line.startswith("data: "):
                        data = json.loads(line[6:])
                if event:
                    return event, data
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("no message")
            self._more_text(remaining)

    def close(self) -> None:
        self.sock.close()


def wait_until(predicate, timeout: float = 5.0, step: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return predicate()
