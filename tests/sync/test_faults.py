"""Over a link that cuts, corrupts and stalls over a thousand times, nothing is lost or doubled."""

from __future__ import annotations

import hashlib
import random

import httpx

from sync.backoff import Backoff
from sync.chunking import KIB, ChunkPolicy
from sync.faultproxy import FaultPlan, FaultProxy
from sync.runner import sync_until_done

FAULTS_WANTED = 1000
PLAN = FaultPlan(
    fault_probability=0.6,
    kinds=("drop", "drop", "corrupt", "corrupt", "stall"),
    fault_window=6 * KIB,
    stall_seconds=0.03,
)


def _assert_server_holds_exactly(city, device, kit) -> None:
    local = {}
    for summary in device.session.dossiers.list(limit=10_000).items:
        for event in device.session.dossiers.events(summary.id):
            local[event.id] = event
    stored = kit.server_events(city)
    assert set(stored) == set(local), "lost or extra events"
    assert all(stored[i].to_json() == local[i].to_json() for i in local), "altered events"
    for event in local.values():
        for part in event.payload.get("components", []):
            for page in part["pages"]:
                data = city.context.blobs.read(page["sha256"])
                assert hashlib.sha256(data).hexdigest() == page["sha256"]
    assert device.session.outbox.quarantined() == []
    assert device.session.outbox.pending_events() == []
    assert device.session.outbox.pending_blobs() == []


def test_a_thousand_faults_lose_and_double_nothing(city, tmp_path, kit):
    device = kit.enrol_device(city, tmp_path / "device")
    rng = random.Random(2026)
    target = ("127.0.0.1", int(city.base_url.rsplit(":", 1)[1]))
    with FaultProxy(target, PLAN, seed=7) as proxy:
        http = device.http(proxy.url, timeout=httpx.Timeout(0.4))
        engine = device.engine(http, policy=ChunkPolicy(initial=4 * KIB, minimum=2 * KIB))
        seed = 0
        while sum(proxy.faults.values()) < FAULTS_WANTED:
            for _ in range(12):
                seed += 1
                event = kit.receive(device, seed, pages=2, size=rng.randrange(2000, 9000))
                if rng.random() < 0.5:
                    kit.edit(device, event.dossier_id, {"applicant.phone": f"09{seed:08d}"})
            sync_until_done(engine, backoff=Backoff(base=0.005, cap=0.05, rng=rng))
        http.close()
    faults = proxy.faults
    assert sum(faults.values()) >= FAULTS_WANTED
    assert min(faults["drop"], faults["corrupt"], faults["stall"]) > 100, faults
    _assert_server_holds_exactly(city, device, kit)
    device.close()
