import socket

from .relay import Relay


def test_the_relay_is_real():
    """The relay passes bytes both ways, and a cut closes what was open."""
    server = socket.create_server(("127.0.0.1", 0))
    with Relay(server.getsockname()[1]) as relay:
        client = socket.create_connection(("127.0.0.1", relay.port), timeout=2)
        upstream, _ = server.accept()
        client.sendall(b"ping")
        assert upstream.recv(4) == b"ping"
        upstream.sendall(b"pong")
        assert client.recv(4) == b"pong"
        relay.cut()
        assert client.recv(4) == b""  # closed
        refused = socket.create_connection(("127.0.0.1", relay.port), timeout=2)
        assert refused.recv(4) == b""
    server.close()
