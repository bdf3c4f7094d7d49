"""Test helpers: a real city server with extra surfaces mounted (the portal, the console), a ward
counter that receives dossiers through the server's ingest, and the competent unit's officer.

``with running_city(tmp_path, mount_portal, mount_console) as city:
dossier_id, code = Ward(city.context).receive()``
"""

from __future__ import annotations

import hashlib
import itertools
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI

from core.clock import HybridClock
from core.dossier_state import VIETNAM
from core.events import EventType, make_event
from core.ids import new_id
from server.console.workflow import take_step
from server.context import ServerContext
from server.ingest import Origin, ingest_events
from server.main import create_app
from server.permissions import STEPS_BY_ROLE
from server.staff import Role, StaffMember
from server.testing import AdminApi, RunningServer, test_settings

__all__ = ["BIRTH", "CCCD", "PHONE", "UNIT", "WARD", "Unit", "Ward", "running_city"]

START_TIMEOUT_SECONDS = 20
WARD = "11311"  # Phường Hồng Bàng: receives the dossier at the counter
UNIT = "11533"  # Phường Hòa Bình: the applicant's residence, competent for birth registration
BIRTH = "1.001193"
CCCD = "031095001234"
PHONE = "0912345678"
# Dossier codes stay unique within the process: one counter per receiving day, as at a counter.
_SEQUENCES: dict[str, itertools.count] = {}


@contextmanager
def running_city(
    tmp_path: Path, *mounts: Callable[[FastAPI, ServerContext], None]
) -> Iterator[RunningServer]:
    """Serve the city server, with each of `mounts` applied, on a free 127.0.0.1 port."""
    app = create_app(test_settings(tmp_path))
    context = app.state.context
    for mount in mounts:
        mount(app, context)
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="sohoa-city", daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the city server did not start")
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield RunningServer(f"http://127.0.0.1:{port}", context, AdminApi(context))
    finally:
        server.should_exit = True
        thread.join(timeout=10)


class Ward:
    """A counter device of the ward that receives dossiers and sends them through ingest."""

    def __init__(self, context: ServerContext):
        self.context = context
        self.device_id = f"ward-tablet-{new_id()[-6:]}"
        self.clock = HybridClock(self.device_id)

    def receive(
        self, *, due_in_days: int = 3, received_at: datetime | None = None, **applicant: Any
    ) -> tuple[str, str]:
        """Receive a birth registration with one scanned page; return (dossier id, code).

        :param received_at: when the counter received it (now by default)
        """
        now = (received_at or datetime.now(VIETNAM)).astimezone(VIETNAM)
        day = f"{now:%y%m%d}"
        code = f"H31.{WARD}-{day}-{next(_SEQUENCES.setdefault(day, itertools.count(1))):04d}"
        page = {
            "sha256": hashlib.sha256(code.encode()).hexdigest(),
            "media_type": "image/jpeg",
            "mode": "color",
            "dpi": 200,
            "bytes": 1234,
        }
        payload = {
            "code": code,
            "procedure_code": BIRTH,
            "catalogue_version": "2025.2",
            "applicant": {
                "cccd": CCCD,
                "name": "Nguyễn Văn An",
                "birth_date": "1995-04-02",
                "gender": "male",
                "phone": PHONE,
                "address": "12 Lạch Tray",
                "residence_unit": UNIT,
                **applicant,
            },
            "channel": "counter",
            "receiving_unit": WARD,
            "competent_unit": UNIT,
            "return_method": "counter",
            "return_address": None,
            "received_at": now.isoformat(),
            "due_at": (now + timedelta(days=due_in_days)).isoformat(),
            "components": [{"component_id": "to_khai_khai_sinh", "pages": [page]}],
            "fee_vnd": 0,
        }
        dossier_id = new_id()
        event = make_event(
            dossier_id,
            EventType.RECEIVED,
            payload,
            clock=self.clock,
            device_id=self.device_id,
            officer_id="can-bo-1",
            unit_code=WARD,
        )
        with self.context.db.write() as conn:
            (answer,) = ingest_events(conn, [event.to_wire()], Origin(WARD, self.device_id))
        if answer["status"] != "accepted":
            raise RuntimeError(f"the server refused the dossier: {answer}")
        return dossier_id, code


class Unit:
    """The competent unit's officer, acting through the console's workflow functions."""

    def __init__(self, context: ServerContext):
        self.context = context
        self.member = StaffMember("can-bo-hoa-binh", Role.PROCESSING_OFFICER, UNIT)

    def step(self, dossier_id: str, event_type: EventType, payload: dict[str, Any]) -> dict:
        """Record one workflow step on the dossier as a member of the unit whose role takes it."""
        role = next(role for role, steps in STEPS_BY_ROLE.items() if event_type in steps)
        member = StaffMember(f"can-bo-{role}", role, UNIT)
        return take_step(self.context, member, dossier_id, event_type, payload)

    def ask_supplement(self, dossier_id: str, missing: list[str]) -> None:
        """Ask the citizen for `missing` components."""
        self.step(dossier_id, EventType.SUPPLEMENT_REQUESTED, {"missing": missing, "note": ""})

    def finish(self, dossier_id: str) -> None:
        """Process the dossier and return its result at the counter."""
        self.step(dossier_id, EventType.PROCESSING_STARTED, {})
        result = {"document_type": "giay_khai_sinh", "pages": [], "digitised": False}
        self.step(dossier_id, EventType.RESULT_READY, {"result": result})
        self.step(dossier_id, EventType.RETURNED, {"method": "counter", "postal_ref": None})
