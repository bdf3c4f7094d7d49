"""The kill-and-fault soak: a device process and a city server process, SIGKILLed mid-transfer.

Shared by the CI fault test (short) and ``bench/sync_soak.py`` (10,000 faults). Both processes
are real ``sohoa`` commands; between them sits the fault proxy. Afterwards the server must hold
exactly the device's events and every page must match its hash.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

# Run as a script, this folder comes first on sys.path and bench/server.py would shadow the
# server package; the repository root must come first.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx  # noqa: E402
from sqlalchemy import text  # noqa: E402

from core.events import Event, EventType, make_event  # noqa: E402
from core.ids import new_id  # noqa: E402
from server.devices import create_enrolment_code  # noqa: E402
from server.main import build_context  # noqa: E402
from server.settings import ServerSettings  # noqa: E402
from sync.backoff import Backoff  # noqa: E402
from sync.faultproxy import FaultPlan, FaultProxy  # noqa: E402
from sync.receive import issue_code  # noqa: E402
from sync.runner import sync_until_done  # noqa: E402
from sync.runtime import DeviceRuntime  # noqa: E402

__all__ = ["PIN", "CityProcess", "SoakResult", "receive_pages", "run_soak"]

REPO = Path(__file__).resolve().parent.parent
PIN = "20251231"
TEST_KDF_COST = 1 << 10
FINISH_TIMEOUT_SECONDS = 300
START_TIMEOUT_SECONDS = 30
SUMMED = ("device_kills", "server_kills", "device_events", "server_events", "lost", "duplicated")
SUMMED += ("extra", "pages", "bad_pages", "seconds")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _sohoa(*args: str, log: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    with log.open("ab") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "cli", *args],
            cwd=REPO,
            env={**os.environ, **(env or {})},
            stdout=output,
            stderr=subprocess.STDOUT,
        )


class CityProcess:
    """``sohoa server`` in a child process on a free loopback port, that can be killed."""

    def __init__(self, workdir: Path):
        workdir.mkdir(parents=True, exist_ok=True)
        self.settings = ServerSettings(
            db_url=f"sqlite:///{workdir / 'city.db'}",
            blobs_dir=workdir / "blobs",
            keys_dir=workdir / "keys",
            uploads_dir=workdir / "uploads",
        )
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = workdir / "server.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        """Start the server and wait until it answers its health probe."""
        s = self.settings
        self.process = _sohoa(
            "server", "--db", s.db_url, "--blobs", str(s.blobs_dir), "--keys", str(s.keys_dir),
            "--uploads", str(s.uploads_dir), "--port", str(self.port), "--log-level", "warning",
            log=self.log,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.05)
        raise RuntimeError("the city server process did not start")

    def kill(self) -> None:
        """SIGKILL the server, as a power cut would."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()


def receive_pages(device: DeviceRuntime, blobs: list[bytes]) -> Event:
    """Store a received dossier whose one component holds the page `blobs`; return its event."""
    refs = [
        {"sha256": hashlib.sha256(blob).hexdigest(), "media_type": "image/jpeg", "mode": "gray",
         "dpi": 200, "bytes": len(blob)}
        for blob in blobs
    ]  # fmt: skip
    payload = {
        "code": issue_code(device, date(2026, 3, 2)), "procedure_code": "2.000815",
        "catalogue_version": "2025.2",
        "applicant": {"cccd": "031203004567", "name": "Nguyễn Văn An", "birth_date": None,
                      "gender": None, "phone": "", "address": "Hải Phòng"},
        "channel": "counter", "receiving_unit": device.identity.unit_code,
        "competent_unit": device.identity.unit_code, "return_method": "counter",
        "return_address": None, "received_at": "2026-03-02T09:15:00+07:00",
        "due_at": "2026-03-05T09:15:00+07:00",
        "components": [{"component_id": "ban_chinh", "pages": refs}], "fee_vnd": 0,
    }  # fmt: skip
    clock = device.hybrid_clock()
    event = make_event(
        new_id(), EventType.RECEIVED, payload, clock=clock,
        device_id=device.identity.device_id, officer_id=device.session.officer_id,
        unit_code=device.identity.unit_code,
    )  # fmt: skip
    device.session.dossiers.save(
        [event], {r["sha256"]: b for r, b in zip(refs, blobs, strict=True)}
    )
    device.remember(clock)
    return event


@dataclass
class SoakResult:
    """What a soak did and what it found."""

    faults: Counter = field(default_factory=Counter)
    device_kills: int = 0
    server_kills: int = 0
    device_events: int = 0
    server_events: int = 0
    lost: int = 0
    duplicated: int = 0
    extra: int = 0
    pages: int = 0
    bad_pages: int = 0
    seconds: float = 0.0

    @property
    def total_faults(self) -> int:
        """Injected link faults plus process kills."""
        return sum(self.faults.values()) + self.device_kills + self.server_kills


def _enrol(city: CityProcess, data_dir: Path) -> DeviceRuntime:
    context = build_context(city.settings)
    with context.db.write() as conn:
        code = create_enrolment_code(conn, "11311", 3600)
    context.db.dispose()
    with httpx.Client(base_url=city.url, timeout=10) as http:
        return DeviceRuntime.enrol(
            data_dir, http, code, PIN, officer_name="Lê Thị Hoa", kdf_cost=TEST_KDF_COST
        )


def _check(city: CityProcess, data_dir: Path, result: SoakResult) -> None:
    device = DeviceRuntime.open(data_dir, PIN)
    local: dict[str, Event] = {}
    for summary in device.session.dossiers.list(limit=1_000_000).items:
        for event in device.session.dossiers.events(summary.id):
            local[event.id] = event
    device.close()
    context = build_context(city.settings)
    with context.db.read() as conn:
        rows = conn.execute(text("SELECT id, body FROM events")).all()
    ids = [row.id for row in rows]
    result.device_events, result.server_events = len(local), len(ids)
    result.duplicated = len(ids) - len(set(ids))
    result.lost = len(set(local) - set(ids))
    result.extra = len(set(ids) - set(local))
    result.lost += sum(
        1 for row in rows if row.id in local and json.loads(row.body) != local[row.id].to_wire()
    )
    for event in local.values():
        for part in event.payload.get("components", []):
            for page in part["pages"]:
                result.pages += 1
                if not context.blobs.has(page["sha256"]) or (
                    hashlib.sha256(context.blobs.read(page["sha256"])).hexdigest() != page["sha256"]
                ):
                    result.bad_pages += 1
    context.db.dispose()


def run_soak(
    workdir: Path,
    *,
    plan: FaultPlan,
    rounds: int,
    dossiers_per_round: int,
    page_size: int,
    device_kills_per_round: int,
    server_kill_every: int,
    seed: int,
) -> SoakResult:
    """Run `rounds` of: queue dossiers, sync in child processes killed mid-transfer, finish.

    Every `server_kill_every`-th device run also kills and restarts the server meanwhile.
    """
    rng = random.Random(seed)
    result = SoakResult()
    started = time.monotonic()
    workdir.mkdir(parents=True, exist_ok=True)
    log = workdir / "device.log"
    city = CityProcess(workdir / "city")
    city.start()
    data_dir = workdir / "device"
    device = _enrol(city, data_dir)
    device.close()
    attempts = 0
    try:
        with FaultProxy(("127.0.0.1", city.port), plan, seed=seed) as proxy:
            sync = ("device", "sync", "--once", "--data", str(data_dir), "--server", proxy.url,
                    "--timeout", "2", "--retry", "0.02", "--give-up", "120")  # fmt: skip
            for _ in range(rounds):
                device = DeviceRuntime.open(data_dir, PIN)
                for _ in range(dossiers_per_round):
                    receive_pages(device, [rng.randbytes(page_size) for _ in range(2)])
                device.close()
                for _ in range(device_kills_per_round):
                    attempts += 1
                    sent_before = proxy.up.bytes
                    child = _sohoa(*sync, log=log, env={"SOHOA_PIN": PIN})
                    try:
                        # Kill mid-transfer: once the child's bytes flow, at a random moment.
                        deadline = time.monotonic() + START_TIMEOUT_SECONDS
                        while proxy.up.bytes == sent_before and child.poll() is None:
                            if time.monotonic() > deadline:
                                break
                            time.sleep(0.02)
                        time.sleep(rng.uniform(0.05, 1.0))
                        if server_kill_every and attempts % server_kill_every == 0:
                            city.kill()
                            result.server_kills += 1
                            city.start()
                        if child.poll() is None:
                            result.device_kills += 1
                    finally:
                        if child.poll() is None:
                            child.send_signal(signal.SIGKILL)
                        child.wait()
                # The rest of the transfer runs in this process (no start-up cost per retry),
                # over the same faulty link, to the same killed-and-restarted server.
                device = DeviceRuntime.open(data_dir, PIN)
                with device.http(proxy.url, timeout=httpx.Timeout(2.0)) as http:
                    sync_until_done(
                        device.engine(http),
                        backoff=Backoff(base=0.01, cap=0.1, rng=rng),
                        deadline=time.monotonic() + FINISH_TIMEOUT_SECONDS,
                    )
                device.close()
            result.faults = proxy.faults
    finally:
        city.kill()
    _check(city, data_dir, result)
    result.seconds = time.monotonic() - started
    return result


def main(argv: list[str] | None = None) -> int:
    """Run the soak and print what it found; the last line sums it up."""
    import argparse
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a short run (about a minute)")
    parser.add_argument("--faults", type=int, default=10_000, help="faults to inject at least")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    wanted = 300 if args.quick else args.faults
    plan = FaultPlan(
        fault_probability=0.6,
        kinds=("drop", "drop", "corrupt", "corrupt", "stall"),
        fault_window=6 * 1024,
        stall_seconds=0.08,
    )
    totals = SoakResult()
    with tempfile.TemporaryDirectory(prefix="sohoa-soak-") as tmp:
        round_number = 0
        while totals.total_faults < wanted:
            round_number += 1
            result = run_soak(
                Path(tmp) / f"run{round_number}",
                plan=plan,
                rounds=3,
                dossiers_per_round=40,
                page_size=6000,
                device_kills_per_round=3,
                server_kill_every=4,
                seed=args.seed + round_number,
            )
            print(
                f"run {round_number}: faults {dict(result.faults)} device kills "
                f"{result.device_kills} server kills {result.server_kills} events "
                f"{result.device_events}/{result.server_events} lost {result.lost} duplicated "
                f"{result.duplicated} extra {result.extra} bad pages {result.bad_pages}/"
                f"{result.pages} in {result.seconds:.0f}s",
                flush=True,
            )
            totals.faults.update(result.faults)
            for name in SUMMED:
                setattr(totals, name, getattr(totals, name) + getattr(result, name))
    ok = totals.lost == totals.duplicated == totals.extra == totals.bad_pages == 0
    print(
        f"soak: {totals.total_faults} faults ({sum(totals.faults.values())} link, "
        f"{totals.device_kills} device kills, {totals.server_kills} server kills), "
        f"{totals.device_events} events, {totals.pages} pages: lost {totals.lost}, duplicated "
        f"{totals.duplicated}, bad pages {totals.bad_pages} — {'OK' if ok else 'FAILED'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
