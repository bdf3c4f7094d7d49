"""Data reuse for counter devices: signed lookups of a citizen's documents and their pages."""

from __future__ import annotations

import hashlib

import httpx

from core.events import EventType
from core.ids import new_id

LOOKUP = "/v1/device/documents/lookup"
PAGE = "/v1/device/documents/page"
REASON = {"procedure_code": "1.001193", "purpose": "tái sử dụng tại quầy"}


def stored_dossier(city, server, cccd: str) -> tuple:
    """Receive a dossier for `cccd` at the receiving unit, with real page bytes on the server."""
    counter = city.enrol()
    event = counter.received(cccd=cccd)
    for component in event.payload["components"]:
        for page in component["pages"]:
            data = f"trang {page['sha256']}".encode()
            page["sha256"] = hashlib.sha256(data).hexdigest()
            server.context.blobs.put(page["sha256"], data)
    assert counter.send([event]).json()["results"][0]["status"] == "accepted"
    return counter, event


def audit_entries(city, cccd: str) -> list[dict]:
    entries = city.admin().get("/v1/admin/audit", params={"limit": 500}).json()["entries"]
    return [entry for entry in entries if entry["subject"] == cccd]


def test_a_device_of_another_unit_finds_the_documents_by_type_and_the_lookup_is_audited(
    city, server
):
    cccd = "031090007001"
    _, event = stored_dossier(city, server, cccd)
    elsewhere = city.enrol(city.OTHER_UNIT)
    answer = elsewhere.http.post(
        LOOKUP, json={"cccd": cccd, "document_types": ["giay_chung_sinh"], **REASON}
    )
    assert answer.status_code == 200, answer.text
    found = answer.json()["documents"]
    assert [d["document_type"] for d in found] == ["giay_chung_sinh"]
    assert found[0]["dossier_id"] == event.dossier_id
    everything = elsewhere.http.post(LOOKUP, json={"cccd": cccd, **REASON}).json()["documents"]
    assert {d["document_type"] for d in everything} == {"to_khai_khai_sinh", "giay_chung_sinh"}
    last = audit_entries(city, cccd)[-1]
    assert last["actor"] == f"device:{elsewhere.id}"
    assert last["action"] == "documents.lookup"
    assert last["detail"]["unit"] == city.OTHER_UNIT
    assert last["detail"]["procedure_code"] == "1.001193"
    assert last["detail"]["purpose"] == REASON["purpose"]
    assert cccd not in str(answer.request.url)


def test_an_unknown_cccd_finds_nothing_and_is_still_audited(city, device):
    cccd = "079199000001"
    answer = device.http.post(LOOKUP, json={"cccd": cccd, **REASON})
    assert answer.json() == {"documents": []}
    assert audit_entries(city, cccd)[-1]["detail"]["found"] == 0


def test_a_page_of_a_stored_document_is_served_to_any_unit(city, server):
    cccd = "031090007002"
    _, event = stored_dossier(city, server, cccd)
    sha = event.payload["components"][1]["pages"][0]["sha256"]
    elsewhere = city.enrol(city.OTHER_UNIT)
    answer = elsewhere.http.post(PAGE, json={"cccd": cccd, "sha256": sha, **REASON})
    assert answer.status_code == 200, answer.text
    assert hashlib.sha256(answer.content).hexdigest() == sha
    assert answer.headers["content-type"] == "image/webp"
    last = audit_entries(city, cccd)[-1]
    assert (last["action"], last["detail"]["sha256"], last["detail"]["found"]) == (
        "documents.page",
        sha,
        True,
    )
    assert city.admin().get("/v1/admin/audit").json()["broken_at"] is None


def test_pages_outside_the_citizens_documents_are_404(city, server):
    cccd = "031090007003"
    counter, event = stored_dossier(city, server, cccd)
    loose = b"a blob no document holds"
    server.context.blobs.put(hashlib.sha256(loose).hexdigest(), loose)
    someone_else = "031090007004"
    stored_sha = event.payload["components"][0]["pages"][0]["sha256"]
    asks = [
        {"cccd": cccd, "sha256": hashlib.sha256(loose).hexdigest()},  # on the server, no document
        {"cccd": someone_else, "sha256": stored_sha},  # another citizen's page
        {"cccd": cccd, "sha256": hashlib.sha256(new_id().encode()).hexdigest()},  # nowhere
    ]
    for ask in asks:
        answer = counter.http.post(PAGE, json={**ask, **REASON})
        assert (answer.status_code, answer.json()["reason"]) == (404, "unknown_page")
    assert audit_entries(city, someone_else)[-1]["detail"]["found"] is False


def test_a_document_page_not_yet_uploaded_is_404(city, device):
    cccd = "031090007005"
    event = device.received(cccd=cccd)  # page hashes of made-up scans, never uploaded
    device.send([event])
    sha = event.payload["components"][0]["pages"][0]["sha256"]
    answer = device.http.post(PAGE, json={"cccd": cccd, "sha256": sha, **REASON})
    assert (answer.status_code, answer.json()["reason"]) == (404, "unknown_page")


def test_results_are_offered_for_reuse_too(city, server):
    cccd = "031090007006"
    counter, event = stored_dossier(city, server, cccd)
    competent = city.enrol(city.RESIDENCE_UNIT)
    result_page = city.page(new_id())
    steps = [
        (EventType.PROCESSING_STARTED, {}),
        (
            EventType.RESULT_READY,
            {
                "result": {
                    "document_type": "giay_khai_sinh",
                    "pages": [result_page],
                    "digitised": True,
                }
            },
        ),
    ]
    for kind, payload in steps:
        sent = competent.send([competent.event(event.dossier_id, kind, payload)]).json()
        assert sent["results"][0]["status"] == "accepted", sent
    found = counter.http.post(
        LOOKUP, json={"cccd": cccd, "document_types": ["giay_khai_sinh"], **REASON}
    ).json()["documents"]
    assert [(d["is_result"], d["pages"]) for d in found] == [(True, [result_page])]


def test_bad_requests_are_refused_with_a_reason_and_unsigned_ones_with_401(city, device):
    bad = [
        {"cccd": "12ab", **REASON},
        {"cccd": "031090007001", "procedure_code": "1.001193"},
        {"cccd": "031090007001", "procedure_code": "1.001193", "purpose": "x"},
        {"cccd": "031090007001", "document_types": "giay_chung_sinh", **REASON},
    ]
    for body in bad:
        answer = device.http.post(LOOKUP, json=body)
        assert (answer.status_code, answer.json()["reason"]) == (422, "invalid_field"), body
    garbled = device.http.post(PAGE, content=b"{not json")
    assert (garbled.status_code, garbled.json()["reason"]) == (400, "malformed_json")
    short = device.http.post(PAGE, json={"cccd": "031090007001", "sha256": "abc", **REASON})
    assert (short.status_code, short.json()["reason"]) == (400, "invalid_sha256")
    unsigned = httpx.post(f"{city.base_url}{LOOKUP}", json={"cccd": "031090007001", **REASON})
    assert (unsigned.status_code, unsigned.json()["reason"]) == (401, "unsigned")
