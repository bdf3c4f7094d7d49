"""Benchmark the city server over loopback: ingest rate, change-feed latency, blob uploads.

    .venv/bin/python bench/server.py [--quick] [--pg postgresql://postgres@127.0.0.1:5432/test]

Starts ``sohoa server`` in its own process (so the load generator does not share its GIL) and
prints events/s ingested in signed batches on SQLite (and PostgreSQL when a DSN is given or
SOHOA_TEST_PG_DSN is set), feed-poll latency with 200 devices polling, and tus upload MB/s.
The last line sums everything up.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import create_engine, text

# This script is bench/server.py: its folder comes first on sys.path and would shadow the
# `server` package, so the repository root takes its place.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

from core.clock import HybridClock  # noqa: E402
from core.codes import CodeIssuer, CodeSpaceExhausted  # noqa: E402
from core.events import EventType, make_event  # noqa: E402
from core.ids import new_id  # noqa: E402
from core.units import load_units  # noqa: E402
from server.settings import normalise_db_url  # noqa: E402
from sync.signing import ServerClock, SigningAuth  # noqa: E402

UNIT, RESIDENCE = "11311", "11533"
TUS = {"Tus-Resumable": "1.0.0"}


class Server:
    """A ``sohoa server`` process on a free loopback port, with an admin client."""

    def __init__(self, base_url: str, admin: httpx.Client):
        self.base_url, self.admin = base_url, admin

    def enrolment_code(self, unit_code: str) -> str:
        """Ask the admin API for a one-time enrolment code."""
        answer = self.admin.post("/v1/admin/enrolment-codes", json={"unit_code": unit_code})
        return answer.json()["code"]


@contextmanager
def server_process(db_url: str) -> Iterator[Server]:
    """Run ``sohoa server`` on `db_url` with files in a temp directory."""
    with tempfile.TemporaryDirectory() as tmp, socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        probe.close()
        storage = [
            "--db",
            db_url,
            "--blobs",
            f"{tmp}/blobs",
            "--keys",
            f"{tmp}/keys",
            "--uploads",
            f"{tmp}/uploads",
        ]
        cli = [sys.executable, "-m", "cli"]
        env = {**os.environ, "SOHOA_PASSWORD": "bench-password"}
        subprocess.run(
            [*cli, "staff", "add", "bench", "--role", "admin", *storage],
            check=True,
            env=env,
            capture_output=True,
        )
        process = subprocess.Popen(
            [*cli, "server", "--port", str(port), "--log-level", "warning", *storage],
            stderr=subprocess.DEVNULL,
        )
        base_url = f"http://127.0.0.1:{port}"
        try:
            while True:
                try:
                    httpx.get(f"{base_url}/readyz").raise_for_status()
                    break
                except httpx.HTTPError:
                    assert process.poll() is None, "the server did not start"
                    time.sleep(0.1)
            token = httpx.post(
                f"{base_url}/v1/auth/login",
                json={"username": "bench", "password": "bench-password"},
            )
            headers = {"Authorization": f"Bearer {token.json()['token']}"}
            with httpx.Client(base_url=base_url, headers=headers, timeout=60) as admin:
                yield Server(base_url, admin)
        finally:
            process.terminate()
            process.wait(timeout=30)


class BenchDevice:
    """An enrolled device with a signing client."""

    def __init__(self, server: Server, unit_code: str = UNIT):
        self.key = Ed25519PrivateKey.generate()
        public = self.key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        answer = httpx.post(
            f"{server.base_url}/v1/enrol",
            json={
                "code": server.enrolment_code(unit_code),
                "public_key": base64.b64encode(public).decode(),
            },
        ).json()
        self.id, self.unit_code = answer["device_id"], unit_code
        auth = SigningAuth(self.key, self.id, ServerClock())
        self.http = httpx.Client(base_url=server.base_url, auth=auth, timeout=120)
        self.clock = HybridClock(f"bench-{self.id[-12:]}")
        issuer = answer["code_issuer"]
        self.issuer = CodeIssuer(issuer["agency_code"], issuer["device_slot"])
        self.day = date(2026, 3, 2)

    def next_code(self) -> str:
        """Issue the next dossier code, moving on a day when the slot's day is full."""
        while True:
            try:
                return self.issuer.issue(self.day)
            except CodeSpaceExhausted:
                self.day += timedelta(days=1)

    def dossier(self) -> list:
        """Return the events of one dossier: received, taken, extended, result, returned."""
        dossier_id = new_id()
        page = {
            "sha256": secrets.token_hex(32),
            "media_type": "image/webp",
            "mode": "gray",
            "dpi": 200,
            "bytes": 30_000,
        }
        received = {
            "code": self.next_code(),
            "procedure_code": "1.001193",
            "catalogue_version": "2025.2",
            "applicant": {
                "cccd": "031095001234",
                "name": "Nguyễn Văn An",
                "birth_date": "1995-04-02",
                "gender": "male",
                "phone": "0912345678",
                "address": "12 Lạch Tray",
                "residence_unit": RESIDENCE,
            },
            "channel": "counter",
            "receiving_unit": self.unit_code,
            "competent_unit": RESIDENCE,
            "return_method": "counter",
            "return_address": None,
            "received_at": "2026-03-02T09:00:00+07:00",
            "due_at": "2026-03-03T09:00:00+07:00",
            "components": [{"component_id": "to_khai_khai_sinh", "pages": [page]}],
            "fee_vnd": 0,
        }
        steps = [
            (EventType.RECEIVED, received),
            (EventType.PROCESSING_STARTED, {}),
            (EventType.EXTENDED, {"new_due_at": "2026-03-05T09:00:00+07:00", "reason": "xin lỗi"}),
            (
                EventType.RESULT_READY,
                {"result": {"document_type": "giay_khai_sinh", "pages": [page], "digitised": True}},
            ),
            (EventType.RETURNED, {"method": "counter", "postal_ref": None}),
        ]
        return [
            make_event(
                dossier_id,
                kind,
                payload,
                clock=self.clock,
                device_id=self.id,
                officer_id="bench",
                unit_code=self.unit_code,
            ).to_wire()
            for kind, payload in steps
        ]


def bench_ingest(server: Server, dossiers: int, batch_size: int, devices: int) -> float:
    """Post `dossiers` x 5 events in batches from several devices at once; return events/s."""
    senders = [BenchDevice(server) for _ in range(devices)]
    # Batches are encoded before the clock starts: only the server's work is measured.
    per_device = []
    for sender in senders:
        events = [e for _ in range(dossiers // devices) for e in sender.dossier()]
        per_device.append(
            [
                json.dumps({"events": events[i : i + batch_size]}).encode()
                for i in range(0, len(events), batch_size)
            ]
        )

    def drain(index: int) -> int:
        sender, count = senders[index], 0
        for body in per_device[index]:
            response = sender.http.post(
                "/v1/events",
                content=body,
                headers={"Idempotency-Key": new_id(), "Content-Type": "application/json"},
            )
            results = response.json()["results"]
            assert all(r["status"] == "accepted" for r in results), results[:3]
            count += len(results)
        return count

    started = time.perf_counter()
    with ThreadPoolExecutor(devices) as pool:
        total = sum(pool.map(drain, range(devices)))
    return total / (time.perf_counter() - started)


def bench_feed(server: Server, devices: int, rounds: int) -> tuple[float, float, float]:
    """Have `devices` devices poll the feed; return (p50 ms, p95 ms, write-to-visible ms)."""
    # A unit has at most 33 device slots, so the pollers are spread over Hải Phòng's units.
    units = [RESIDENCE] + [u.code for u in load_units().units_of("31") if u.code != RESIDENCE]
    pollers = [BenchDevice(server, units[i // 30]) for i in range(devices)]
    cursors = {p.id: 0 for p in pollers}

    def poll(device: BenchDevice) -> float:
        started = time.perf_counter()
        page = device.http.get("/v1/feed", params={"cursor": cursors[device.id], "limit": 500})
        cursors[device.id] = page.json()["cursor"]
        return (time.perf_counter() - started) * 1000

    timings: list[float] = []
    with ThreadPoolExecutor(16) as pool:
        for _ in range(rounds):
            timings += pool.map(poll, pollers)
    writer, watcher = BenchDevice(server), pollers[0]
    more = True
    while more:  # catch up first, so the last figure is latency and not backlog
        page = watcher.http.get("/v1/feed", params={"cursor": cursors[watcher.id], "limit": 500})
        cursors[watcher.id], more = page.json()["cursor"], page.json()["more"]
    events = writer.dossier()[:1]
    started = time.perf_counter()
    writer.http.post("/v1/events", json={"events": events}, headers={"Idempotency-Key": new_id()})
    while True:
        page = watcher.http.get("/v1/feed", params={"cursor": cursors[watcher.id], "limit": 500})
        cursors[watcher.id] = page.json()["cursor"]
        if any(item["body"].get("id") == events[0]["id"] for item in page.json()["items"]):
            break
    visible = (time.perf_counter() - started) * 1000
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95)], visible


def bench_upload(server: Server, megabytes: int, chunk_mb: int) -> float:
    """Upload one blob over tus in `chunk_mb` chunks; return MB/s."""
    device = BenchDevice(server)
    blob = os.urandom(megabytes * 1024 * 1024)
    digest = hashlib.sha256(blob).hexdigest()
    started = time.perf_counter()
    created = device.http.post(
        "/v1/files/",
        headers={
            **TUS,
            "Upload-Length": str(len(blob)),
            "Upload-Metadata": "sha256 " + base64.b64encode(digest.encode()).decode(),
        },
    )
    location = httpx.URL(created.headers["Location"]).path
    chunk = chunk_mb * 1024 * 1024
    for offset in range(0, len(blob), chunk):
        response = device.http.patch(
            location,
            content=blob[offset : offset + chunk],
            headers={
                **TUS,
                "Upload-Offset": str(offset),
                "Content-Type": "application/offset+octet-stream",
            },
        )
        assert response.status_code == 204, response.text
    elapsed = time.perf_counter() - started
    assert device.http.post("/v1/blobs/missing", json={"hashes": [digest]}).json() == {
        "missing": []
    }
    return megabytes / elapsed


def run(label: str, db_url: str, quick: bool) -> dict[str, float]:
    """Run every measure against one database and print it."""
    with server_process(db_url) as srv:
        rate = bench_ingest(srv, dossiers=200 if quick else 2000, batch_size=250, devices=4)
        print(f"{label}: ingest {rate:,.0f} events/s (signed batches of 250, 4 devices)")
        p50, p95, visible = bench_feed(srv, devices=200, rounds=1 if quick else 5)
        print(
            f"{label}: feed poll p50 {p50:.1f} ms, p95 {p95:.1f} ms with 200 devices; "
            f"write→visible {visible:.1f} ms"
        )
        upload = bench_upload(srv, megabytes=8 if quick else 64, chunk_mb=4)
        print(f"{label}: tus upload {upload:.1f} MB/s (4 MB signed chunks, loopback)")
    return {"ingest": rate, "p95": p95, "upload": upload}


def bench_postgres(dsn: str, quick: bool) -> dict[str, float]:
    """Run on a scratch PostgreSQL database made for the run and dropped after."""
    admin_url = normalise_db_url(dsn)
    scratch = f"sohoa_bench_{secrets.token_hex(4)}"
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{scratch}"'))
    try:
        return run("postgres", admin_url.rsplit("/", 1)[0] + f"/{scratch}", quick)
    finally:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)'))
        engine.dispose()


def main() -> None:
    """Parse arguments, run on SQLite and PostgreSQL, print the summary line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a short run")
    parser.add_argument("--pg", default=os.environ.get("SOHOA_TEST_PG_DSN"), help="PostgreSQL DSN")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        results = {"sqlite": run("sqlite", f"sqlite:///{tmp}/bench.db", args.quick)}
    if args.pg:
        results["postgres"] = bench_postgres(args.pg, args.quick)
    summary = [
        f"{name}: {r['ingest']:,.0f} ev/s, feed p95 {r['p95']:.0f} ms, "
        f"upload {r['upload']:.0f} MB/s"
        for name, r in results.items()
    ]
    print(" | ".join(summary))


if __name__ == "__main__":
    main()
