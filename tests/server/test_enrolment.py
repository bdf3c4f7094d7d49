"""Enrolment: one-time codes, keys, slots, revocation and wipe."""

from __future__ import annotations


def test_enrolment_answers_what_the_device_needs_offline(server, city):
    device = city.enrol()
    answer = device.enrolment
    assert answer["unit_code"] == city.RECEIVING_UNIT
    assert answer["code_issuer"]["agency_code"] == "H31.11311"
    assert 0 <= answer["code_issuer"]["device_slot"] < 33
    assert answer["server_signing_key"] == server.context.keys.signing_public_b64
    assert answer["server_sealing_key"] == server.context.keys.sealing_public_b64
    catalogues = [p["version"] for p in answer["publications"] if p["kind"] == "catalogue"]
    assert catalogues == ["2025.1", "2025.2"]
    me = device.http.get("/v1/device")
    assert me.status_code == 200, me.text
    assert me.json()["device_id"] == device.id
