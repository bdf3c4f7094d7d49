"""Vault speed with many dossiers: unlock (Scrypt cost), insert rate, search, list, size.

Run ``python bench/store.py`` for 100,000 dossiers or ``--quick`` for 3,000; the last line sums
the figures up. Targets (issue 4): find by CCCD <= 20 ms, by name <= 200 ms, first list page
<= 100 ms, unlock 250-600 ms; the app's home figures well under 200 ms.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.queries import find_dossiers, home_figures  # noqa: E402
from app.state.dossiers import FILTERS, DossierQuery, set_filter  # noqa: E402
from core.clock import HybridClock  # noqa: E402
from core.events import Event, EventType, make_event  # noqa: E402
from core.ids import new_id  # noqa: E402
from storage import Vault  # noqa: E402
from storage.crypto import SCRYPT_COST  # noqa: E402

VIETNAM = timezone(timedelta(hours=7))
FAMILY = (
    ["Nguyễn"] * 38
    + ["Trần"] * 11
    + ["Lê"] * 10
    + ["Phạm"] * 7
    + [
        "Hoàng",
        "Vũ",
        "Đặng",
        "Bùi",
        "Đỗ",
        "Hồ",
        "Ngô",
        "Dương",
        "Lý",
        "Phan",
        "Võ",
        "Trương",
        "Đinh",
        "Mai",
    ]
)
MIDDLE = ["Văn", "Thị", "Minh", "Quốc", "Thu", "Hữu", "Ngọc", "Đức", "Thanh", "Kim"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hương",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Phúc",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trang",
    "Tuấn",
    "Vy",
    "Yến",
    "Hoa",
    "Huy",
    "Khoa",
    "Loan",
    "Tú",
]
PIN = "20260105"


def _received_at(n: int) -> datetime:
    return datetime(2025, 1, 1, 8, tzinfo=VIETNAM) + timedelta(minutes=7 * n)


def _events(rng: random.Random, clock: HybridClock, n: int) -> tuple[list, str, str]:
    name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    # province (3) + century/sex (1) + birth year (2) + 6 random digits, as on a real CCCD
    cccd = f"{rng.randrange(1, 97):03d}{rng.randrange(4)}{rng.randrange(100):02d}"
    cccd += f"{rng.randrange(10**6):06d}"
    received = _received_at(n)
    payload = {
        "code": f"H31.37-{received:%y%m%d}-{n:06d}",
        "procedure_code": "1.001193",
        "catalogue_version": "2026.01",
        "applicant": {
            "cccd": cccd,
            "name": name,
            "birth_date": "1990-02-03",
            "gender": "male",
            "phone": "0912345678",
            "address": "Số 5 ngõ Trại Cau, Lê Chân, Hải Phòng",
        },
        "channel": "counter",
        "receiving_unit": "11311",
        "competent_unit": "11311",
        "return_method": "counter",
        "return_address": None,
        "received_at": received.isoformat(),
        "due_at": (received + timedelta(days=5)).isoformat(),
        "components": [],
        "fee_vnd": 0,
    }
    event = make_event(
        new_id(),
        EventType.RECEIVED,
        payload,
        clock=clock,
        device_id="bench",
        officer_id="cb01",
        unit_code="11311",
    )
    return [event], cccd, name


def _with_pages(event: Event, pages: dict[str, bytes]) -> Event:
    meta = [
        {"sha256": sha, "media_type": "image/jpeg", "mode": "RGB", "dpi": 200, "bytes": len(b)}
        for sha, b in pages.items()
    ]
    payload = event.payload | {"components": [{"component_id": "tk", "pages": meta}]}
    return Event.from_wire(event.to_wire() | {"payload": payload})


def _ms(fn, repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def _app_figures(session, now: datetime, label: str) -> tuple[float, dict[str, float]]:
    """Time the app's home figures and a list page with each filter; print and return them."""
    home_med, home_p95 = _ms(lambda: home_figures(session.dossiers, now), 10)
    print(f"home figures, {label}: {home_med:.1f} ms median, {home_p95:.1f} ms p95")
    filter_ms = {}
    for name in FILTERS:
        query = set_filter(DossierQuery(), name)
        filter_ms[name], _ = _ms(lambda q=query: find_dossiers(session.dossiers, q, now), 10)
    print(
        f"app list page (25) by filter, {label}: "
        + ", ".join(f"{name} {ms:.1f} ms" for name, ms in filter_ms.items())
    )
    return home_med, filter_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="3,000 dossiers instead of 100,000")
    parser.add_argument("--dossiers", type=int, default=None)
    args = parser.parse_args()
    total = args.dossiers or (3_000 if args.quick else 100_000)
    rng = random.Random(7)
    clock = HybridClock("bench")
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "vault"
        vault = Vault.create(data_dir, unit_code="11311", officer_name="Cán Bộ Thử", pin=PIN)
        officer = vault.officers()[0].id
        unlock_med, _ = _ms(lambda: vault.unlock(officer, PIN), 3)
        print(
            f"unlock: {unlock_med:.0f} ms median"
            f" (Scrypt N=2^{SCRYPT_COST.bit_length() - 1}, r=8, p=1)"
        )
        session = vault.unlock(officer, PIN)

        known: list[tuple[str, str]] = []
        single = min(500, total)
        start = time.perf_counter()
        for n in range(single):
            events, cccd, name = _events(rng, clock, n)
            session.dossiers.save(events)
            known.append((cccd, name))
        rate_single = single / (time.perf_counter() - start)
        print(f"insert, one transaction each (fsync): {rate_single:.0f} dossiers/s")
        start = time.perf_counter()
        batch = 1000
        for first in range(single, total, batch):
            with session.atomic():
                for n in range(first, min(first + batch, total)):
                    events, cccd, name = _events(rng, clock, n)
                    session.dossiers.save(events)
                    if n % 97 == 0:
                        known.append((cccd, name))
        bulk = total - single
        rate_bulk = bulk / (time.perf_counter() - start) if bulk else rate_single
        print(f"insert, {batch} per transaction: {rate_bulk:.0f} dossiers/s ({total:,} dossiers)")

        vault.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = (data_dir / "vault.db").stat().st_size
        print(f"database size: {size / 2**20:.1f} MiB, {size / total:.0f} bytes per dossier")

        picks = [rng.choice(known) for _ in range(50)]
        # Time only searches that find what they look for.
        assert all(session.dossiers.find_by_cccd(cccd) for cccd, _ in picks)
        assert all(session.dossiers.find_by_name(name) for _, name in picks)
        assert len(session.dossiers.find_by_name("nguyen")) == 50
        it = iter(picks * 2)
        cccd_med, cccd_p95 = _ms(lambda: session.dossiers.find_by_cccd(next(it)[0]), 50)
        it = iter(picks * 2)
        name_med, name_p95 = _ms(lambda: session.dossiers.find_by_name(next(it)[1]), 50)
        common_med, common_p95 = _ms(lambda: session.dossiers.find_by_name("nguyen"), 10)
        list_med, list_p95 = _ms(lambda: session.dossiers.list(limit=50), 20)
        overdue_med, _ = _ms(lambda: session.dossiers.list(overdue=True, limit=50), 10)
        none_med, _ = _ms(lambda: session.dossiers.list(status="refused", limit=50), 10)
        print(f"find by CCCD: {cccd_med:.1f} ms median, {cccd_p95:.1f} ms p95")
        print(f"find by full name: {name_med:.1f} ms median, {name_p95:.1f} ms p95")
        print(
            f"find by 'nguyen' (first 50 of ~38%): {common_med:.1f} ms median,"
            f" {common_p95:.1f} ms p95"
        )
        print(f"list first page (50): {list_med:.1f} ms median, {list_p95:.1f} ms p95")
        print(f"list overdue first page (50): {overdue_med:.1f} ms median")
        print(f"list with a filter nothing matches: {none_med:.1f} ms median")
        # The app's home screen and list filters, an hour after the last dossier came in: first
        # with every dossier open and unsynced (the most to count), then after a sync (the
        # unsynced filter matches nothing, the longest walk).
        now = _received_at(total - 1) + timedelta(hours=1)
        home_med, filter_ms = _app_figures(session, now, "every dossier unsynced")
        session.outbox.mark_confirmed([e.id for e in session.outbox.pending_events(limit=-1)])
        synced_home_med, synced_filter_ms = _app_figures(session, now, "after a sync")

        scans = [rng.randbytes(300_000) for _ in range(20)]
        pages = {hashlib.sha256(data).hexdigest(): data for data in scans}
        events, _, _ = _events(rng, clock, total)
        events = [_with_pages(events[0], pages)]
        start = time.perf_counter()
        session.dossiers.save(events, pages)
        write_s = time.perf_counter() - start
        start = time.perf_counter()
        for sha in pages:
            session.blobs.read(sha)
        read_s = time.perf_counter() - start
        megabytes = sum(map(len, pages.values())) / 2**20
        print(
            f"pages: write {megabytes / write_s:.0f} MiB/s, read {megabytes / read_s:.0f} MiB/s"
            " (20 x 300 kB, encrypted in 64 KiB chunks)"
        )
        start = time.perf_counter()
        session.rotate_vault_key()
        rotate_s = time.perf_counter() - start
        print(f"rotate vault key (rewrap {total + 1:,} dossier keys): {rotate_s:.1f} s")
        vault.close()
    print(
        f"SUMMARY dossiers={total} unlock_ms={unlock_med:.0f} insert_per_s={rate_single:.0f}"
        f"/{rate_bulk:.0f} cccd_ms={cccd_med:.1f} name_ms={name_med:.1f} list_ms={list_med:.1f}"
        f" bytes_per_dossier={size / total:.0f} rotate_s={rotate_s:.1f}"
        f" home_ms={home_med:.1f}/{synced_home_med:.1f}"
        f" slowest_filter_ms={max(filter_ms.values()):.1f}/{max(synced_filter_ms.values()):.1f}"
    )


if __name__ == "__main__":
    main()
