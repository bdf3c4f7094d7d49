"""The citizen's actions on the server: follow (rate-limited, failures audited), supplement with
photos that pass the scan pipeline's verdicts, and rate once the result is returned."""

from __future__ import annotations

import pytest

from core.dossier import Status
from core.events import EventType
from server.audit import read_audit
from server.dossiers import stored_events
from server.portal import (
    PORTAL_DEVICE,
    LookupFailed,
    NotAllowedNow,
    NotAPhoto,
    PhotoTooLarge,
    Portal,
    RateLimiter,
    RetakePhoto,
    TooManyLookups,
)

CLIENT = "203.0.113.9"


def test_follow_finds_the_dossier_by_cccd_or_phone_digits(context, ward):
    dossier_id, code = ward.receive()
    portal = Portal(context)
    assert portal.follow(code, "1234", CLIENT) == dossier_id
    assert portal.follow(code.lower(), "345678", CLIENT) == dossier_id
    view = portal.view(dossier_id)
    assert (view.code, view.status, view.page_count) == (code, Status.RECEIVED, 1)
    assert [entry.event_type for entry in view.timeline] == [EventType.RECEIVED]


def test_failed_lookups_are_audited_without_the_digits(context, ward):
    _, code = ward.receive()
    portal = Portal(context)
    with context.db.read() as conn:
        seen = len(read_audit(conn, limit=10_000))
    for bad_code, digits in ((code, "0000"), ("H31.00000-000000-0000", "1234"), (code, "12")):
        with pytest.raises(LookupFailed):
            portal.follow(bad_code, digits, CLIENT)
    with context.db.read() as conn:
        entries = read_audit(conn, limit=10_000)[seen:]
    assert [e["action"] for e in entries] == ["portal.lookup_failed"] * 3
    assert entries[0]["subject"] == code and CLIENT not in entries[0]["actor"]
    assert all("0000" not in str(e["detail"]) for e in entries)


def test_lookups_are_rate_limited_per_client_and_per_code(context, ward):
    _, code = ward.receive()
    portal = Portal(
        context,
        client_limiter=RateLimiter(context.db, "test-client", 3, 600),
        code_limiter=RateLimiter(context.db, "test-code", 2, 3600),
    )
    for _ in range(2):
        with pytest.raises(LookupFailed):
            portal.follow(code, "9999", "198.51.100.1")
    with pytest.raises(TooManyLookups):  # the code's failures are spent, even from elsewhere
        portal.follow(code, "1234", "198.51.100.2")
    for n in range(3):
        with pytest.raises(LookupFailed):
            portal.follow(f"H31.00000-000000-000{n}", "1234", "198.51.100.3")
    with pytest.raises(TooManyLookups) as refused:  # this client's lookups are spent
        portal.follow("H31.00000-000000-0009", "1234", "198.51.100.3")
    assert refused.value.retry_after_seconds > 0


def test_a_supplement_becomes_pages_for_the_competent_unit(
    context, ward, unit, sharp_photo, blurred_photo
):
    dossier_id, _ = ward.receive()
    portal = Portal(context)
    with pytest.raises(NotAllowedNow):  # nobody asked for a supplement yet
        portal.add_photo(dossier_id, "giay_chung_sinh", sharp_photo)
    unit.ask_supplement(dossier_id, ["giay_chung_sinh", "bản sao sổ hộ khẩu"])
    view = portal.view(dossier_id)
    assert view.can_supplement
    assert [(m.item, m.is_component) for m in view.missing] == [
        ("giay_chung_sinh", True),
        ("bản sao sổ hộ khẩu", False),
    ]
    with pytest.raises(RetakePhoto) as blurred:
        portal.add_photo(dossier_id, "giay_chung_sinh", blurred_photo)
    assert "blur" in [v["code"] for v in blurred.value.verdicts]
    with pytest.raises(NotAPhoto):
        portal.add_photo(dossier_id, "giay_chung_sinh", b"%PDF-1.7 not a photo")
    with pytest.raises(PhotoTooLarge):
        portal.add_photo(dossier_id, "giay_chung_sinh", bytes(15_000_001))
    record = portal.add_photo(dossier_id, "giay_chung_sinh", sharp_photo)
    portal.add_photo(dossier_id, "bản sao sổ hộ khẩu", sharp_photo)
    assert context.blobs.has(record["sha256"])
    portal.finish_supplement(dossier_id)
    with context.db.read() as conn:
        events = stored_events(conn, dossier_id)
    added = [e for e in events if e.type is EventType.PAGES_ADDED]
    assert [e.payload["component_id"] for e in added] == ["giay_chung_sinh", "bo_sung"]
    # Citizen events name the unit holding the dossier: still the receiving ward here.
    assert all(e.device_id == PORTAL_DEVICE and e.unit_code == "11311" for e in added)
    assert events[-1].type is EventType.SUPPLEMENTED
    assert portal.view(dossier_id).status is Status.RECEIVED


def test_rating_waits_for_the_return_and_happens_once(context, ward, unit):
    dossier_id, _ = ward.receive()
    portal = Portal(context)
    with pytest.raises(NotAllowedNow):
        portal.rate(dossier_id, "satisfied")
    unit.finish(dossier_id)
    assert portal.view(dossier_id).can_rate
    with pytest.raises(NotAllowedNow):
        portal.rate(dossier_id, "delighted")
    portal.rate(dossier_id, "satisfied")
    view = portal.view(dossier_id)
    assert view.rating == "satisfied" and not view.can_rate
    with pytest.raises(NotAllowedNow):
        portal.rate(dossier_id, "unsatisfied")
