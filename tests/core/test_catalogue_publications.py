"""Catalogue publications received as JSON bodies (from the city server), after the shipped."""

from __future__ import annotations

import copy
from datetime import date

import pytest

from core.catalogue import (
    CatalogueError,
    history_with,
    load_history,
    shipped_publications,
    usable_history,
)
from core.catalogue_load import parse_publications

NEW_CODE = "1.009999"


def publication(version: str, effective: str, **changes: object) -> dict:
    """Return a publication body that adds one procedure (a copy of birth registration)."""
    birth = copy.deepcopy(shipped_publications()[0][1]["added"][0])
    added = {**birth, "code": NEW_CODE, "name": "Thủ tục thử nghiệm", "name_en": "Trial procedure"}
    body = {
        "version": version,
        "decision": "1/QĐ-UBND",
        "effective_date": effective,
        "title": "Thử nghiệm",
        "title_en": "Trial",
        "added": [added],
        "amended": [],
        "abolished": [],
        "bundles": [],
        "abolished_bundles": [],
    }
    return {**body, **changes}


def test_bodies_and_files_replay_through_the_same_parser():
    from_bodies = parse_publications(shipped_publications())
    assert [c.version for c in from_bodies] == [c.version for c in load_history().catalogues]
    assert from_bodies[-1].procedures == load_history().latest.procedures


def test_a_received_version_is_replayed_by_effective_date():
    history = history_with({"2025.1b": publication("2025.1b", "2025-08-01")})
    assert [c.version for c in history.catalogues] == ["2025.1", "2025.1b", "2025.2"]
    assert NEW_CODE not in history.version("2025.1").procedures
    # The later shipped publication is replayed on top of the received one, so it keeps it.
    assert history.version("2025.2").get(NEW_CODE).name == "Thủ tục thử nghiệm"
    assert len(history.latest.procedures) == len(load_history().latest.procedures) + 1


def test_a_shipped_version_received_again_must_be_identical():
    version, body = "2025.2", shipped_publications()[-1][1]
    assert history_with({version: copy.deepcopy(body)}).latest == load_history().latest
    changed = {**body, "decision": "9999/QĐ-UBND"}
    with pytest.raises(CatalogueError) as caught:
        history_with({version: changed})
    assert (caught.value.file, caught.value.field) == ("2025.2.json", "version")


def _drop_fee(body: dict) -> None:
    del body["added"][0]["fee"]


def _bad_component(body: dict) -> None:
    body["added"][0]["components"][0]["copies"] = -1


def _add_existing(body: dict) -> None:
    body["added"][0]["code"] = "1.001193"


def _abolish_unknown(body: dict) -> None:
    body["abolished"] = ["1.888888"]


def _other_version(body: dict) -> None:
    body["version"] = "2026.2"


def _same_date_as_shipped(body: dict) -> None:
    body["effective_date"] = "2025-10-01"


@pytest.mark.parametrize(
    ("edit", "procedure", "field"),
    [
        (_drop_fee, NEW_CODE, "fee"),
        (_bad_component, NEW_CODE, "components[0].copies"),
        (_add_existing, "1.001193", "added"),
        (_abolish_unknown, "1.888888", "abolished"),
        (_other_version, "(công bố / publication)", "version"),
        (_same_date_as_shipped, "(công bố / publication)", "effective_date"),
    ],
)
def test_a_bad_body_names_its_version_procedure_and_field(edit, procedure, field):
    body = publication("2026.1", "2026-01-01")
    edit(body)
    with pytest.raises(CatalogueError) as caught:
        history_with({"2026.1": body})
    error = caught.value
    assert (error.file, error.procedure, error.field) == ("2026.1.json", procedure, field)
    assert error.message_vi.startswith(f"2026.1.json: thủ tục {procedure}, trường '{field}'")
    assert error.message_en.startswith(f"2026.1.json: procedure {procedure}, field '{field}'")


@pytest.mark.parametrize("body", [None, [], "text", {"version": "2026.1"}])
def test_a_body_that_is_no_publication_is_refused(body):
    with pytest.raises(CatalogueError) as caught:
        history_with({"2026.1": body})
    assert caught.value.file == "2026.1.json"


def test_usable_history_skips_what_does_not_replay_and_keeps_the_rest():
    good = publication("2026.1", "2026-01-01")
    bad = publication("2026.2", "2026-03-01", abolished=["1.888888"], added=[])
    # Adding the same procedure again only fails because 2026.1 came first.
    clash = publication("2026.3", "2026-06-01")
    history, errors = usable_history({"2026.3": clash, "2026.2": bad, "2026.1": good})
    assert [c.version for c in history.catalogues] == ["2025.1", "2025.2", "2026.1"]
    assert [(e.file, e.field) for e in errors] == [
        ("2026.2.json", "abolished"),
        ("2026.3.json", "added"),
    ]
    assert usable_history({})[0].latest == load_history().latest


def test_the_current_catalogue_waits_for_its_effective_date():
    history = history_with({"2027.1": publication("2027.1", "2027-01-01")})
    assert history.latest.version == "2027.1"
    assert history.current(date(2026, 12, 31)).version == "2025.2"
    assert history.current(date(2027, 1, 1)).version == "2027.1"
    # A device clock set before the first publication still gets a catalogue.
    assert history.current(date(2020, 1, 1)).version == "2025.1"
    assert "2027.1" in history and "2099.1" not in history
