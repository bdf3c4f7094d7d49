"""The server package's public names, health probes and problem responses."""

from __future__ import annotations

import json
import logging

import httpx
import pytest
from sqlalchemy import delete

import server
from server.logs import JsonFormatter
from server.schema import schema_migrations
from server.settings import ServerSettings, normalise_db_url


def test_every_exported_name_resolves():
    for name in server.__all__:
        assert getattr(server, name) is not None
    with pytest.raises(AttributeError):
        server.no_such_name  # noqa: B018


def test_database_urls_are_normalised():
    assert normalise_db_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_db_url("sqlite:///var/x.db") == "sqlite:///var/x.db"
    with pytest.raises(server.ServerProblem) as raised:
        ServerSettings(db_url="mysql://h/db")
    assert raised.value.code == "bad_db_url"


def test_health_readiness_and_unknown_routes(city):
    assert httpx.get(f"{city.base_url}/healthz").json() == {"status": "ok"}
    ready = httpx.get(f"{city.base_url}/readyz").json()
    assert ready == {"status": "ready", "schema_version": 3}
    missing = httpx.get(f"{city.base_url}/v1/nothing-here")
    assert (missing.status_code, missing.json()["reason"]) == (404, "not_found")
    assert missing.headers["content-type"] == "application/problem+json"


def test_malformed_json_and_wrong_types_on_plain_endpoints(city):
    broken = httpx.post(
        f"{city.base_url}/v1/enrol",
        content=b'{"code": ',
        headers={"Content-Type": "application/json"},
    )
    assert (broken.status_code, broken.json()["reason"]) == (400, "malformed_json")
    wrong = httpx.post(f"{city.base_url}/v1/enrol", json={"code": 12, "public_key": []})
    assert (wrong.status_code, wrong.json()["reason"]) == (422, "invalid_field")
    assert "detail_vi" in wrong.json() and "detail_en" in wrong.json()


def test_oversized_bodies_are_refused_before_parsing(city, server):
    too_big = b"{" + b" " * server.context.settings.max_body_bytes + b"}"
    response = httpx.post(
        f"{city.base_url}/v1/auth/login",
        content=too_big,
        headers={"Content-Type": "application/json"},
    )
    assert (response.status_code, response.json()["reason"]) == (413, "body_too_large")


def test_migrations_apply_once(server):
    assert server.context.db.migrate() == []


def test_enrolment_hands_out_every_publication(city, server):
    calendar = {"year": 2099, "days": []}
    server.admin.publish("calendar", "2099.1", calendar)
    answer = city.enrol().enrolment
    assert answer["publications"][-1] == {"kind": "calendar", "version": "2099.1", "body": calendar}
    published = [(p["kind"], p["version"]) for p in answer["publications"]]
    assert published == [
        ("catalogue", "2025.1"),
        ("catalogue", "2025.2"),
        ("calendar", "2025.0"),
        ("calendar", "2026.0"),
        ("calendar", "2099.1"),
    ]


def test_readiness_fails_while_a_migration_is_missing(city, server):
    with server.context.db.write() as conn:
        conn.execute(delete(schema_migrations))
    try:
        response = httpx.get(f"{city.base_url}/readyz")
        assert response.status_code == 503
        unready = {"status": "unavailable", "reason": "migrations", "missing": [1, 2, 3]}
        assert response.json() == unready
    finally:
        server.context.db.migrate()
    assert httpx.get(f"{city.base_url}/readyz").status_code == 200


def test_log_lines_are_json_with_their_extra_fields():
    record = logging.makeLogRecord(
        {"name": "sohoa.server.access", "msg": "request", "levelname": "INFO", "status": 201}
    )
    line = json.loads(JsonFormatter().format(record))
    assert line["logger"] == "sohoa.server.access"
    assert (line["msg"], line["level"], line["status"]) == ("request", "info", 201)


def test_admins_list_devices_by_unit(city):
    device = city.enrol(city.OTHER_UNIT)
    listed = city.admin().get("/v1/admin/devices", params={"unit_code": city.OTHER_UNIT}).json()
    assert device.id in [d["id"] for d in listed["devices"]]
    assert {d["unit_code"] for d in listed["devices"]} == {city.OTHER_UNIT}
