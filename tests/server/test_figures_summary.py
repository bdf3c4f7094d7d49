"""Figures from the per-dossier summary equal figures folded from every event (the old way)."""

from __future__ import annotations

import json
import random
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Connection, select

from core.clock import HybridClock
from core.codes import agency_code_for
from core.dossier import fold
from core.dossier_state import VIETNAM, DossierState
from core.events import CHANNELS, Event, EventType, make_event
from core.figures import index766, index766_by_unit
from core.ids import new_id
from server.figures import Period, figures_for
from server.ingest import Origin, ingest_events
from server.schema import dossiers, events

UNITS = ("11311", "11533", "11560")
BIRTH = "1.001193"
START = datetime(2026, 1, 5, 8, 0, tzinfo=VIETNAM)


def _page(rng: random.Random) -> dict:
    return {
        "sha256": f"{rng.getrandbits(256):064x}",
        "media_type": "image/webp",
        "mode": "gray",
        "dpi": 200,
        "bytes": 1234,
    }


class _Dossier:
    """One made-up dossier: its events, each stamped at its own physical time."""

    def __init__(self, rng: random.Random, sequence: int):
        self.rng = rng
        self.id = new_id()
        self.moment = START + timedelta(days=rng.randint(0, 40), hours=rng.randint(0, 9))
        self.clock = HybridClock(f"d{sequence}", now_ms=lambda: int(self.moment.timestamp() * 1000))
        self.receiving = rng.choice(UNITS)
        self.current = self.receiving
        self.events: list[Event] = []
        received_at = self.moment
        components = [
            {
                "component_id": f"thanh_phan_{n}",
                "pages": [_page(rng)] if rng.random() < 0.8 else [],
                **({"reused": True} if rng.random() < 0.3 else {}),
            }
            for n in range(rng.randint(1, 3))
        ]
        self.add(
            EventType.RECEIVED,
            {
                "code": f"{agency_code_for(self.receiving)}-{received_at:%y%m%d}-{sequence:04d}",
                "procedure_code": BIRTH,
                "catalogue_version": "2025.2",
                "applicant": {
                    "cccd": "031095001234",
                    "name": "Nguyễn Văn An",
                    "birth_date": "1995-04-02",
                    "gender": "male",
                    "phone": "0912345678",
                    "address": "12 Lạch Tray",
                    "residence_unit": (competent := rng.choice(UNITS)),
                },
                "channel": rng.choice(CHANNELS),
                "receiving_unit": self.receiving,
                "competent_unit": competent,
                "return_method": "counter",
                "return_address": None,
                "received_at": received_at.isoformat(),
                "due_at": (received_at + timedelta(hours=rng.randint(1, 240))).isoformat(),
                "components": components,
                "fee_vnd": rng.choice((0, 0, 20_000)),
            },
        )

    def add(self, type: EventType, payload: dict[str, Any]) -> None:
        """Append an event some hours or days after the previous one."""
        if self.events:
            self.moment += timedelta(hours=self.rng.randint(1, 120))
        self.events.append(
            make_event(
                self.id,
                type,
                payload,
                clock=self.clock,
                device_id="may-tinh-bang-1",
                officer_id="can-bo-1",
                unit_code=self.receiving,
            )
        )

    def live(self) -> None:
        """Add a random path through the lifecycle."""
        rng = self.rng
        if rng.random() < 0.3:
            self.add(EventType.FEE_PAID, {"amount_vnd": 20_000, "online": rng.random() < 0.5})
        path = rng.choice(("waiting", "refused", "supplement", "processed", "processed"))
        if path == "refused":
            self.add(EventType.REFUSED, {"reason": "Không đủ điều kiện"})
        elif path == "supplement":
            self.add(EventType.SUPPLEMENT_REQUESTED, {"missing": ["thanh_phan_0"], "note": ""})
            if rng.random() < 0.5:
                self.add(
                    EventType.PAGES_ADDED, {"component_id": "thanh_phan_0", "pages": [_page(rng)]}
                )
                self.add(EventType.SUPPLEMENTED, {})
        elif path == "processed":
            self._process()
        rateable = {
            EventType.REFUSED,
            EventType.STOPPED,
            EventType.RESULT_READY,
            EventType.RETURNED,
        }
        if self.events[-1].type in rateable and rng.random() < 0.5:
            self.add(
                EventType.RATED, {"score": rng.choice((1, 2, 3, 4, 5, "satisfied", "unsatisfied"))}
            )

    def _process(self) -> None:
        rng = self.rng
        self.add(EventType.PROCESSING_STARTED, {})
        if rng.random() < 0.4:
            target = rng.choice([u for u in UNITS if u != self.current])
            self.add(
                EventType.HANDED_OVER, {"from_unit": self.current, "to_unit": target, "note": ""}
            )
            self.current = target
        if rng.random() < 0.2:
            later = (self.moment + timedelta(days=30)).isoformat()
            self.add(EventType.EXTENDED, {"new_due_at": later, "reason": "Xin lỗi vì trễ hạn"})
        if rng.random() < 0.15:
            self.add(EventType.STOPPED, {"reason": "Người nộp rút hồ sơ"})
            return
        if rng.random() < 0.85:
            result = {
                "document_type": "giay_khai_sinh",
                "pages": [],
                "digitised": rng.random() < 0.5,
            }
            self.add(EventType.RESULT_READY, {"result": result})
            if rng.random() < 0.6:
                self.add(EventType.RETURNED, {"method": "counter", "postal_ref": None})


def fill(conn: Connection, count: int, seed: int) -> list[datetime]:
    """Ingest `count` random dossiers in several batches; return every event's moment."""
    rng = random.Random(seed)
    made = [_Dossier(rng, 9000 - n) for n in range(count)]
    for dossier in made:
        dossier.live()
    # Receipts first in one batch (new dossiers), then the rest in batches that mix dossiers.
    batches = [[d.events[0] for d in made[: count // 2]]]
    batches[0] += [e for d in made[count // 2 :] for e in d.events]
    later = [e for d in made[: count // 2] for e in d.events[1:]]
    batches += [later[start : start + 40] for start in range(0, len(later), 40)]
    for batch in batches:
        answers = ingest_events(conn, [e.to_wire() for e in batch], Origin(unit_code=None))
        assert [a for a in answers if a["status"] != "accepted"] == []
    return [datetime.fromisoformat(e.payload["received_at"]) for d in made for e in d.events[:1]]


def folded_figures(
    conn: Connection, unit_code: str | None, period: Period | None, now: datetime
) -> dict:
    """Return the figures the way the server computed them before the summary: fold everything."""
    query = select(events.c.dossier_id, events.c.body).order_by(events.c.seq)
    if unit_code is not None:
        handled_here = select(dossiers.c.id).where(dossiers.c.competent_unit == unit_code)
        query = query.where(events.c.dossier_id.in_(handled_here))
    by_dossier: dict[str, list[Event]] = defaultdict(list)
    for row in conn.execute(query):
        by_dossier[row.dossier_id].append(Event.from_wire(json.loads(row.body)))
    states: list[DossierState] = [fold(history) for history in by_dossier.values()]
    as_of = now
    if period is not None:
        as_of = min(now, period.ends - timedelta(microseconds=1))
        states = [s for s in states if period.begins <= s.received_at < period.ends]
    answer: dict = {"unit_code": unit_code, "figures": index766(states, as_of).to_dict()}
    if unit_code is None:
        by_unit = index766_by_unit(states, as_of, unit_of=lambda dossier: dossier.competent_unit)
        answer["units"] = {code: figures.to_dict() for code, figures in by_unit.items()}
    return answer


@pytest.fixture(scope="module")
def moments(server) -> list[datetime]:
    """The receipt times of 160 random dossiers stored once for the module."""
    with server.context.db.write() as conn:
        return fill(conn, 160, seed=766)


def test_summary_figures_equal_folded_figures_at_every_moment(server, moments):
    rng = random.Random(31)
    as_ofs = [START, START + timedelta(days=200), datetime.now(UTC)]
    as_ofs += [m + timedelta(hours=rng.randint(-30, 300)) for m in rng.sample(moments, 8)]
    periods = [
        None,
        Period(date(2026, 1, 10), date(2026, 1, 31)),
        Period(date(2026, 2, 1), date(2026, 2, 28)),
    ]
    compared = 0
    with server.context.db.read() as conn:
        for as_of in as_ofs:
            for period in periods:
                for unit_code in (None, *UNITS, "11111"):
                    expected = folded_figures(conn, unit_code, period, as_of)
                    assert figures_for(conn, unit_code, period, as_of) == expected
                    compared += 1
        city = figures_for(conn, None, None, START + timedelta(days=200))["figures"]
    assert compared == len(as_ofs) * len(periods) * 5
    # The random set really covers every branch the figures have.
    assert city["received"] == 160 and city["in_process"] > 0
    assert 0 < city["finished_on_time"] < city["finished"]
    assert 0 < city["digitised_results"] < city["finished"]
    assert 0 < city["digitised_dossiers"] < city["received"]
    for name in ("refused", "stopped", "online", "reused_components", "unsatisfied_or_late"):
        assert city[name] > 0, name
    assert 0 < city["paid_online"] < city["fee_bearing"]


def test_the_routes_take_a_period_and_refuse_a_bad_one(city, moments):
    leader = city.staff("leader", None)
    unit_staff = city.staff("processing_officer", city.RESIDENCE_UNIT)
    query = {"since": "2026-01-10", "until": "2026-01-31"}
    with city.server.context.db.read() as conn:
        period = Period(date(2026, 1, 10), date(2026, 1, 31))
        expected_city = folded_figures(conn, None, period, datetime.now(UTC))
        expected_unit = folded_figures(conn, city.RESIDENCE_UNIT, period, datetime.now(UTC))
    assert leader.get("/v1/figures", params=query).json() == expected_city
    assert unit_staff.get("/v1/figures", params=query).json() == expected_unit
    assert leader.get(f"/v1/figures/{city.RESIDENCE_UNIT}", params=query).json() == expected_unit
    whole = leader.get("/v1/figures").json()
    assert whole["figures"]["received"] >= 160 > expected_city["figures"]["received"] > 0
    for params, reason in (
        ({"until": "2026-01-31"}, "bad_period"),
        ({"since": "2026-02-01", "until": "2026-01-31"}, "bad_period"),
        ({"since": "31/01/2026"}, "invalid_field"),
    ):
        response = leader.get("/v1/figures", params=params)
        assert (response.status_code, response.json()["reason"]) == (422, reason), params
        assert response.json()["detail_vi"] and response.json()["detail_en"]
