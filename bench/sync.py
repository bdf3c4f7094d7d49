"""Sync over a 256 kbit/s, 300 ms link: the engine against the naive one-POST-per-dossier way.

Prints goodput as a share of link capacity, bytes on the wire per payload byte, bytes re-sent
after a cut at a random point, and the time from reconnect to the first byte sent. Pages are real
scan-pipeline output (synthetic photos through ``scan.process_photo``), cached under
``var/bench/sync-pages`` because making them takes a while. ``--quick`` runs a small workload.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import random
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

# Run as a script, this folder comes first on sys.path and bench/server.py would shadow the
# server package; the repository root must come first.
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import httpx  # noqa: E402
import uvicorn  # noqa: E402
from starlette.applications import Starlette  # noqa: E402
from starlette.requests import ClientDisconnect, Request  # noqa: E402
from starlette.responses import Response  # noqa: E402
from starlette.routing import Route  # noqa: E402

from scan.pipeline import process_photo  # noqa: E402
from scan.synthetic import Scene, draw_form, photograph  # noqa: E402
from server.testing import running_server  # noqa: E402
from sync.backoff import Backoff  # noqa: E402
from sync.chunking import ChunkPolicy  # noqa: E402
from sync.client import SyncClient  # noqa: E402
from sync.errors import SyncError  # noqa: E402
from sync.faultproxy import FaultPlan, FaultProxy  # noqa: E402
from sync.runner import run_scheduled, sync_until_done  # noqa: E402
from sync.runtime import DeviceRuntime  # noqa: E402
from sync.scheduler import SyncScheduler  # noqa: E402
from sync.state import SyncState  # noqa: E402
from sync.tus import TusUploader  # noqa: E402

sys.path.insert(1, str(REPO / "bench"))
from sync_soak import PIN, TEST_KDF_COST, receive_pages  # noqa: E402

LINK = FaultPlan(bits_per_second=256_000, rtt_seconds=0.3)
CAPACITY = LINK.bits_per_second / 8
PAGES_PER_DOSSIER = 5
CACHE = REPO / "var" / "bench" / "sync-pages"
# A 7.7 MP photo, like the scan tests: enough for a true 200 dpi A4 page.
FRAME = (2400, 3200)
CUT_BLOB = 512 * 1024
# The same link, cut at a random byte every 150 KiB or so: a village 2G cell.
CUTTING = replace(LINK, fault_probability=1.0, kinds=("drop",), fault_window=300 * 1024)
CUT_DOSSIERS = 10


def real_pages(count: int) -> list[bytes]:
    """Return `count` distinct real pages, making (and caching) the ones not made yet."""
    CACHE.mkdir(parents=True, exist_ok=True)
    page, text = draw_form(200, "form")
    pages = []
    for index in range(count):
        cached = CACHE / f"{index:04d}.page"
        if not cached.exists():
            scene = Scene(frame=FRAME, seed=index, rotation=(index % 7) - 3)
            cached.write_bytes(process_photo(photograph(page, text, scene).data).image)
        pages.append(cached.read_bytes())
    return pages


class _Sink:
    """A plain HTTP endpoint that takes one whole dossier per POST (the naive baseline)."""

    def __init__(self) -> None:
        self.app = Starlette(routes=[Route("/naive", self.receive, methods=["POST"])])

    async def receive(self, request: Request) -> Response:
        try:
            await request.body()
        except ClientDisconnect:
            return Response(status_code=400)
        return Response(status_code=201)


def _serve(app) -> tuple[uvicorn.Server, threading.Thread, int]:
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    return server, thread, server.servers[0].sockets[0].getsockname()[1]


def _port(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


def engine_run(
    city, workdir: Path, dossiers: list[list[bytes]], plan: FaultPlan = LINK
) -> dict[str, float]:
    """Sync every dossier through the link of `plan` until all is sent; return the figures."""
    with httpx.Client(base_url=city.base_url, timeout=10) as http:
        device = DeviceRuntime.enrol(
            workdir,
            http,
            city.admin.enrolment_code("11311"),
            PIN,
            officer_name="Lê Thị Hoa",
            kdf_cost=TEST_KDF_COST,
        )
    events = [receive_pages(device, pages) for pages in dossiers]
    payload = sum(map(len, (p for pages in dossiers for p in pages)))
    payload += sum(len(event.to_json()) for event in events)
    with FaultProxy(("127.0.0.1", _port(city.base_url)), plan, seed=3) as proxy:
        with device.http(proxy.url) as http:
            started = time.monotonic()
            sync_until_done(device.engine(http), backoff=Backoff(base=0.2, cap=2.0))
            seconds = time.monotonic() - started
        wire = proxy.up.bytes
    device.close()
    return {"payload": payload, "seconds": seconds, "wire": wire}


def naive_run(
    dossiers: list[list[bytes]], events_json: int, plan: FaultPlan = LINK
) -> dict[str, float]:
    """Send each dossier as one multipart POST, restarted on failure; return the figures."""
    server, thread, port = _serve(_Sink().app)
    payload = sum(map(len, (p for pages in dossiers for p in pages))) + events_json
    per_event = events_json // len(dossiers)
    with FaultProxy(("127.0.0.1", port), plan, seed=3) as proxy:
        with httpx.Client(base_url=proxy.url, timeout=120) as http:
            started = time.monotonic()
            for pages in dossiers:
                files = {"event": ("event.json", b"{" + b" " * per_event + b"}")}
                files.update({f"page{i}": (f"page{i}.pdf", p) for i, p in enumerate(pages)})
                while True:
                    try:
                        http.post("/naive", files=files).raise_for_status()
                        break
                    except httpx.HTTPError:
                        time.sleep(0.2)
            seconds = time.monotonic() - started
        wire = proxy.up.bytes
    server.should_exit = True
    thread.join(timeout=10)
    return {"payload": payload, "seconds": seconds, "wire": wire}


def cut_resend(city, workdir: Path, seed: int) -> tuple[int, int, int]:
    """Cut a large upload at a random byte, resume it; return re-sent bytes, chunk size, naive."""
    rng = random.Random(seed)
    blob = rng.randbytes(CUT_BLOB)
    sha = hashlib.sha256(blob).hexdigest()
    with httpx.Client(base_url=city.base_url, timeout=10) as http:
        device = DeviceRuntime.enrol(
            workdir / "cut", http, city.admin.enrolment_code("11311"), PIN,
            officer_name="Lê Thị Hoa", kdf_cost=TEST_KDF_COST,
        )  # fmt: skip
    cut_at = rng.randrange(CUT_BLOB)
    sent: list[int] = []
    plan = FaultPlan(fault_probability=1.0, kinds=("drop",), fault_window=CUT_BLOB)
    fast = FaultPlan(bits_per_second=8_000_000)
    with FaultProxy(("127.0.0.1", _port(city.base_url)), fast, seed=seed) as proxy:
        http = device.http(proxy.url)
        http.event_hooks["request"].append(lambda request: sent.append(len(request.content)))
        state = SyncState.open(workdir / "cut")
        policy = ChunkPolicy(initial=64 * 1024, target_seconds=15)
        uploader = TusUploader(SyncClient(http), state, policy=policy)
        # The first cut comes at a random byte of the upload, drawn by the proxy's generator.
        proxy.set_plan(replace(plan, fault_window=cut_at + 1))
        with contextlib.suppress(SyncError):
            uploader.upload(sha, blob)
        chunk = policy.size
        proxy.set_plan(fast)
        uploader.upload(sha, blob)
        http.close()
        state.close()
    device.close()
    assert city.context.blobs.has(sha)
    # The naive way restarts the whole request: every byte sent before the cut goes again.
    return sum(sent) - CUT_BLOB, chunk, min(cut_at, CUT_BLOB)


def reconnect_delay(city, workdir: Path) -> float:
    """Go offline with work queued, come back; return seconds from reconnect to first byte."""
    with httpx.Client(base_url=city.base_url, timeout=10) as http:
        device = DeviceRuntime.enrol(
            workdir / "reconnect", http, city.admin.enrolment_code("11311"), PIN,
            officer_name="Lê Thị Hoa", kdf_cost=TEST_KDF_COST,
        )  # fmt: skip
    receive_pages(device, [random.Random(5).randbytes(20_000)])
    stop, wake, lock = threading.Event(), threading.Event(), threading.Lock()
    with FaultProxy(("127.0.0.1", _port(city.base_url)), FaultPlan(refuse=True)) as proxy:
        scheduler = SyncScheduler(interval=3600, backoff=Backoff(), now=time.monotonic())
        scheduler.connectivity_changed(False, time.monotonic())
        http = device.http(proxy.url, timeout=5)
        loop = threading.Thread(
            target=run_scheduled,
            args=(device.engine(http), scheduler),
            kwargs={"stop": stop, "wake": wake, "lock": lock, "on_run": lambda _: stop.set()},
        )
        loop.start()
        time.sleep(1.0)
        proxy.set_plan(LINK)
        with lock:
            scheduler.connectivity_changed(True, time.monotonic())
        wake.set()
        loop.join(timeout=60)
        stop.set()
        http.close()
        delay = proxy.first_byte_after_reconnect
    device.close()
    return delay if delay is not None else float("nan")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures; the last line sums them up."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="4 dossiers instead of 100")
    parser.add_argument("--dossiers", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    count = 4 if args.quick else args.dossiers
    pages = real_pages(count * PAGES_PER_DOSSIER)
    dossiers = [pages[i : i + PAGES_PER_DOSSIER] for i in range(0, len(pages), PAGES_PER_DOSSIER)]
    kib = sum(map(len, pages)) / 1024
    print(f"workload: {count} dossiers x {PAGES_PER_DOSSIER} real pages, {kib:.0f} KiB of pages;"
          " link 256 kbit/s, RTT 300 ms")  # fmt: skip
    runs = {}
    with tempfile.TemporaryDirectory(prefix="sohoa-bench-") as tmp:
        work = Path(tmp)
        for name, plan, subset in (
            ("clean", LINK, dossiers),
            ("cut", CUTTING, dossiers[:CUT_DOSSIERS]),
        ):
            # A fresh city each time: it must not hold the pages already.
            with running_server(work / f"city-{name}") as city:
                ours = engine_run(city, work / f"engine-{name}", subset, plan)
            events_json = ours["payload"] - sum(map(len, (p for d in subset for p in d)))
            runs[name] = (ours, naive_run(subset, events_json, plan))
        with running_server(work / "city") as city:
            resent, chunk, naive_resent = cut_resend(city, work, args.seed)
            reconnect = reconnect_delay(city, work)
    figures = {}
    for link, (ours, naive) in runs.items():
        for name, run in (("engine", ours), ("naive", naive)):
            share = run["payload"] / run["seconds"] / CAPACITY
            ratio = run["wire"] / run["payload"]
            figures[link, name] = (share, ratio)
            print(f"{link:>5} link, {name:>6}: {run['payload'] / 1024:.0f} KiB payload in "
                  f"{run['seconds']:.1f} s, goodput {share:.1%} of link, wire/payload "
                  f"{ratio:.3f}")  # fmt: skip
    print(f"cut at a random byte of a {CUT_BLOB // 1024} KiB upload: engine re-sent {resent} B "
          f"(chunk {chunk} B), naive re-sends {naive_resent} B")  # fmt: skip
    print(f"reconnect to first byte: {reconnect * 1000:.0f} ms")
    share, ratio = figures["clean", "engine"]
    naive_share, naive_ratio = figures["clean", "naive"]
    cut_share, naive_cut_share = figures["cut", "engine"][0], figures["cut", "naive"][0]
    print(
        f"sync: goodput {share:.1%} (naive {naive_share:.1%}, target >= 90%), wire/payload "
        f"{ratio:.3f} (naive {naive_ratio:.3f}, target <= 1.05), with cuts {cut_share:.1%} "
        f"(naive {naive_cut_share:.1%}), re-sent after cut {resent} B <= chunk {chunk} B: "
        f"{'yes' if resent <= chunk else 'NO'}, reconnect->first byte {reconnect * 1000:.0f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
