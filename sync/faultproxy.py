"""A TCP proxy on loopback that makes a link as bad as a 2G island: slow, laggy, cut, corrupted.

The proxy runs its own asyncio loop in a thread, so plain synchronous tests and the bench can put
it between a device and a real server. Every fault is drawn from a seeded random generator, so a
failing run can be replayed exactly.
"""

from __future__ import annotations

import asyncio
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

__all__ = ["FaultPlan", "FaultProxy", "Link"]

READ_SIZE = 4096
FAULT_KINDS = ("drop", "stall", "corrupt")


@dataclass(frozen=True)
class FaultPlan:
    """What the link does: bandwidth, round trip, and how often a connection meets a fault.

    In each direction of each connection, a byte position is drawn uniformly within the next
    `fault_window` bytes; when the traffic reaches it, a fault of a kind drawn from `kinds`
    strikes with probability `fault_probability`, and the next position is drawn.
    """

    bits_per_second: int | None = None
    rtt_seconds: float = 0.0
    fault_probability: float = 0.0
    kinds: tuple[str, ...] = FAULT_KINDS
    fault_window: int = 64 * 1024
    stall_seconds: float = 1.0
    refuse: bool = False


@dataclass
class Link:
    """One direction of the shared link: bytes take turns on it, as on a real modem."""

    busy_until: float = 0.0
    bytes: int = 0

    def occupy(self, nbytes: int, bits_per_second: int | None) -> float:
        """Reserve the link for `nbytes` and return the loop time when they are fully sent."""
        self.bytes += nbytes
        now = asyncio.get_running_loop().time()
        if bits_per_second is None:
            return now
        start = max(now, self.busy_until)
        self.busy_until = start + nbytes * 8 / bits_per_second
        return self.busy_until


@dataclass
class _Stats:
    connections: int = 0
    faults: Counter = field(default_factory=Counter)
    first_byte_after_reconnect: float | None = None


class FaultProxy:
    """Forward 127.0.0.1:`port` to `target`, through the faults of `plan`.

    ::

        with FaultProxy(("127.0.0.1", server_port), FaultPlan(bits_per_second=256_000,
                        rtt_seconds=0.3, fault_probability=0.5), seed=1) as proxy:
            client = httpx.Client(base_url=proxy.url)
            ...
            proxy.faults      # Counter({"drop": 12, "corrupt": 9, "stall": 10})
    """

    def __init__(self, target: tuple[str, int], plan: FaultPlan | None = None, *, seed: int = 0):
        self.target = target
        self.plan = plan or FaultPlan()
        self.up = Link()
        self.down = Link()
        self._rng = random.Random(seed)
        self._stats = _Stats()
        self._loop = asyncio.new_event_loop()
        self._writers: set[asyncio.StreamWriter] = set()
        self._server: asyncio.Server | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._reconnected_at: float | None = None
        self.port = 0

    @property
    def url(self) -> str:
        """The http URL that reaches the target through the proxy."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def faults(self) -> Counter:
        """How many faults of each kind the proxy has injected so far."""
        return Counter(self._stats.faults)

    @property
    def connections(self) -> int:
        """How many connections the proxy has accepted so far."""
        return self._stats.connections

    @property
    def first_byte_after_reconnect(self) -> float | None:
        """Seconds from the last `set_plan(refuse=False)` to the next byte sent upstream."""
        return self._stats.first_byte_after_reconnect

    def start(self) -> FaultProxy:
        """Start listening on a free loopback port."""
        self._thread.start()
        future = asyncio.run_coroutine_threadsafe(self._listen(), self._loop)
        self.port = future.result(timeout=10)
        return self

    def stop(self) -> None:
        """Close every connection and stop the proxy thread."""
        asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def set_plan(self, plan: FaultPlan) -> None:
        """Change the link for new connections; going from refusing to accepting is a reconnect."""
        if self.plan.refuse and not plan.refuse:
            self._reconnected_at = time.monotonic()
            self._stats.first_byte_after_reconnect = None
        self.plan = plan

    def cut_all(self) -> None:
        """Cut every open connection now, as when the tablet walks out of Wi-Fi range."""
        self._loop.call_soon_threadsafe(self._abort_all)

    def _abort_all(self) -> None:
        for writer in list(self._writers):
            writer.transport.abort()

    async def _listen(self) -> int:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        return self._server.sockets[0].getsockname()[1]

    async def _shutdown(self) -> None:
        if self._server is not None:
            self._server.close()
        self._abort_all()
        # Aborted connections end their handlers; cancelling a handler instead would make
        # asyncio log its CancelledError.
        others = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        if others:
            _, stuck = await asyncio.wait(others, timeout=2)
            for task in stuck:
                task.cancel()
            await asyncio.gather(*stuck, return_exceptions=True)

    async def _handle(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter):
        self._writers.add(client_w)
        if self.plan.refuse:
            client_w.transport.abort()
            self._writers.discard(client_w)
            return
        self._stats.connections += 1
        try:
            server_r, server_w = await asyncio.open_connection(*self.target)
        except OSError:
            client_w.transport.abort()
            self._writers.discard(client_w)
            return
        self._writers.add(server_w)
        seed = self._rng.getrandbits(64)
        pair = (client_w, server_w)
        await asyncio.gather(
            self._pump(client_r, server_w, self.up, random.Random(seed), pair),
            self._pump(server_r, client_w, self.down, random.Random(seed + 1), pair),
            return_exceptions=True,
        )
        for writer in pair:
            writer.transport.abort()
            self._writers.discard(writer)

    async def _pump(self, reader, writer, link: Link, rng: random.Random, pair) -> None:
        loop = asyncio.get_running_loop()
        latency = self.plan.rtt_seconds / 2
        queue: asyncio.Queue[tuple[float, bytes] | None] = asyncio.Queue()
        deliver = asyncio.ensure_future(self._deliver(queue, writer))
        seen = 0
        strike_at = rng.randrange(self.plan.fault_window)
        try:
            while data := await reader.read(READ_SIZE):
                while seen <= strike_at < seen + len(data):
                    if self.plan.kinds and rng.random() < self.plan.fault_probability:
                        data = await self._inject(rng, data, strike_at - seen, pair)
                        if data is None:
                            return
                    strike_at += 1 + rng.randrange(self.plan.fault_window)
                seen += len(data)
                if link is self.up and self._reconnected_at is not None:
                    self._stats.first_byte_after_reconnect = time.monotonic() - self._reconnected_at
                    self._reconnected_at = None
                done = link.occupy(len(data), self.plan.bits_per_second)
                if done > loop.time():
                    await asyncio.sleep(done - loop.time())
                await queue.put((loop.time() + latency, data))
            await queue.put(None)
            await deliver
        finally:
            deliver.cancel()

    async def _inject(self, rng: random.Random, data: bytes, offset: int, pair) -> bytes | None:
        kind = rng.choice(self.plan.kinds)
        self._stats.faults[kind] += 1
        if kind == "drop":
            for writer in pair:
                writer.transport.abort()
            return None
        if kind == "stall":
            await asyncio.sleep(self.plan.stall_seconds)
            return data
        flipped = bytearray(data)
        flipped[offset] ^= 1 << rng.randrange(8)
        return bytes(flipped)

    @staticmethod
    async def _deliver(queue: asyncio.Queue, writer: asyncio.StreamWriter) -> None:
        loop = asyncio.get_running_loop()
        while (item := await queue.get()) is not None:
            deliver_at, data = item
            if deliver_at > loop.time():
                await asyncio.sleep(deliver_at - loop.time())
            writer.write(data)
            await writer.drain()
        if writer.can_write_eof():
            writer.write_eof()
