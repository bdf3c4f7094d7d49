"""The officer app works from the catalogue the city publishes: shipped plus synced versions."""

from __future__ import annotations

import json
import logging
from dataclasses import replace

import pytest

from app.state.applicant import fill_from_chip_qr, set_field
from app.state.checklist import add_page
from app.state.intake import IntakeState, choose_procedure, review
from core.catalogue import UnknownProcedure, fee_for
from server.dossiers import list_dossiers, stored_events
from server.testing import publication_adding
from storage import CatalogueCache

from .conftest import CHIP_QR

NEW_CODE = "1.009997"


def stored_versions(desk) -> list[str]:
    reader = CatalogueCache.reader(desk.backend.data_dir)
    try:
        return sorted(reader.versions())
    finally:
        reader.close()


def test_a_published_version_reaches_the_app_and_its_dossiers_ingest(desk, on_vault, photos, city):
    backend = desk.backend
    assert stored_versions(desk) == ["2025.1", "2025.2"]  # handed out at enrolment
    assert backend.catalogue.version == "2025.2"
    assert backend.catalogue is backend.catalogue  # replayed once, not on every call
    assert city.admin.publish("catalogue", "2026.1", publication_adding(NEW_CODE, "2026.1"))
    with pytest.raises(UnknownProcedure):
        backend.catalogue.get(NEW_CODE)

    desk.sync_now()
    assert stored_versions(desk) == ["2025.1", "2025.2", "2026.1"]
    assert backend.catalogue.version == "2026.1"
    procedure = backend.catalogue.get(NEW_CODE)
    assert procedure.name == "Thủ tục mới"
    assert backend.catalogue_of("2025.1").version == "2025.1"
    assert backend.catalogue_of("2099.9").version == "2026.1"  # not here yet: today's

    state = choose_procedure(IntakeState(), procedure)
    applicant = set_field(fill_from_chip_qr(state.applicant, CHIP_QR), "phone", "0912345678")
    state = replace(state, applicant=applicant)
    for component, name in zip(procedure.components[:2], ("form1", "form2"), strict=True):
        page = on_vault(desk.add_photo, photos[name], False)
        state = replace(state, checklist=add_page(state.checklist, component.id, page))
    receipt = on_vault(desk.receive, state, review(state, fee_for))
    assert on_vault(desk.slip, receipt.dossier_id).procedure_name == "Thủ tục mới"

    report = desk.sync_now()
    assert (report.events_confirmed, report.events_quarantined) == (1, 0)
    with city.context.db.read() as conn:
        (summary,) = [
            d for d in list_dossiers(conn, None, None, 10, 0) if d["code"] == receipt.code
        ]
        payload = stored_events(conn, summary["id"])[0].payload
    assert (payload["procedure_code"], payload["catalogue_version"]) == (NEW_CODE, "2026.1")


def test_a_corrupt_stored_publication_is_skipped_with_a_warning(desk, on_vault, caplog):
    backend = desk.backend
    assert backend.catalogue.version == "2025.2"
    bad = publication_adding(NEW_CODE, "2026.2")
    bad["abolished"] = ["1.888888"]
    on_vault(lambda: backend.vault.catalogue.put("2026.2", json.dumps(bad).encode()))
    on_vault(lambda: backend.vault.catalogue.put("2026.3", b"\xff{not json"))
    with caplog.at_level(logging.WARNING, logger="sohoa.storage"):
        catalogue = backend.catalogue
    assert catalogue.version == "2025.2" and catalogue.get("1.001193")
    assert "2026.2.json" in caplog.text and "2026.3" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="sohoa.storage"):
        assert backend.catalogue is catalogue
    assert caplog.text == ""  # warned once, when the stored versions changed
