"""A ward gets the pages of a dossier received at another ward and routed to it, exactly once."""

from __future__ import annotations

import contextlib
import hashlib
import io
import random
from datetime import date

import httpx
from PIL import Image

from core.events import Event, EventType, make_event
from core.ids import new_id
from scan import thumbnail
from sync.engine import PAGES_WANTED, RunReport
from sync.errors import Offline
from sync.faultproxy import FaultPlan, FaultProxy
from sync.progress import Progress
from sync.receive import issue_code

RESIDENCE_UNIT = "11533"  # Phường Hòa Bình: the applicant lives here, so it is competent
OTHER_UNIT = "11560"  # Phường Thủy Nguyên: no part in the dossier
BIRTH = "1.001193"  # birth registration: competent unit = residence, received anywhere


def jpeg_page(seed: int) -> bytes:
    """Return a small grey JPEG page, different for each seed, that scan.thumbnail can render."""
    size = (300, 424)
    noise = random.Random(seed).randbytes(size[0] * size[1])
    image = Image.frombytes("L", size, noise).convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def page_ref(data: bytes) -> dict:
    return {
        "sha256": hashlib.sha256(data).hexdigest(),
        "media_type": "image/jpeg",
        "mode": "photo",
        "dpi": 200,
        "bytes": len(data),
    }


def receive_routed(device, pages: list[bytes]) -> Event:
    """Store on `device` a birth registration whose applicant lives in the residence ward."""
    clock = device.hybrid_clock()
    payload = {
        "code": issue_code(device, date(2026, 3, 2)),
        "procedure_code": BIRTH,
        "catalogue_version": "2025.2",
        "applicant": {
            "cccd": "031095001234",
            "name": "Nguyễn Văn An",
            "birth_date": "1995-04-02",
            "gender": "male",
            "phone": "0912345678",
            "address": "12 Lạch Tray",
            "residence_unit": RESIDENCE_UNIT,
        },
        "channel": "counter",
        "receiving_unit": device.identity.unit_code,
        "competent_unit": RESIDENCE_UNIT,
        "return_method": "counter",
        "return_address": None,
        "received_at": "2026-03-02T09:00:00+07:00",
        "due_at": "2026-03-03T09:00:00+07:00",
        "components": [
            {"component_id": "to_khai_khai_sinh", "pages": [page_ref(p) for p in pages[:1]]},
            {"component_id": "giay_chung_sinh", "pages": [page_ref(p) for p in pages[1:]]},
        ],
        "fee_vnd": 0,
    }
    event = make_event(
        new_id(),
        EventType.RECEIVED,
        payload,
        clock=clock,
        device_id=device.identity.device_id,
        officer_id=device.session.officer_id,
        unit_code=device.identity.unit_code,
    )
    device.session.dossiers.save([event], {hashlib.sha256(p).hexdigest(): p for p in pages})
    device.remember(clock)
    return event


def routed_dossier(city, tmp_path, kit, pages: int = 3) -> tuple[Event, dict[str, bytes]]:
    """Receive a routed dossier at ward A and sync it up; return its event and its pages."""
    counter = kit.enrol_device(city, tmp_path / "a")
    blobs = [jpeg_page(seed) for seed in range(pages)]
    event = receive_routed(counter, blobs)
    assert kit.sync_once(counter).events_confirmed == 1
    counter.close()
    return event, {hashlib.sha256(b).hexdigest(): b for b in blobs}


def page_gets(device, progress: Progress | None = None, page_budget: int | None = None):
    """Sync `device` once; return the report and the pages it asked for (with their Range)."""
    asked: list[tuple[str, str | None]] = []

    def note(request: httpx.Request) -> None:
        if request.url.path.startswith("/v1/blobs/") and request.method == "GET":
            asked.append((request.url.path.rsplit("/", 1)[1], request.headers.get("Range")))

    with device.http(event_hooks={"request": [note]}) as http:
        engine = device.engine(http, progress=progress)
        engine.page_budget = page_budget or engine.page_budget
        report = engine.run_once()
    return report, asked


def test_the_competent_ward_holds_every_page_once_and_a_third_ward_none(city, tmp_path, kit):
    event, pages = routed_dossier(city, tmp_path, kit)
    residence = kit.enrol_device(city, tmp_path / "b", RESIDENCE_UNIT)
    progress = Progress()
    report, asked = page_gets(residence, progress)
    assert (report.feed_events, report.pages_fetched, report.pages_damaged) == (1, 3, 0)
    assert sorted(sha for sha, _ in asked) == sorted(pages)
    state = residence.session.dossiers.get(event.dossier_id)
    assert state.pages == set(pages)
    for sha, data in pages.items():
        stored = residence.session.blobs.read(sha)
        assert stored == data and hashlib.sha256(stored).hexdigest() == sha
        assert Image.open(io.BytesIO(thumbnail(stored))).size[1] == 384  # what detail shows
    assert residence.session.outbox.pending_blobs() == []  # never sent back up
    snapshot = progress.snapshot()
    assert snapshot.bytes_confirmed == sum(map(len, pages.values()))
    assert snapshot.items_confirmed >= 3

    again, asked = page_gets(residence)
    assert (again.pages_fetched, asked) == (0, [])

    stranger = kit.enrol_device(city, tmp_path / "c", OTHER_UNIT)
    assert kit.sync_once(stranger).pages_fetched == 0
    with stranger.http() as http:
        for sha in pages:
            refused = http.get(f"/v1/blobs/{sha}")
            assert (refused.status_code, refused.json()["reason"]) == (404, "unknown_page")
    assert not any(stranger.session.blobs.has(sha) for sha in pages)


def test_a_byte_budget_spreads_pages_over_runs_and_a_kill_fetches_nothing_twice(
    city, tmp_path, kit
):
    _, pages = routed_dossier(city, tmp_path, kit)
    residence = kit.enrol_device(city, tmp_path / "b", RESIDENCE_UNIT)
    budget = max(map(len, pages.values()))  # one page a run
    fetched = []
    for _ in range(3):
        wanted_before = residence.state.get(PAGES_WANTED)
        report, asked = page_gets(residence, page_budget=budget)
        assert report.pages_fetched == len(asked) == 1
        fetched += [sha for sha, _ in asked]
    assert sorted(fetched) == sorted(pages)
    assert residence.state.get(PAGES_WANTED) == {}
    # A kill after the last page's vault commit but before the wanted list was saved.
    residence.state.set(PAGES_WANTED, wanted_before)
    report, asked = page_gets(residence, page_budget=budget)
    assert (report.pages_fetched, asked) == (0, [])
    assert residence.state.get(PAGES_WANTED) == {}


def test_a_page_corrupted_in_transit_is_not_stored_and_comes_again(city, tmp_path, kit):
    _, pages = routed_dossier(city, tmp_path, kit)
    residence = kit.enrol_device(city, tmp_path / "b", RESIDENCE_UNIT)
    with residence.http() as http:
        residence.engine(http).pull_feed(RunReport())  # the feed over a clean link
    target = ("127.0.0.1", int(city.base_url.rsplit(":", 1)[1]))
    plan = FaultPlan(fault_probability=1.0, kinds=("corrupt",), fault_window=60_000)
    with FaultProxy(target, plan, seed=3) as proxy, residence.http(proxy.url) as http:
        report = RunReport()
        residence.engine(http).pull_pages(report)
    assert proxy.faults["corrupt"] >= 1
    assert report.pages_damaged >= 1
    assert report.pages_fetched + report.pages_damaged == 3
    damaged = [sha for sha in pages if not residence.session.blobs.has(sha)]
    assert len(damaged) == report.pages_damaged
    assert set(residence.state.get(PAGES_WANTED)) == set(damaged)
    for sha in set(pages) - set(damaged):
        assert residence.session.blobs.read(sha) == pages[sha]

    report, asked = page_gets(residence)
    assert sorted(sha for sha, _ in asked) == sorted(damaged)
    assert report.pages_fetched == len(damaged)
    assert all(residence.session.blobs.read(sha) == data for sha, data in pages.items())


def test_a_page_cut_mid_way_resumes_from_the_last_byte_that_arrived(city, tmp_path, kit):
    _, pages = routed_dossier(city, tmp_path, kit, pages=2)
    residence = kit.enrol_device(city, tmp_path / "b", RESIDENCE_UNIT)
    with residence.http() as http:
        residence.engine(http).pull_feed(RunReport())
    target = ("127.0.0.1", int(city.base_url.rsplit(":", 1)[1]))
    # A slow link, so the device reads bytes as they come before a cut resets the connection.
    plan = FaultPlan(
        bits_per_second=4_000_000, fault_probability=0.5, kinds=("drop",), fault_window=40_000
    )
    asked: list[str | None] = []

    def note(request: httpx.Request) -> None:
        asked.append(request.headers.get("Range"))

    with (
        FaultProxy(target, plan, seed=5) as proxy,
        residence.http(proxy.url, event_hooks={"request": [note]}) as http,
    ):
        for _ in range(10):
            if not residence.state.get(PAGES_WANTED):
                break
            with contextlib.suppress(Offline):  # the link dropped; the next run goes on
                residence.engine(http).pull_pages(RunReport())
    assert proxy.faults["drop"] >= 1
    assert any(value and value != "bytes=0-" for value in asked), asked
    assert residence.state.get(PAGES_WANTED) == {}
    assert all(residence.session.blobs.read(sha) == data for sha, data in pages.items())
