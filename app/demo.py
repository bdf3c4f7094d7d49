"""``sohoa run``: the city server on SQLite under ./var and an enrolled demo device beside it."""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from app.backend import Backend
from core.settings import Settings
from core.units import unit

__all__ = ["DEMO_UNIT", "DEMO_OFFICER", "DemoDevice", "start_city_server", "prepare_demo_device"]

DEMO_UNIT = "11311"  # Phường Hồng Bàng, Hải Phòng
DEMO_OFFICER = "Cán bộ Demo"
PIN_FILE = "DEMO-PIN.txt"
START_TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class DemoDevice:
    """The demo device's data dir, its officer and PIN (kept in a file: this is a demo)."""

    data_dir: Path
    officer: str
    pin: str
    unit_name: str


def start_city_server(var_dir: Path, host: str, port: int) -> tuple[uvicorn.Server, object]:
    """Serve the city server on `host:port` from a background thread; return it and its context.

    :raises RuntimeError: when it does not start (the port is taken, for instance).
    """
    from server.main import create_app
    from server.settings import ServerSettings

    settings = ServerSettings(
        db_url=f"sqlite:///{var_dir / 'city.db'}",
        blobs_dir=var_dir / "blobs",
        keys_dir=var_dir / "keys",
        uploads_dir=var_dir / "uploads",
        host=host,
        port=port,
    )
    api = create_app(settings)
    server = uvicorn.Server(uvicorn.Config(api, host=host, port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="sohoa-city-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the city server did not start on {host}:{port}")
        time.sleep(0.05)
    return server, api.state.context


def prepare_demo_device(var_dir: Path, server_url: str, context: object) -> DemoDevice:
    """Enrol the demo device once (a fresh one-time code from the server), then reuse it."""
    from server.devices import create_enrolment_code

    data_dir = var_dir / "device"
    pin_file = var_dir / PIN_FILE
    backend = Backend(data_dir, Settings(server_url=server_url, unit_code=DEMO_UNIT))
    try:
        enrolled = backend.vault_thread.submit(lambda: backend.enrolled).result()
        if not enrolled:
            with context.db.write() as conn:
                code = create_enrolment_code(conn, DEMO_UNIT, 3600)
            pin = "".join(secrets.choice("0123456789") for _ in range(8))
            backend.enrol(server_url, code, DEMO_OFFICER, pin)
            pin_file.write_text(pin + "\n", encoding="utf-8")
    finally:
        backend.close()
    return DemoDevice(data_dir, DEMO_OFFICER, pin_file.read_text().strip(), unit(DEMO_UNIT).name)
