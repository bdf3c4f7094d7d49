"""Pre-applications: issued under a code an officer can type, found again, refused when unknown."""

from __future__ import annotations

import base64
import hashlib
import re
import time

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import update

from core.catalogue import UnknownProcedure
from server.audit import read_audit
from server.portal import (
    PreApplication,
    UnknownPreApplication,
    find_preapplication,
    issue_preapplication,
    store_photo,
)
from server.portal.preapply import create_tables, normalise_preapplication_code, preapplications
from server.portal.testing import WARD
from sync.signing import ServerClock, SigningAuth

PAGE = {"sha256": "a" * 64, "media_type": "image/jpeg", "mode": "color", "dpi": 200, "bytes": 9}


def _issue(context, procedure_code="1.001193") -> PreApplication:
    draft = PreApplication(procedure_code, context.catalogue.version)
    draft.add_page("to_khai_khai_sinh", PAGE)
    draft.add_page("to_khai_khai_sinh", {**PAGE, "sha256": "b" * 64})
    with context.db.write() as conn:
        create_tables(conn)
        return issue_preapplication(conn, draft, context.catalogue)


def test_an_issued_pre_application_is_found_by_its_code_however_typed(context):
    issued = _issue(context)
    assert re.fullmatch(r"NT-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", issued.code)
    typed = issued.code.lower().replace("-", " ")
    with context.db.read() as conn:
        found = find_preapplication(conn, typed)
    assert found.to_dict() == issued.to_dict()
    assert found.page_count == 2


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("nt-ab12-cd34", "NT-AB12-CD34"),
        ("AB12CD34", "NT-AB12-CD34"),
        ("NTNT12AB", "NT-NTNT-12AB"),  # a body may itself start with NT
        ("nt-oil2-cd34", "NT-0112-CD34"),  # letters misread for digits
        ("NT-AB12-CD3", ""),
        ("", ""),
    ],
)
def test_codes_are_normalised(typed, expected):
    assert normalise_preapplication_code(typed) == expected


def test_unknown_and_expired_codes_are_refused(context):
    issued = _issue(context)
    with context.db.write() as conn:
        conn.execute(
            update(preapplications)
            .where(preapplications.c.code == issued.code)
            .values(expires_at=time.time() - 1)
        )
    with context.db.read() as conn:
        for code in (issued.code, "NT-0000-0000", "rubbish"):
            with pytest.raises(UnknownPreApplication):
                find_preapplication(conn, code)


def test_an_unknown_procedure_is_not_issued(context):
    with pytest.raises(UnknownProcedure):
        _issue(context, procedure_code="9.999999")


def test_staff_find_a_pre_application_over_http_and_others_cannot(city):
    issued = _issue(city.context)
    staff = {"Authorization": f"Bearer {city.admin.token}"}
    found = httpx.get(f"{city.base_url}/v1/preapplications/{issued.code}", headers=staff)
    assert found.status_code == 200 and found.json()["code"] == issued.code
    unknown = httpx.get(f"{city.base_url}/v1/preapplications/NT-0000-0000", headers=staff)
    assert (unknown.status_code, unknown.json()["reason"]) == (404, "unknown_preapplication")
    anonymous = httpx.get(f"{city.base_url}/v1/preapplications/{issued.code}")
    assert anonymous.status_code == 401
    unsigned = httpx.get(f"{city.base_url}/v1/device/preapplications/{issued.code}")
    assert unsigned.status_code == 401


def _device(city) -> httpx.Client:
    key = Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    enrolled = httpx.post(
        f"{city.base_url}/v1/enrol",
        json={
            "code": city.admin.enrolment_code(WARD),
            "public_key": base64.b64encode(public).decode(),
        },
    ).json()
    auth = SigningAuth(key, enrolled["device_id"], ServerClock())
    return httpx.Client(base_url=city.base_url, auth=auth, timeout=30)


def test_a_counter_device_takes_over_the_pages_and_sees_them(city, sharp_photo):
    page = store_photo(city.context.blobs, sharp_photo)
    draft = PreApplication("1.001193", city.context.catalogue.version)
    draft.add_page("giay_chung_sinh", page.page_record())
    with city.context.db.write() as conn:
        issued = issue_preapplication(conn, draft, city.context.catalogue)
    with _device(city) as device:
        found = device.get(f"/v1/device/preapplications/{issued.code}").json()
        assert found["components"][0]["pages"] == [page.page_record()]
        shown = device.get(f"/v1/device/preapplications/{issued.code}/pages/{page.sha256}")
        assert hashlib.sha256(shown.content).hexdigest() == page.sha256  # the page itself
        other = device.get(f"/v1/device/preapplications/{issued.code}/pages/{'d' * 64}")
        assert (other.status_code, other.json()["reason"]) == (404, "unknown_page")
    with city.context.db.read() as conn:
        entry = read_audit(conn, limit=10_000)[-1]
    assert (entry["action"], entry["subject"]) == ("preapplication.page", issued.code)
