"""Catalogue publications on the server: shipped ones at startup, the city's by the admin API."""

from __future__ import annotations

import json
import logging

from sqlalchemy import func, select

from core.events import EventType
from core.ids import new_id
from server.feed import publish_shipped
from server.schema import changes, documents, publications
from server.testing import publication_adding, running_server

NEW_CODE = "1.009998"


def catalogue_items(server) -> list[str]:
    """Return the version of every catalogue item in the change feed, in feed order."""
    with server.context.db.read() as conn:
        rows = conn.execute(
            select(changes.c.body).where(changes.c.kind == "catalogue").order_by(changes.c.seq)
        ).all()
    return [json.loads(row.body)["version"] for row in rows]


def test_a_fresh_server_publishes_the_shipped_catalogue_exactly_once(tmp_path):
    with running_server(tmp_path) as server:
        assert catalogue_items(server) == ["2025.1", "2025.2"]
        assert server.context.catalogue.version == "2025.2"
    with running_server(tmp_path) as restarted:
        assert catalogue_items(restarted) == ["2025.1", "2025.2"]
        with restarted.context.db.write() as conn:
            assert publish_shipped(conn) == []


def test_the_city_publishes_a_version_and_a_dossier_under_it_ingests(city, server, device):
    with city.admin() as admin:
        first = admin.post(
            "/v1/admin/publications",
            json={
                "kind": "catalogue",
                "version": "2026.1",
                "body": publication_adding(NEW_CODE, "2026.1"),
            },
        )
        again = admin.post(
            "/v1/admin/publications",
            json={
                "kind": "catalogue",
                "version": "2026.1",
                "body": publication_adding(NEW_CODE, "2026.1"),
            },
        )
    assert first.status_code == 201, first.text
    assert (first.json()["created"], again.json()["created"]) == (True, False)
    assert server.context.catalogue.get(NEW_CODE).name == "Thủ tục mới"

    feed = device.http.get("/v1/feed", params={"cursor": 0, "limit": 500}).json()["items"]
    published = [i["body"] for i in feed if i["kind"] == "catalogue"]
    assert [p["version"] for p in published] == ["2025.1", "2025.2", "2026.1"]
    assert published[-1]["body"] == publication_adding(NEW_CODE, "2026.1")

    payload = city.received_payload(device.unit_code, {}, device.next_code())
    payload.update(procedure_code=NEW_CODE, catalogue_version="2026.1")
    event = device.event(new_id(), EventType.RECEIVED, payload)
    (answer,) = device.send([event]).json()["results"]
    assert answer["status"] == "accepted", answer
    assert answer["routed_to"] == city.RESIDENCE_UNIT
    with server.context.db.read() as conn:
        types = conn.scalars(
            select(documents.c.document_type).where(documents.c.dossier_id == event.dossier_id)
        ).all()
    assert sorted(types) == ["giay_chung_sinh", "to_khai_khai_sinh"]

    unknown = {**payload, "code": device.next_code(), "catalogue_version": "2026.7"}
    (refused,) = device.send([device.event(new_id(), EventType.RECEIVED, unknown)]).json()[
        "results"
    ]
    assert (refused["status"], refused["reason"]) == ("rejected", "unknown_procedure")

    later = city.enrol()
    versions = [p["version"] for p in later.enrolment["publications"] if p["kind"] == "catalogue"]
    assert versions == ["2025.1", "2025.2", "2026.1"]


def _count(server, version: str) -> tuple[int, int]:
    with server.context.db.read() as conn:
        stored = conn.scalar(
            select(func.count()).select_from(publications).where(publications.c.version == version)
        )
    return stored, catalogue_items(server).count(version)


def test_a_bad_body_is_refused_with_its_file_procedure_and_field(city, server):
    body = publication_adding(NEW_CODE, "2026.9", "2026-09-01")
    del body["added"][0]["fee"]
    with city.admin() as admin:
        response = admin.post(
            "/v1/admin/publications", json={"kind": "catalogue", "version": "2026.9", "body": body}
        )
        renamed = admin.post(
            "/v1/admin/publications",
            json={
                "kind": "catalogue",
                "version": "2026.8",
                "body": publication_adding(NEW_CODE, "2026.9"),
            },
        )
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["reason"] == "bad_catalogue"
    assert problem["detail_vi"] == f"2026.9.json: thủ tục {NEW_CODE}, trường 'fee': bị thiếu"
    assert problem["detail_en"] == f"2026.9.json: procedure {NEW_CODE}, field 'fee': is missing"
    assert (renamed.status_code, renamed.json()["reason"]) == (422, "bad_catalogue")
    assert "2026.8.json" in renamed.json()["detail_en"]
    assert _count(server, "2026.9") == (0, 0)
    assert _count(server, "2026.8") == (0, 0)


def test_a_row_stored_without_checks_is_skipped_with_a_warning(tmp_path, caplog):
    with running_server(tmp_path) as server:
        with server.context.db.write() as conn:
            conn.execute(
                publications.insert().values(
                    kind="catalogue", version="2099.1", body='{"procedures": []}', published_at=0
                )
            )
        with caplog.at_level(logging.WARNING, logger="sohoa.server"):
            assert server.context.catalogue.version == "2025.2"
        assert "2099.1.json" in caplog.text
        # The city can still publish on top of what does replay.
        assert server.admin.publish("catalogue", "2026.1", publication_adding(NEW_CODE, "2026.1"))
        assert server.context.catalogue.get(NEW_CODE)
