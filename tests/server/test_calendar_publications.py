"""Calendar publications on the server: shipped tables at startup, the city's by the admin API,
and due dates on the calendar they make."""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlalchemy import select

from core.calendar import TIMEZONE, due_at
from core.catalogue import catalogue_at
from server.feed import publish_shipped, work_calendar
from server.schema import changes, publications
from server.testing import running_server

BIRTH = catalogue_at(date(2026, 1, 1)).get("1.001193")  # same day
# Thursday after the 15:00 cut-off, then the New Year holiday and a weekend: due Monday 4 Jan.
NEW_YEAR_EVE = datetime(2026, 12, 31, 16, 0, tzinfo=TIMEZONE)
MONDAY_OFF = {"date": "2027-01-04", "kind": "off", "note_vi": "Nghỉ bù", "note_en": "Day off"}


def calendar_items(server) -> list[str]:
    """Return the version of every calendar item in the change feed, in feed order."""
    with server.context.db.read() as conn:
        rows = conn.execute(
            select(changes.c.body).where(changes.c.kind == "calendar").order_by(changes.c.seq)
        ).all()
    return [json.loads(row.body)["version"] for row in rows]


def test_a_fresh_server_publishes_the_shipped_tables_exactly_once(tmp_path):
    with running_server(tmp_path) as server:
        assert calendar_items(server) == ["2025.0", "2026.0"]
    with running_server(tmp_path) as restarted:
        assert calendar_items(restarted) == ["2025.0", "2026.0"]
        with restarted.context.db.write() as conn:
            assert publish_shipped(conn) == []


def test_a_published_year_reaches_devices_and_moves_the_servers_due_dates(city, server, device):
    with server.context.db.read() as conn:
        assert due_at(BIRTH, NEW_YEAR_EVE, work_calendar(conn)).date() == date(2027, 1, 4)
    request = {
        "kind": "calendar",
        "version": "2027.1",
        "body": {"year": 2027, "days": [MONDAY_OFF]},
    }
    with city.admin() as admin:
        first = admin.post("/v1/admin/publications", json=request)
        again = admin.post("/v1/admin/publications", json=request)
    assert first.status_code == 201, first.text
    assert (first.json()["created"], again.json()["created"]) == (True, False)
    with server.context.db.read() as conn:
        calendar = work_calendar(conn)
        assert work_calendar(conn) is calendar  # built once per set of published versions
    assert due_at(BIRTH, NEW_YEAR_EVE, calendar) == datetime(2027, 1, 5, 17, tzinfo=TIMEZONE)
    assert not calendar.is_working_day(date(2026, 1, 2))  # shipped 2026 table still in force

    feed = device.http.get("/v1/feed", params={"cursor": 0, "limit": 500}).json()["items"]
    published = [i["body"] for i in feed if i["kind"] == "calendar"]
    assert published[-1] == request


def test_a_bad_calendar_body_is_refused_with_422_and_nothing_is_stored(city, server):
    bad_bodies = {
        "2028.1": {"year": 2028, "days": [{**MONDAY_OFF, "date": "2028-02-30"}]},
        "2028.2": {"year": 2028, "days": [{**MONDAY_OFF, "date": "2028-01-04", "kind": "x"}]},
        "2028.3": {"year": 2028, "days": [MONDAY_OFF]},  # a 2027 day in the 2028 table
    }
    with city.admin() as admin:
        for version, body in bad_bodies.items():
            response = admin.post(
                "/v1/admin/publications",
                json={"kind": "calendar", "version": version, "body": body},
            )
            assert response.status_code == 422, response.text
            problem = response.json()
            assert problem["reason"] == "bad_calendar"
            assert f"{version}.json, days[0]" in problem["detail_en"]
            assert "days[0], trường" in problem["detail_vi"]
    with server.context.db.read() as conn:
        stored = conn.scalars(
            select(publications.c.version).where(publications.c.version.like("2028.%"))
        ).all()
    assert stored == []
    assert not [v for v in calendar_items(server) if v.startswith("2028.")]
