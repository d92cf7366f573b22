"""A small FreeSWITCH event socket (ESL) client over greenswitch.

One call = one connection: connect, ``auth``, ``api <command>``, ``exit``, close.
The portal runs as many processes (gunicorn workers, the Huey worker, CLI
commands), so there is no socket worth sharing between them, and a connection
kept open in one process would go stale across FreeSWITCH restarts. The handful
of commands the portal sends (cache flushes, status) cost one loopback round
trip each; not worth a pool.

Every wait is bounded: greenswitch 0.0.19 only bounds the TCP connect, then
waits without limit for the ``auth/request`` banner and for every reply (a
FreeSWITCH that accepts the connection but hangs would hang the caller for
ever). Each step here therefore runs under a ``gevent.Timeout``. greenswitch's
own ``stop()`` is not used either: it waits, unbounded, for the reply to
``exit``, which never comes when FreeSWITCH has already closed the connection
(e.g. after a rejected password).

gevent without ``monkey.patch_all()``: greenswitch uses gevent's own sockets,
so it works in a plain thread; gevent then creates a hub (an event loop) for
that thread. When the call created the hub, it is destroyed at the end, as
gevent asks of code that uses its blocking API from several native threads;
a hub that already existed (a gevent worker) is left alone.

gevent and greenswitch are imported on first use, so importing this module (for
its exceptions) costs nothing.
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from typing import Iterator, Mapping

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8021
DEFAULT_PASSWORD = "ClueCon"  # FreeSWITCH's stock event_socket.conf password
DEFAULT_TIMEOUT = 2.0

# A command argument: no whitespace or control character (the next word would
# be a new argument, a line break a new command), no quote or backslash
# (FreeSWITCH's argument splitter, switch_separate_string, interprets them), no
# '@' (check_sync splits user@domain on it).
_ARGUMENT = re.compile(r"^[^\s@'\"\\\x00-\x1f\x7f]+$")
# A whole api command: one line. A newline would end the ESL command and start another.
_LINE_BREAKS = re.compile(r"[\r\n\x00]")


class EslError(Exception):
    """Base of the errors of this module."""


class FreeSwitchUnavailable(EslError):
    """FreeSWITCH could not be reached or would not let us in: refused, timed out, bad password."""

    def __init__(self, host: str, port: int, reason: str):
        self.host = host
        self.port = port
        self.reason = reason
        super().__init__(f"FreeSWITCH event socket {host}:{port} unavailable: {reason}")


class EslCommandError(EslError):
    """FreeSWITCH ran the command and answered an error (``-ERR ...`` / ``-USAGE ...``)."""

    def __init__(self, command: str, reply: str):
        self.command = command
        self.reply = reply
        super().__init__(f"FreeSWITCH refused {command.split(' ', 1)[0]!r}: {reply.strip()}")


_INBOUND_CLASS = None


def _inbound_class():
    """greenswitch's InboundESL, told to give up at once when FreeSWITCH closes the connection.

    Left alone, greenswitch keeps waiting for the ``auth/request`` banner or for
    a reply after the peer has gone (its reader greenlet just ends); here the
    end of the reader wakes every waiter with NotConnectedError. Built on first
    use so that importing this module does not import gevent.
    """
    global _INBOUND_CLASS
    if _INBOUND_CLASS is None:
        from greenswitch.esl import InboundESL, NotConnectedError

        class _InboundESL(InboundESL):
            def start_event_handlers(self):
                super().start_event_handlers()
                self._receive_events_greenlet.link(self._reader_ended)

            def _reader_ended(self, _greenlet):
                self.connected = False
                self._auth_request_event.set()  # connect() then sees connected == False
                while self._commands_sent:
                    self._commands_sent.pop(0).set_exception(NotConnectedError("connection closed by FreeSWITCH"))

        _INBOUND_CLASS = _InboundESL
    return _INBOUND_CLASS


def _argument(value: str, what: str) -> str:
    if not isinstance(value, str) or not _ARGUMENT.match(value):
        raise ValueError(f"invalid {what} for a FreeSWITCH command: {value!r}")
    return value


class EslClient:
    """Runs FreeSWITCH API commands over the inbound event socket."""

    def __init__(
        self,
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        password: str = DEFAULT_PASSWORD,
        timeout: float = DEFAULT_TIMEOUT,
    ):
        if not isinstance(password, str) or _LINE_BREAKS.search(password):
            raise ValueError("the ESL password cannot contain a line break")
        self.host = host
        self.port = int(port)
        self.password = password
        self.timeout = float(timeout)

    @classmethod
    def from_config(cls, config: Mapping) -> "EslClient":
        """From a settings mapping (``app.config``): ESL_HOST, ESL_PORT, ESL_PASSWORD, ESL_TIMEOUT."""
        return cls(
            host=config.get("ESL_HOST") or DEFAULT_HOST,
            port=int(config.get("ESL_PORT") or DEFAULT_PORT),
            password=DEFAULT_PASSWORD if config.get("ESL_PASSWORD") is None else config["ESL_PASSWORD"],
            timeout=float(config.get("ESL_TIMEOUT") or DEFAULT_TIMEOUT),
        )

    def __repr__(self) -> str:
        return f"EslClient({self.host!r}, {self.port}, timeout={self.timeout})"

    # -- commands ------------------------------------------------------------------

    def api(self, command: str, timeout: float | None = None) -> str:
        """Run ``api <command>`` and return FreeSWITCH's answer (the body text).

        ``timeout`` bounds the wait for the answer (default: the client's
        timeout, which also bounds connecting and authenticating).
        Raises FreeSwitchUnavailable, or EslCommandError for a ``-ERR``/``-USAGE`` answer.
        """
        return self.api_many([command], timeout)[0]

    def api_many(self, commands: list[str], timeout: float | None = None) -> list[str]:
        """Run several ``api`` commands over one connection, in order; their answers.
        Raises like api(), at the first command that fails."""
        checked = []
        for command in commands:
            if not isinstance(command, str) or not command.strip() or _LINE_BREAKS.search(command):
                raise ValueError(f"invalid FreeSWITCH api command: {command!r}")
            checked.append(command.strip())
        answers = []
        with self._connection() as (connection, bounded):
            for command in checked:
                reply = bounded(lambda: connection.send("api " + command), timeout, "no answer to the api command")
                body = getattr(reply, "data", None) or ""
                if body.startswith(("-ERR", "-USAGE")):
                    raise EslCommandError(command, body)
                answers.append(body)
        return answers

    def bgapi(self, command: str, job_uuid: str) -> str:
        """Run ``bgapi <command>`` under our own Job-UUID and return at once.

        FreeSWITCH runs the command in a thread of its own and fires BACKGROUND_JOB with
        that Job-UUID and the command's answer as body, to every listener subscribed
        (mod_event_socket.c parse_command() reads the ``Job-UUID`` header, api_exec()
        fires the event): the status listener records it (status_listener.py).
        Raises like api(); EslCommandError when FreeSWITCH refuses to start the job."""
        if not isinstance(command, str) or not command.strip() or _LINE_BREAKS.search(command):
            raise ValueError(f"invalid FreeSWITCH api command: {command!r}")
        job_uuid = _argument(job_uuid, "job uuid")
        with self._connection() as (connection, bounded):
            reply = bounded(lambda: connection.send(f"bgapi {command.strip()}\nJob-UUID: {job_uuid}"), None,
                            "no answer to the bgapi command")
        text = getattr(reply, "data", None) or ""
        if not text.startswith("+OK"):
            raise EslCommandError(command, text)
        return job_uuid

    def flush_directory_users(self, users: list[tuple[str, str]]) -> None:
        """flush_directory_user() for many (user, domain) pairs over one connection."""
        self.api_many([f"xml_flush_cache id {_argument(user, 'user')} {_argument(domain, 'domain')}"
                       for user, domain in users])

    def flush_directory_user(self, user: str, domain: str) -> str:
        """Forget the cached directory entry of user@domain (``xml_flush_cache id <user> <domain>``).

        FreeSWITCH caches a user under the key it was looked up by, and SIP
        registration, calls to ``user/``, voicemail all look users up by ``id``.
        The cache key is case-sensitive: pass user and domain as phones send them.
        """
        user, domain = _argument(user, "user"), _argument(domain, "domain")
        return self.api(f"xml_flush_cache id {user} {domain}")

    def flush_all(self) -> str:
        """Empty FreeSWITCH's whole directory-user cache (``xml_flush_cache`` with no argument)."""
        return self.api("xml_flush_cache")

    def sofia_check_sync(self, profile: str, user: str, domain: str) -> str:
        """Ask the phones registered as user@domain to re-read their configuration (NOTIFY check-sync)."""
        profile = _argument(profile, "SIP profile")
        user, domain = _argument(user, "user"), _argument(domain, "domain")
        reply = self.api(f"sofia profile {profile} check_sync {user}@{domain}")
        if reply.startswith("Invalid Profile"):
            raise EslCommandError(f"sofia profile {profile} check_sync", reply)
        return reply

    def users_on_a_call(self, users: list[tuple[str, str]]) -> set[tuple[str, str]]:
        """Which of these (user, domain) have a channel up. A call to or from a directory
        user carries presence_id=user@domain (mod_dptools' user_call sets it from the
        directory; mod_sofia from the caller's From), and ``show channels as json``
        (mod_commands' show_function) lists it for every channel of this FreeSWITCH."""
        import json

        reply = self.api("show channels as json")
        try:
            rows = json.loads(reply).get("rows", [])
        except (ValueError, AttributeError) as error:
            raise EslCommandError("show channels as json", reply) from error
        wanted = {f"{user}@{domain}": (user, domain) for user, domain in users}
        return {wanted[row["presence_id"]] for row in rows
                if isinstance(row, dict) and row.get("presence_id") in wanted}

    def sofia_rescan(self, profile: str) -> str:
        """Make a SIP profile re-read its settings and domain aliases without dropping calls."""
        profile = _argument(profile, "SIP profile")
        reply = self.api(f"sofia profile {profile} rescan")
        if reply.startswith("Invalid Profile"):
            raise EslCommandError(f"sofia profile {profile} rescan", reply)
        return reply

    # -- connection ----------------------------------------------------------------

    def _unavailable(self, reason: str) -> FreeSwitchUnavailable:
        return FreeSwitchUnavailable(self.host, self.port, reason)

    @contextmanager
    def _connection(self, connection_class=None) -> Iterator:
        """An authenticated greenswitch connection (of `connection_class`, default ours),
        and a helper that runs a step under a deadline."""
        import gevent
        from gevent._hub_local import get_hub_if_exists
        hub_was_there = get_hub_if_exists() is not None

        def bounded(step, seconds, what):
            timer = gevent.Timeout(self.timeout if seconds is None else seconds)
            timer.start()
            try:
                return step()
            except gevent.Timeout as error:
                if error is not timer:
                    raise
                raise self._unavailable(f"{what} within {timer.seconds:g} s") from None
            except Exception as error:  # noqa: BLE001 - mapped, or re-raised unchanged
                translated = self._translate(error)
                if translated is error:
                    raise
                raise translated from error
            finally:
                timer.close()

        connection = (connection_class or _inbound_class())(self.host, self.port, self.password,
                                                             timeout=self.timeout)
        try:
            bounded(connection.connect, None, "no greeting")
            yield connection, bounded
        except BaseException:
            self._close(connection, polite=False)
            self._release_hub(hub_was_there)
            raise
        else:
            self._close(connection, polite=True)
            self._release_hub(hub_was_there)

    def _translate(self, error: Exception) -> Exception:
        """What greenswitch or the socket raised, as FreeSwitchUnavailable (or unchanged if it is a bug)."""
        from gevent.exceptions import LoopExit
        from greenswitch.esl import NotConnectedError

        if isinstance(error, NotConnectedError):
            return self._unavailable(str(error) or "connection closed")
        if isinstance(error, LoopExit):
            return self._unavailable("connection closed")
        if isinstance(error, OSError):  # refused, reset, unreachable, DNS failure, socket timeout
            return self._unavailable(error.strerror or str(error) or type(error).__name__)
        if isinstance(error, ValueError) and "password" in str(error).lower():
            # greenswitch's authenticate(): ValueError('Invalid password.') on "-ERR invalid".
            return self._unavailable("authentication failed: the ESL password was refused")
        if isinstance(error, (KeyError, IndexError, ValueError, UnicodeDecodeError)):
            # greenswitch indexes headers without checking: a peer that is not FreeSWITCH.
            return self._unavailable(f"unexpected answer ({type(error).__name__}: {error})")
        return error

    def _close(self, connection, polite: bool) -> None:
        """Say ``exit`` (briefly) if we may, then drop the socket and the two greenlets."""
        import gevent

        if polite and connection.connected:
            try:
                with gevent.Timeout(min(self.timeout, 0.5)):
                    connection.send("exit")
            except (Exception, gevent.Timeout):  # best effort; gevent.Timeout is a BaseException
                pass
        connection._run = False
        # Greenlets first: closing the file while the reader greenlet is inside
        # readline() raises "reentrant call" in CPython's buffered reader.
        greenlets = [
            g for g in (connection._receive_events_greenlet, connection._process_events_greenlet) if g is not None
        ]
        if greenlets:
            gevent.killall(greenlets, block=True, timeout=1)
        for attribute in ("sock_file", "sock"):
            stream = getattr(connection, attribute, None)
            if stream is not None:
                try:
                    stream.close()
                except (OSError, RuntimeError):
                    pass

    @staticmethod
    def _release_hub(hub_was_there: bool) -> None:
        if hub_was_there:
            return
        from gevent._hub_local import get_hub_if_exists

        hub = get_hub_if_exists()
        if hub is not None:
            # Not the main thread's default loop (kept by gevent); another thread's loop is freed.
            hub.destroy()
