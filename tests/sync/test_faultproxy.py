"""The fault proxy forwards bytes faithfully, and injects exactly the faults its plan draws."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import socketserver
import threading

import pytest

from sync.faultproxy import FaultPlan, FaultProxy, Link

PAYLOAD = bytes(range(256)) * 400  # 100 KiB


class _Echo(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        while data := self.request.recv(65536):
            self.request.sendall(data)


@pytest.fixture
def echo_port():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Echo)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def _round_trip(port: int, payload: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        received = bytearray()
        sender = threading.Thread(target=_send_then_half_close, args=(sock, payload))
        sender.start()
        try:
            while chunk := sock.recv(65536):
                received += chunk
                if len(received) >= len(payload):
                    break
        except ConnectionError:
            pass
        sender.join()
        return bytes(received)


def _send_then_half_close(sock: socket.socket, payload: bytes) -> None:
    with contextlib.suppress(OSError):
        sock.sendall(payload)


def test_clean_link_forwards_every_byte(echo_port):
    with FaultProxy(("127.0.0.1", echo_port)) as proxy:
        assert _round_trip(proxy.port, PAYLOAD) == PAYLOAD
        assert proxy.up.bytes == len(PAYLOAD)
        assert proxy.down.bytes == len(PAYLOAD)
        assert proxy.faults == {}


def test_drop_cuts_the_connection_before_the_end(echo_port):
    plan = FaultPlan(fault_probability=1.0, kinds=("drop",), fault_window=50_000)
    with FaultProxy(("127.0.0.1", echo_port), plan, seed=3) as proxy:
        received = _round_trip(proxy.port, PAYLOAD)
        assert len(received) < len(PAYLOAD)
        assert received == PAYLOAD[: len(received)]
        assert proxy.faults == {"drop": 1}


def test_each_corruption_flips_one_bit(echo_port):
    plan = FaultPlan(fault_probability=1.0, kinds=("corrupt",))
    with FaultProxy(("127.0.0.1", echo_port), plan, seed=5) as proxy:
        received = _round_trip(proxy.port, PAYLOAD)
        assert len(received) == len(PAYLOAD)
        flipped = sum(bin(a ^ b).count("1") for a, b in zip(received, PAYLOAD, strict=True))
        assert set(proxy.faults) == {"corrupt"}
        assert 1 <= flipped <= proxy.faults["corrupt"]


def test_stall_delays_but_keeps_the_bytes(echo_port):
    plan = FaultPlan(fault_probability=1.0, kinds=("stall",), stall_seconds=0.05)
    with FaultProxy(("127.0.0.1", echo_port), plan, seed=7) as proxy:
        assert _round_trip(proxy.port, PAYLOAD) == PAYLOAD
        assert set(proxy.faults) == {"stall"} and proxy.faults["stall"] >= 2


def test_refusing_proxy_closes_at_once_and_reconnect_is_measured(echo_port):
    with FaultProxy(("127.0.0.1", echo_port), FaultPlan(refuse=True)) as proxy:
        assert _round_trip(proxy.port, b"hello") == b""
        assert proxy.connections == 0
        proxy.set_plan(FaultPlan())
        assert _round_trip(proxy.port, b"hello") == b"hello"
        assert proxy.first_byte_after_reconnect is not None


def test_cut_all_aborts_open_connections(echo_port):
    with FaultProxy(("127.0.0.1", echo_port)) as proxy:
        sock = socket.create_connection(("127.0.0.1", proxy.port), timeout=10)
        with sock:
            sock.sendall(b"ping")
            assert sock.recv(4) == b"ping"
            proxy.cut_all()
            with contextlib.suppress(ConnectionResetError):
                assert sock.recv(4) == b""


def test_same_seed_draws_the_same_faults(echo_port):
    plan = FaultPlan(fault_probability=0.6, fault_window=20_000, stall_seconds=0.01)
    counts = []
    for _ in range(2):
        with FaultProxy(("127.0.0.1", echo_port), plan, seed=11) as proxy:
            for _ in range(12):
                _round_trip(proxy.port, PAYLOAD[:30_000])
            counts.append(proxy.faults)
    assert counts[0] == counts[1]
    assert sum(counts[0].values()) > 0


def test_link_serialises_bytes_at_its_bandwidth():
    async def occupy_twice() -> tuple[float, float, float]:
        link = Link()
        start = asyncio.get_running_loop().time()
        first = link.occupy(32_000, 256_000)
        second = link.occupy(32_000, 256_000)
        return start, first, second

    start, first, second = asyncio.run(occupy_twice())
    assert first - start == pytest.approx(1.0, abs=0.05)
    assert second - first == pytest.approx(1.0, abs=1e-9)
