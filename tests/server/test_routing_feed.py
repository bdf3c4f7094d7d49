"""Routing across boundaries, the processing-control slip, and the unit-scoped change feed."""

from __future__ import annotations

from core.events import EventType


def feed_of(device, cursor=0):
    items, more = [], True
    while more:
        page = device.http.get("/v1/feed", params={"cursor": cursor, "limit": 50}).json()
        items += page["items"]
        cursor, more = page["cursor"], page["more"]
    return items, cursor


def dossier_ids(items):
    return {item["body"]["dossier_id"] for item in items if item["kind"] == "event"}


def test_a_dossier_is_routed_to_the_competent_unit_and_shows_in_its_feed(city):
    counter, residence, other = (
        city.enrol(),
        city.enrol(city.RESIDENCE_UNIT),
        city.enrol(city.OTHER_UNIT),
    )
    event = counter.received()
    answer = counter.send([event]).json()["results"][0]
    assert answer == {"id": event.id, "status": "accepted", "routed_to": city.RESIDENCE_UNIT}
    assert event.dossier_id in dossier_ids(feed_of(residence)[0])
    assert event.dossier_id in dossier_ids(feed_of(counter)[0])
    assert event.dossier_id not in dossier_ids(feed_of(other)[0])


def test_the_feed_pages_by_cursor_and_resumes_where_it_stopped(city):
    counter = city.enrol()
    _, start = feed_of(counter)
    sent = [counter.received() for _ in range(7)]
    counter.send(sent)
    first = counter.http.get("/v1/feed", params={"cursor": start, "limit": 3}).json()
    assert len(first["items"]) == 3 and first["more"]
    rest, _ = feed_of(counter, first["cursor"])
    seen = [i["body"]["id"] for i in first["items"] + rest if i["kind"] == "event"]
    assert [e.id for e in sent] == [i for i in seen if i in {e.id for e in sent}]
    assert len(seen) == len(set(seen))


def test_a_hand_over_shows_the_whole_history_to_the_new_unit_and_is_on_the_slip(city):
    counter, residence, other = (
        city.enrol(),
        city.enrol(city.RESIDENCE_UNIT),
        city.enrol(city.OTHER_UNIT),
    )
    received = counter.received()
    take = counter.event(received.dossier_id, EventType.PROCESSING_STARTED, {})
    send_on = counter.event(
        received.dossier_id,
        EventType.HANDED_OVER,
        {"from_unit": city.RECEIVING_UNIT, "to_unit": city.RESIDENCE_UNIT, "note": ""},
    )
    counter.send([received, take, send_on])
    hand = residence.event(
        received.dossier_id,
        EventType.HANDED_OVER,
        {"from_unit": city.RESIDENCE_UNIT, "to_unit": city.OTHER_UNIT, "note": "phối hợp"},
    )
    results = residence.send([hand]).json()["results"]
    assert [r["status"] for r in results] == ["accepted"], results
    items, _ = feed_of(other)
    ids = [i["body"]["id"] for i in items if i["body"].get("dossier_id") == received.dossier_id]
    assert ids == [received.id, take.id, send_on.id, hand.id]
    leader = city.staff("leader", None)
    slip = leader.get(f"/v1/dossiers/{received.dossier_id}").json()["handoffs"]
    assert [(h["from_unit"], h["to_unit"], h["kind"]) for h in slip] == [
        (city.RECEIVING_UNIT, city.RESIDENCE_UNIT, "routed"),
        (city.RECEIVING_UNIT, city.RESIDENCE_UNIT, "handed_over"),
        (city.RESIDENCE_UNIT, city.OTHER_UNIT, "handed_over"),
    ]


def test_publications_reach_every_unit_once(city, server):
    counter, other = city.enrol(), city.enrol(city.OTHER_UNIT)
    admin = city.admin()
    day = {"date": "2026-04-29", "kind": "off", "note_vi": "Nghỉ thêm", "note_en": "Extra day off"}
    body = {"kind": "calendar", "version": "2026.7", "body": {"year": 2026, "days": [day]}}
    assert admin.post("/v1/admin/publications", json=body).json()["created"] is True
    assert admin.post("/v1/admin/publications", json=body).json()["created"] is False
    for device in (counter, other):
        published = [i for i in feed_of(device)[0] if i["kind"] == "calendar"]
        assert [p["body"]["version"] for p in published].count("2026.7") == 1
