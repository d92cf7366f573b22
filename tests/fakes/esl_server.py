"""A fake FreeSWITCH event socket (mod_event_socket, inbound mode) on loopback, for tests.

It speaks the wire protocol of FreeSWITCH 1.10's mod_event_socket.c byte for byte
where a client can tell the difference:

- on connect it sends ``Content-Type: auth/request\\n\\n``;
- a command is read up to a blank line (two ``\\n``, ``\\r`` ignored between them,
  leading blank lines skipped); its first line is the command, further
  ``Name: value`` lines are headers, a ``Content-Length`` header announces a body;
- a command gets ``Content-Type: command/reply\\nReply-Text: <text>\\n\\n``, except
  ``api``, answered with ``Content-Type: api/response\\nContent-Length: N\\n\\n<body>``
  (N counts bytes; an empty body becomes ``-ERR no reply\\n`` as in FreeSWITCH);
- ``auth <password>`` answers ``+OK accepted`` or ``-ERR invalid``, and after
  ``-ERR invalid`` the server sends its disconnect notice and closes, as FreeSWITCH
  does; ``exit`` answers ``+OK bye``, then the same notice and close;
- before authentication any other command answers ``-ERR command not found``;
- ``event <plain|json> <names...>`` answers ``+OK event listener enabled <format>``
  (``-ERR no keywords supplied`` without names), ``noevents`` stops it;
  :meth:`FakeEslServer.emit_event` then pushes ``text/event-plain`` /
  ``text/event-json`` frames to the subscribed connections;
- ``bgapi <command>`` (with an optional ``Job-UUID`` header) answers
  ``+OK Job-UUID: <uuid>`` with a ``Job-UUID`` header, then, after
  ``bgapi_delay`` seconds, fires BACKGROUND_JOB (Job-UUID, Job-Command,
  Job-Command-Arg, the api answer as body) to every subscribed connection, as
  mod_event_socket.c api_exec() does;
- anything else answers ``-ERR command not found`` (``filter``, ``sendmsg``...
  are not modelled).

Usage::

    with FakeEslServer(responses={"xml_flush_cache": "+OK cleared 1 entry\\n"}) as fs:
        client = EslClient(fs.host, fs.port, "ClueCon", 2.0)
        client.flush_directory_user("101", "acme.voice.example")
        assert fs.api_commands == ["xml_flush_cache id 101 acme.voice.example"]

Plain sockets and threads only: no gevent, so it runs beside any client.
"""
from __future__ import annotations

import json
import socket
import threading
import time
import uuid
from typing import Callable, Mapping, Union

Response = Union[str, Callable[[str], str]]

DISCONNECT_MESSAGE = "Disconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n"
# switch_url_encode(): what FreeSWITCH percent-encodes in a plain event's header values.
_URL_UNSAFE = set(b"\r\n #%&+:;<=>?@[\\]^`{|}\"")


def _url_encode(value: str) -> str:
    out = []
    for byte in value.encode("utf-8"):
        if byte < 0x20 or byte > 0x7E or byte in _URL_UNSAFE:
            out.append("%%%02X" % byte)
        else:
            out.append(chr(byte))
    return "".join(out)


def serialize_plain(headers: Mapping[str, str], body: str | None = None) -> str:
    """switch_event_serialize(event, &str, SWITCH_TRUE): url-encoded headers, then the body."""
    text = "".join(f"{name}: {_url_encode(str(value)) or '_undef_'}\n" for name, value in headers.items())
    if body:
        return text + f"Content-Length: {len(body.encode('utf-8'))}\n\n{body}"
    return text + "\n"


def serialize_json(headers: Mapping[str, str], body: str | None = None) -> str:
    """switch_event_serialize_json(): one object of the headers, the body under ``_body``."""
    data = {name: str(value) for name, value in headers.items()}
    if body is not None:
        data["_body"] = body
    return json.dumps(data)


class _Connection:
    """One accepted client: its socket and what it subscribed to."""

    def __init__(self, sock: socket.socket, address):
        self.sock = sock
        self.address = address
        self.send_lock = threading.Lock()
        self.authed = False
        self.event_format = "plain"
        self.events: set[str] = set()          # event names, "ALL", and CUSTOM subclasses
        self.buffer = b""

    def send(self, data: str) -> None:
        with self.send_lock:
            self.sock.sendall(data.encode("utf-8"))

    def wants(self, name: str, subclass: str | None) -> bool:
        if "ALL" in self.events:
            return True
        if name == "CUSTOM":
            return "CUSTOM" in self.events and (subclass or "") in self.events
        return name in self.events


class FakeEslServer:
    """A fake inbound event socket on 127.0.0.1, on a free port.

    ``responses`` maps a command prefix to the body of the ``api`` answer, either a
    string or a callable taking the command (without ``api ``) and returning the
    body; the longest matching prefix wins; anything else answers ``+OK\\n``.
    """

    def __init__(self, password: str = "ClueCon", responses: Mapping[str, Response] | None = None):
        self.password = password
        self.responses: dict[str, Response] = dict(responses or {})
        self.host = "127.0.0.1"
        self.port: int | None = None
        self._commands: list[str] = []
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._connections: list[_Connection] = []
        self._threads: list[threading.Thread] = []
        self._listener: socket.socket | None = None
        self._accept_thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self.bgapi_delay = 0.0

    # -- lifecycle -----------------------------------------------------------------

    def start(self) -> "FakeEslServer":
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((self.host, 0))
        listener.listen(16)
        listener.settimeout(0.05)
        self._listener = listener
        self.port = listener.getsockname()[1]
        self._accept_thread = threading.Thread(target=self._accept_loop, name="fake-esl-accept", daemon=True)
        self._accept_thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._accept_thread is not None:
            self._accept_thread.join(timeout=5)
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        with self._lock:
            connections = list(self._connections)
            threads = list(self._threads)
        for connection in connections:
            try:
                connection.sock.shutdown(socket.SHUT_RDWR)  # wakes a handler blocked in recv()
            except OSError:
                pass
        for thread in threads:
            thread.join(timeout=5)

    def drop_connections(self) -> int:
        """Close every client connection (FreeSWITCH restarting), keep listening; how many."""
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            try:
                connection.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        return len(connections)

    @property
    def subscribed(self) -> int:
        """How many connections are subscribed to events now."""
        with self._lock:
            return sum(1 for c in self._connections if c.authed and c.events)

    def __enter__(self) -> "FakeEslServer":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    # -- what the tests read -------------------------------------------------------

    @property
    def commands(self) -> list[str]:
        """Every command line received, in order, across connections (auth and exit included)."""
        with self._lock:
            return list(self._commands)

    @property
    def api_commands(self) -> list[str]:
        """The ``api`` commands received, without the ``api `` prefix."""
        return [command[4:] for command in self.commands if command.startswith("api ")]

    def wait_for_command(self, prefix: str, timeout: float = 2.0) -> str:
        """Block until a command starting with ``prefix`` has been received; return it."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for command in self._commands:
                    if command.startswith(prefix):
                        return command
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"no command starting with {prefix!r}; got {self._commands!r}")
                self._changed.wait(remaining)

    def emit_event(self, headers: Mapping[str, str], body: str | None = None) -> int:
        """Send an event to every connection subscribed to it; return how many got it.

        ``headers`` needs ``Event-Name`` (and ``Event-Subclass`` for CUSTOM events).
        """
        name = headers.get("Event-Name", "")
        subclass = headers.get("Event-Subclass")
        with self._lock:
            targets = [c for c in self._connections if c.authed and c.events and c.wants(name, subclass)]
        sent = 0
        for connection in targets:
            if connection.event_format == "json":
                payload, kind = serialize_json(headers, body), "json"
            else:
                payload, kind = serialize_plain(headers, body), "plain"
            frame = f"Content-Length: {len(payload.encode('utf-8'))}\nContent-Type: text/event-{kind}\n\n{payload}"
            try:
                connection.send(frame)
                sent += 1
            except OSError:
                pass
        return sent

    # -- server side -----------------------------------------------------------------

    def _accept_loop(self) -> None:
        while not self._stopping.is_set():
            try:
                sock, address = self._listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            sock.settimeout(None)
            connection = _Connection(sock, address)
            thread = threading.Thread(target=self._serve, args=(connection,), name="fake-esl-conn", daemon=True)
            with self._lock:
                self._connections.append(connection)
                self._threads.append(thread)
            thread.start()

    def _record(self, command: str) -> None:
        with self._changed:
            self._commands.append(command)
            self._changed.notify_all()

    def _serve(self, connection: _Connection) -> None:
        try:
            connection.send("Content-Type: auth/request\n\n")
            while not self._stopping.is_set():
                packet = self._read_packet(connection)
                if packet is None:
                    return
                command = packet[0]
                self._record(command)
                if command.lower().startswith("bgapi ") and connection.authed:
                    self._bgapi(connection, command[6:], packet[1].get("Job-UUID"))
                    continue
                if not self._handle(connection, command):
                    connection.send(
                        f"Content-Type: text/disconnect-notice\nContent-Length: {len(DISCONNECT_MESSAGE)}\n\n"
                        + DISCONNECT_MESSAGE
                    )
                    return
        except OSError:
            return
        finally:
            with self._lock:
                if connection in self._connections:
                    self._connections.remove(connection)
            try:
                connection.sock.close()
            except OSError:
                pass

    def _reply(self, connection: _Connection, text: str) -> None:
        connection.send(f"Content-Type: command/reply\nReply-Text: {text}\n\n")

    def _handle(self, connection: _Connection, command: str) -> bool:
        """Answer one command; False when the server hangs up after answering."""
        lowered = command.lower()
        if lowered.startswith("exit") or command.startswith("..."):
            self._reply(connection, "+OK bye")
            return False
        if not connection.authed:
            if lowered.startswith("auth "):
                if command[5:] == self.password:
                    connection.authed = True
                    self._reply(connection, "+OK accepted")
                    return True
                self._reply(connection, "-ERR invalid")
                return False
            self._reply(connection, "-ERR command not found")
            return True
        if lowered.startswith("api "):
            body = self._api_body(command[4:]) or "-ERR no reply\n"
            data = body.encode("utf-8")
            with connection.send_lock:
                connection.sock.sendall(
                    f"Content-Type: api/response\nContent-Length: {len(data)}\n\n".encode("utf-8") + data
                )
            return True
        if lowered.startswith("noevents"):
            if connection.events:
                connection.events.clear()
                self._reply(connection, "+OK no longer listening for events")
            else:
                self._reply(connection, "-ERR not listening for events")
            return True
        if lowered.startswith("event"):
            self._reply(connection, self._subscribe(connection, command))
            return True
        self._reply(connection, "-ERR command not found")
        return True

    def _bgapi(self, connection: _Connection, api_command: str, job_uuid: str | None) -> None:
        job_uuid = job_uuid or str(uuid.uuid4())
        connection.send(f"Content-Type: command/reply\nReply-Text: +OK Job-UUID: {job_uuid}\nJob-UUID: {job_uuid}\n\n")

        def finish():
            time.sleep(self.bgapi_delay)
            name, _, argument = api_command.partition(" ")
            headers = {"Event-Name": "BACKGROUND_JOB", "Job-UUID": job_uuid, "Job-Command": name}
            if argument:
                headers["Job-Command-Arg"] = argument
            self.emit_event(headers, self._api_body(api_command) or "Command returned no output!")

        threading.Thread(target=finish, name="fake-esl-bgapi", daemon=True).start()

    @property
    def bgapi_commands(self) -> list[str]:
        """The ``bgapi`` commands received, without the ``bgapi `` prefix."""
        return [command[6:] for command in self.commands if command.startswith("bgapi ")]

    def _subscribe(self, connection: _Connection, command: str) -> str:
        words = command.split(" ")[1:]
        if words and words[0].lower() in ("plain", "json", "xml"):
            connection.event_format = words.pop(0).lower()
        names = [word for word in words if word]
        if not names:
            return "-ERR no keywords supplied"
        connection.events.update(names)
        return f"+OK event listener enabled {connection.event_format}"

    def _api_body(self, api_command: str) -> str:
        matches = [prefix for prefix in self.responses if api_command.startswith(prefix)]
        if not matches:
            return "+OK\n"
        response = self.responses[max(matches, key=len)]
        return response(api_command) if callable(response) else response

    def _read_packet(self, connection: _Connection):
        """read_packet(): (command, headers, body) or None when the client has gone."""
        while True:
            # Leading blank lines are dropped, as FreeSWITCH does.
            connection.buffer = connection.buffer.lstrip(b"\r\n")
            end = self._end_of_headers(connection.buffer)
            if end is not None:
                break
            chunk = connection.sock.recv(4096)
            if not chunk:
                return None
            connection.buffer += chunk
        head, connection.buffer = connection.buffer[:end], connection.buffer[end:]
        lines = [line.rstrip("\r") for line in head.decode("utf-8", "replace").split("\n") if line.strip("\r")]
        command, headers = lines[0], {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip()] = value.lstrip(" ")
        body = b""
        length = int(headers.get("Content-Length", headers.get("content-length", "0")) or 0)
        while len(connection.buffer) < length:
            chunk = connection.sock.recv(4096)
            if not chunk:
                return None
            connection.buffer += chunk
        if length:
            body, connection.buffer = connection.buffer[:length], connection.buffer[length:]
        return command, headers, body.decode("utf-8", "replace")

    @staticmethod
    def _end_of_headers(data: bytes):
        """Index just past the second ``\\n`` of a run of newlines (``\\r`` does not break the run)."""
        newlines = 0
        for index, byte in enumerate(data):
            if byte == 0x0A:
                newlines += 1
                if newlines == 2:
                    return index + 1
            elif byte != 0x0D:
                newlines = 0
        return None
