"""The processing workflow API for city staff: log-in, scoping by unit, steps, figures."""

from __future__ import annotations

import time

import httpx

from core.clock import HybridClock
from core.events import EventType
from core.ids import new_id


def receive(city, unit=None):
    counter = city.enrol(unit or city.RECEIVING_UNIT)
    event = counter.received()
    assert counter.send([event]).json()["results"][0]["status"] == "accepted"
    return event.dossier_id


def test_login_gives_a_token_and_bad_credentials_get_one_answer(city, server):
    server.admin.add_staff("lan", "mat-khau-123", "processing_officer", city.RESIDENCE_UNIT)
    good = httpx.post(
        f"{city.base_url}/v1/auth/login", json={"username": "lan", "password": "mat-khau-123"}
    )
    token = good.json()["token"]
    me = httpx.get(f"{city.base_url}/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json() == {"username": "lan", "role": "processing_officer", "unit_code": "11533"}
    for username, password in (("lan", "sai-mat-khau"), ("nobody", "mat-khau-123")):
        bad = httpx.post(
            f"{city.base_url}/v1/auth/login", json={"username": username, "password": password}
        )
        assert (bad.status_code, bad.json()["reason"]) == (401, "bad_credentials")
    no_token = httpx.get(f"{city.base_url}/v1/dossiers")
    assert (no_token.status_code, no_token.json()["reason"]) == (401, "no_token")
    forged = httpx.get(f"{city.base_url}/v1/dossiers", headers={"Authorization": "Bearer forged"})
    assert forged.json()["reason"] == "bad_token"


def test_units_see_only_their_dossiers_and_probing_answers_404(city):
    dossier_id = receive(city)
    competent = city.staff("processing_officer", city.RESIDENCE_UNIT)
    stranger = city.staff("processing_officer", city.OTHER_UNIT)
    assert dossier_id in [d["id"] for d in competent.get("/v1/dossiers").json()["dossiers"]]
    assert dossier_id not in [d["id"] for d in stranger.get("/v1/dossiers").json()["dossiers"]]
    for probe in (dossier_id, new_id()):
        response = stranger.get(f"/v1/dossiers/{probe}")
        assert (response.status_code, response.json()["reason"]) == (404, "unknown_dossier")
        step = stranger.post(f"/v1/dossiers/{probe}/processing_started", json={})
        assert step.status_code == 404


def test_a_dossier_goes_through_the_steps_and_illegal_ones_are_refused(city):
    dossier_id = receive(city)
    roles = ("receiving_officer", "processing_officer", "leader")
    by_role = {role: city.staff(role, city.RECEIVING_UNIT) for role in roles}
    officer, leader = by_role["receiving_officer"], by_role["leader"]
    processing = by_role["processing_officer"]
    assert processing.post(f"/v1/dossiers/{dossier_id}/processing_started").status_code == 201
    early = officer.post(
        f"/v1/dossiers/{dossier_id}/returned", json={"method": "counter", "postal_ref": None}
    )
    assert (early.status_code, early.json()["reason"]) == (409, "illegal_transition")
    bad = leader.post(f"/v1/dossiers/{dossier_id}/extended", json={"reason": "thiếu hồ sơ"})
    assert (bad.status_code, bad.json()["reason"]) == (422, "bad_wire_format")
    unknown = officer.post(f"/v1/dossiers/{dossier_id}/teleported", json={})
    assert (unknown.status_code, unknown.json()["reason"]) == (404, "unknown_step")
    steps = [
        (leader, "extended", {"new_due_at": "2026-03-06T09:00:00+07:00", "reason": "xin lỗi"}),
        (
            leader,
            "result_ready",
            {
                "result": {
                    "document_type": "giay_khai_sinh",
                    "pages": [city.page("kq")],
                    "digitised": True,
                }
            },
        ),
        (officer, "fee_paid", {"amount_vnd": 0, "online": True}),
        (officer, "returned", {"method": "post", "postal_ref": "EMS123456789VN"}),
    ]
    for client, step, payload in steps:
        response = client.post(f"/v1/dossiers/{dossier_id}/{step}", json=payload)
        assert response.status_code == 201, (step, response.text)
    dossier = officer.get(f"/v1/dossiers/{dossier_id}").json()
    assert dossier["status"] == "returned"
    assert [e["type"] for e in dossier["events"]][-2:] == ["fee_paid", "returned"]
    assert dossier["events"][-1]["officer_id"].startswith("user-")


def test_figures_per_unit_and_city(city):
    receive(city)
    own = city.staff("leader", city.RESIDENCE_UNIT)
    mine = own.get("/v1/figures").json()
    assert mine["unit_code"] == city.RESIDENCE_UNIT and mine["figures"]["received"] >= 1
    assert own.get(f"/v1/figures/{city.OTHER_UNIT}").status_code == 404
    whole = city.staff("leader", None).get("/v1/figures").json()
    assert whole["figures"]["received"] >= mine["figures"]["received"]
    assert whole["units"][city.RESIDENCE_UNIT]["received"] == mine["figures"]["received"]


def test_only_admins_administer(city):
    officer = city.staff("processing_officer", city.RESIDENCE_UNIT)
    response = officer.post("/v1/admin/enrolment-codes", json={"unit_code": city.RESIDENCE_UNIT})
    assert (response.status_code, response.json()["reason"]) == (403, "forbidden_role")
    admin = city.admin()
    code = admin.post("/v1/admin/enrolment-codes", json={"unit_code": city.RESIDENCE_UNIT})
    assert code.status_code == 201 and len(code.json()["code"]) == 14
    unknown_unit = admin.post("/v1/admin/enrolment-codes", json={"unit_code": "99999"})
    assert (unknown_unit.status_code, unknown_unit.json()["reason"]) == (422, "unknown_unit")
    weak = admin.post(
        "/v1/admin/staff", json={"username": "x", "password": "123", "role": "leader"}
    )
    assert weak.json()["reason"] == "weak_password"
    wrong_role = admin.post(
        "/v1/admin/staff", json={"username": "y", "password": "12345678", "role": "king"}
    )
    assert (wrong_role.status_code, wrong_role.json()["reason"]) == (422, "invalid_field")


def test_a_step_after_events_from_a_fast_clock_still_sorts_last(city):
    counter = city.enrol()
    week = 7 * 86400 * 1000
    counter.clock = HybridClock(counter.clock.node, now_ms=lambda: int(time.time() * 1000) + week)
    event = counter.received()
    take = counter.event(event.dossier_id, EventType.PROCESSING_STARTED, {})
    assert [r["status"] for r in counter.send([event, take]).json()["results"]] == [
        "accepted",
        "accepted",
    ]
    officer = city.staff("leader", city.RECEIVING_UNIT)
    stop = officer.post(f"/v1/dossiers/{event.dossier_id}/stopped", json={"reason": "rút hồ sơ"})
    assert stop.status_code == 201, stop.text
    assert stop.json()["dossier"]["status"] == "stopped"
