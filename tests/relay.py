"""A TCP relay that a test puts between the site and a server it depends on
(PostgreSQL, Redis), to take that dependency away and bring it back for real,
without touching the shared server itself.

``cut()`` closes every connection through the relay and closes each new one
as soon as it arrives, as a stopped server's host does; ``stall()`` accepts
connections and never answers, as a network that drops packets does;
``restore()`` relays again. Loopback only, on an ephemeral port.
"""

import contextlib
import socket
import threading

UP, CUT, STALL = "up", "cut", "stall"


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


class Relay:
    def __init__(self, upstream_port: int, upstream_host: str = "127.0.0.1"):
        self.upstream = (upstream_host, upstream_port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.state = UP
        self.connections = 0  # connections accepted, whatever the state
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def cut(self) -> None:
        self._set(CUT)

    def stall(self) -> None:
        self._set(STALL)

    def restore(self) -> None:
        self._set(UP)

    def close(self) -> None:
        self._set(CUT)
        _close(self._listener)

    def _set(self, state: str) -> None:
        with self._lock:
            if state == self.state:
                return
            self.state = state
            # Going down closes every connection; coming back up closes the
            # ones held unanswered while stalled.
            open_now, self._open = self._open, set()
        for sock in open_now:
            _close(sock)

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return  # closed
            with self._lock:
                self.connections += 1
                state = self.state
                if state == STALL:
                    self._open.add(client)  # held open, unanswered, until restored or cut
                    continue
            if state == CUT:
                _close(client)
                continue
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                _close(client)
                continue
            server.settimeout(None)
            with self._lock:
                if self.state != UP:
                    _close(client)
                    _close(server)
                    continue
                self._open |= {client, server}
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            with self._lock:
                self._open -= {source, target}
            _close(source)
            _close(target)
