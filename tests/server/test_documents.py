"""The citizen document store and its hash-chained audit log."""

from __future__ import annotations

from sqlalchemy import update

from core.ids import new_id
from server.schema import audit_log

CCCD = "031090009999"


def test_documents_are_found_by_cccd_and_type_and_every_lookup_is_audited(city):
    counter = city.enrol()
    event = counter.received(cccd=CCCD)
    counter.send([event])
    officer = city.staff("receiving_officer", city.OTHER_UNIT)
    found = officer.get(
        "/v1/documents", params={"cccd": CCCD, "purpose": "tái sử dụng cho hồ sơ mới"}
    ).json()["documents"]
    assert {d["document_type"] for d in found} >= {"to_khai_khai_sinh", "giay_chung_sinh"}
    assert all(d["dossier_id"] == event.dossier_id for d in found)
    one_type = counter.http.post(
        "/v1/device/documents/lookup",
        json={
            "cccd": CCCD,
            "procedure_code": "1.001193",
            "purpose": "quầy",
            "document_types": ["giay_chung_sinh"],
        },
    ).json()["documents"]
    assert [d["document_type"] for d in one_type] == ["giay_chung_sinh"]
    audit = city.admin().get("/v1/admin/audit").json()
    mine = [e for e in audit["entries"] if e["subject"] == CCCD]
    assert [e["actor"].split(":")[0] for e in mine][-2:] == ["staff", "device"]
    assert audit["broken_at"] is None


def test_lookups_need_a_purpose_and_a_well_formed_cccd(city):
    officer = city.staff("receiving_officer", city.OTHER_UNIT)
    for params in ({"cccd": CCCD}, {"cccd": "12ab", "purpose": "kiểm tra"}):
        response = officer.get("/v1/documents", params=params)
        assert (response.status_code, response.json()["reason"]) == (422, "invalid_field")


def test_tampering_with_the_audit_log_is_detected(city, server):
    officer = city.staff("receiving_officer", city.OTHER_UNIT)
    officer.get("/v1/documents", params={"cccd": CCCD, "purpose": "kiểm tra " + new_id()})
    entries = city.admin().get("/v1/admin/audit").json()["entries"]
    target = entries[-1]["seq"]
    with server.context.db.write() as conn:
        conn.execute(update(audit_log).where(audit_log.c.seq == target).values(actor="someone"))
    assert city.admin().get("/v1/admin/audit").json()["broken_at"] == target
    with server.context.db.write() as conn:
        conn.execute(
            update(audit_log).where(audit_log.c.seq == target).values(actor=entries[-1]["actor"])
        )
    assert city.admin().get("/v1/admin/audit").json()["broken_at"] is None
