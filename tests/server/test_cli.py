"""The server's commands: enroll, staff add, bundle import and server itself."""

from __future__ import annotations

import base64
import socket
import subprocess
import sys
import time
from datetime import date

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

from cli import main
from core.clock import HybridClock
from core.codes import CodeIssuer
from core.events import EventType, make_event
from core.ids import new_id
from server.testing import running_server, test_settings
from sync.bundle import seal_bundle
from sync.signing import ServerClock, SigningAuth


def storage_args(tmp_path):
    settings = test_settings(tmp_path)
    return [
        "--db",
        settings.db_url,
        "--blobs",
        str(settings.blobs_dir),
        "--keys",
        str(settings.keys_dir),
        "--uploads",
        str(settings.uploads_dir),
    ]


def test_enroll_prints_the_code_last_writes_a_qr_and_the_server_takes_it(tmp_path, capsys, city):
    qr = tmp_path / "code.png"
    assert main(["enroll", "--unit", "11311", "--qr", str(qr), *storage_args(tmp_path)]) == 0
    code = capsys.readouterr().out.strip().splitlines()[-1]
    assert len(code) == 14 and code.count("-") == 2
    assert qr.read_bytes().startswith(b"\x89PNG")
    with running_server(tmp_path) as running:
        key = city.public_key_b64(Ed25519PrivateKey.generate())
        answer = httpx.post(f"{running.base_url}/v1/enrol", json={"code": code, "public_key": key})
        assert answer.status_code == 201 and answer.json()["unit_code"] == "11311"


def test_enroll_refuses_an_unknown_unit(tmp_path, capsys):
    assert main(["enroll", "--unit", "00000", *storage_args(tmp_path)]) == 2
    assert "00000" in capsys.readouterr().err


def test_staff_add_then_log_in(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SOHOA_PASSWORD", "mat-khau-123")
    argv = ["staff", "add", "hoa", "--role", "leader", "--unit", "11311", *storage_args(tmp_path)]
    assert main(argv) == 0
    with running_server(tmp_path) as running:
        login = httpx.post(
            f"{running.base_url}/v1/auth/login",
            json={"username": "hoa", "password": "mat-khau-123"},
        )
        assert login.status_code == 200


def test_bundle_import_twice_changes_nothing(tmp_path, capsys, city):
    key = Ed25519PrivateKey.generate()
    with running_server(tmp_path) as running:
        code = running.admin.enrolment_code("11311")
        answer = httpx.post(
            f"{running.base_url}/v1/enrol",
            json={"code": code, "public_key": city.public_key_b64(key)},
        ).json()
    event = make_event(
        new_id(),
        EventType.RECEIVED,
        city.received_payload("11311", {}, CodeIssuer("H31.11311", 0).issue(date(2026, 3, 2))),
        clock=HybridClock("cli-test"),
        device_id=answer["device_id"],
        officer_id="officer-1",
        unit_code="11311",
    )
    city_key = X25519PublicKey.from_public_bytes(base64.b64decode(answer["server_sealing_key"]))
    bundle = tmp_path / "outbox.sohoa"
    bundle.write_bytes(
        seal_bundle(
            [event], {}, device_id=answer["device_id"], device_key=key, city_public_key=city_key
        )
    )
    for _ in range(2):
        assert main(["bundle", "import", str(bundle), *storage_args(tmp_path)]) == 0
        assert capsys.readouterr().out.splitlines()[-1] == (
            "accepted=1 duplicate=0 rejected=0 blobs=0"
        )


def test_sohoa_server_serves_health_and_openapi(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "cli", "server", "--port", str(port), *storage_args(tmp_path)]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/healthz")
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and process.poll() is None
                time.sleep(0.1)
        assert health.json() == {"status": "ok"}
        assert httpx.get(f"http://127.0.0.1:{port}/readyz").json()["status"] == "ready"
        paths = httpx.get(f"http://127.0.0.1:{port}/openapi.json").json()["paths"]
        assert {"/v1/events", "/v1/feed", "/v1/enrol", "/v1/files/"} <= set(paths)
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert '"logger": "sohoa.server.access"' in process.stderr.read()


def test_a_server_restarted_on_the_same_files_keeps_its_devices(tmp_path, city):
    with running_server(tmp_path) as first:
        device_key = Ed25519PrivateKey.generate()
        code = first.admin.enrolment_code("11311")
        answer = httpx.post(
            f"{first.base_url}/v1/enrol",
            json={"code": code, "public_key": city.public_key_b64(device_key)},
        ).json()
        signing_key = answer["server_signing_key"]
    with running_server(tmp_path) as again:
        auth = SigningAuth(device_key, answer["device_id"], ServerClock())
        me = httpx.get(f"{again.base_url}/v1/device", auth=auth)
        assert me.json()["device_id"] == answer["device_id"]
        assert again.context.keys.signing_public_b64 == signing_key
