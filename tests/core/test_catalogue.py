import doctest
import json
import re
import shutil
from datetime import date

import pytest

import core.calendar
import core.catalogue
import core.codes
import core.units
from core.catalogue import (
    CATALOGUE_DIR,
    FIELDS,
    CatalogueError,
    FeeError,
    RoutingError,
    UnknownProcedure,
    catalogue_at,
    catalogue_version,
    competent_unit,
    fee_for,
    load_catalogue,
    load_history,
)
from core.units import UnknownUnit

LATEST = load_catalogue()
BASE = "2025-07-01.json"

NAMED_IN_THE_BRIEF = [
    "1.001193", "1.000656", "1.000894", "1.003583", "1.004884",
    "2.000815", "2.000884", "1.004222", "1.004194", "1.010038",
    "1.004873", "1.001022", "1.004837", "1.004859", "1.003197", "1.001776",
]  # fmt: skip


def test_catalogue_holds_at_least_25_real_commune_procedures():
    assert len(LATEST.procedures) >= 25
    assert set(NAMED_IN_THE_BRIEF) <= set(LATEST.procedures)
    for procedure in LATEST.procedures.values():
        assert re.fullmatch(r"\d\.\d{6}", procedure.code)
        assert procedure.level == "commune" and procedure.field in FIELDS
        assert procedure.components and procedure.results
        assert any(c.mandatory for c in procedure.components)


def test_birth_registration_is_described_in_full():
    birth = LATEST.get("1.001193")
    assert (birth.name, birth.name_en) == ("Đăng ký khai sinh", "Birth registration")
    assert birth.processing.same_day and "15" in birth.processing.describe("vi")
    assert birth.processing.describe("en").startswith("Same day")
    assert LATEST.get("1.004873").processing.describe("en") == "3 working days"
    assert LATEST.get("1.004222").processing.describe("vi") == "7 ngày làm việc"
    assert birth.boundary_free and birth.competent_unit_rule == "applicant_residence"
    form = birth.component("to_khai_khai_sinh")
    assert form.originals == 1 and form.must_digitise and form.mandatory
    assert [r.document_type for r in birth.results] == ["giay_khai_sinh"]
    with pytest.raises(UnknownProcedure):
        birth.component("nothing")


def test_results_can_be_reused_as_components_of_later_procedures():
    produced = {r.document_type for p in LATEST.procedures.values() for r in p.results}
    needed = {c.document_type for p in LATEST.procedures.values() for c in p.components}
    assert {"giay_khai_sinh", "trich_luc_khai_tu", "giay_xac_nhan_khuyet_tat"} <= produced & needed


def test_bundles_link_catalogue_procedures():
    birth = LATEST.bundle("3.000722")
    assert birth.procedures == ("1.001193", "1.004222") and birth.processing.working_days == 3
    assert "6" in birth.condition and birth.other_steps
    death = LATEST.bundle("2.002913")
    assert death.procedures == ("1.000656", "1.003197", "1.001731")
    with pytest.raises(UnknownProcedure):
        LATEST.bundle("9.999999")


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("khai sinh", "1.001193"),
        ("KHAI SINH", "1.001193"),
        ("Khai sinh", "1.001193"),
        ("đăng ký kết hôn", "1.000894"),
        ("tinh trang hon nhan", "1.004873"),
        ("2.000815", "2.000815"),
        ("1.0042", "1.004222"),
        ("birth registration", "1.001193"),
        ("thuong tru", "1.004222"),
        ("giam ho", "1.004837"),
    ],
)
def test_search_by_code_or_words_ignores_diacritics(query, first):
    assert LATEST.search(query)[0].code == first


def test_search_needs_every_word():
    assert LATEST.search("khai sinh ly hon") == []
    assert LATEST.search("") == []
    assert {p.code for p in LATEST.search("khai tu")} >= {"1.000656", "1.005461", "1.000419"}


@pytest.mark.parametrize(
    ("pages", "copies", "fee"),
    [
        (1, 1, 2_000),
        (2, 1, 4_000),
        (3, 1, 5_000),
        (5, 2, 14_000),
        (198, 1, 200_000),
        (500, 3, 600_000),
    ],
)
def test_certified_copy_fee_is_per_page_with_a_cap(pages, copies, fee):
    assert fee_for(LATEST.get("2.000815"), pages=pages, copies=copies) == fee


def test_other_fee_kinds():
    assert fee_for(LATEST.get("1.001193")) == 0
    assert fee_for(LATEST.get("2.000884"), copies=3) == 30_000
    assert fee_for(LATEST.get("2.001019"), copies=3) == 50_000
    assert fee_for(LATEST.get("2.000635"), copies=2) == 16_000


@pytest.mark.parametrize(
    ("code", "pages", "copies"), [("2.000815", 0, 1), ("2.000884", 0, 0), ("1.001193", -1, 1)]
)
def test_impossible_fee_input_is_refused(code, pages, copies):
    with pytest.raises(FeeError):
        fee_for(LATEST.get(code), pages=pages, copies=copies)


def test_competent_unit_follows_the_procedure_rule():
    birth, copy, death = LATEST.get("1.001193"), LATEST.get("2.000815"), LATEST.get("1.000656")
    assert competent_unit(copy, "11311", {}) == "11311"
    assert competent_unit(birth, "11311", {"residence_unit": "11560"}) == "11560"
    assert competent_unit(death, "11311", {"deceased_residence_unit": "11914"}) == "11914"
    shop = LATEST.get("1.001612")
    assert competent_unit(shop, "11311", {"business_location_unit": "11311"}) == "11311"


@pytest.mark.parametrize(
    ("code", "applicant", "error"),
    [
        ("1.001193", {}, "missing_applicant_data"),
        ("1.001193", {"residence_unit": ""}, "missing_applicant_data"),
        ("1.003583", {"residence_unit": "11560"}, "outside_boundary"),
        ("1.001193", {"residence_unit": "00070"}, "outside_province"),
    ],
)
def test_routing_errors_say_why(code, applicant, error):
    with pytest.raises(RoutingError) as caught:
        competent_unit(LATEST.get(code), "11311", applicant)
    assert caught.value.code == error


def test_unknown_units_are_refused_when_routing():
    with pytest.raises(UnknownUnit):
        competent_unit(LATEST.get("1.001193"), "11311", {"residence_unit": "99999"})
    with pytest.raises(UnknownUnit):
        competent_unit(LATEST.get("2.000815"), "99999", {})


def test_versions_are_looked_up_by_date_and_by_id():
    first, second = catalogue_at(date(2025, 9, 30)), catalogue_at(date(2025, 10, 1))
    assert (first.version, first.decision, first.effective_date) == (
        "2025.1",
        "1468/QĐ-UBND",
        date(2025, 7, 1),
    )
    assert second.version == "2025.2" and second.get("1.001612")
    assert load_catalogue(on=date(2025, 8, 1)) is first and load_catalogue() is second
    with pytest.raises(UnknownProcedure):
        first.get("1.001612")
    with pytest.raises(UnknownProcedure):
        catalogue_at(date(2025, 6, 30))
    assert catalogue_version("2025.1") is first
    with pytest.raises(UnknownProcedure):
        catalogue_version("1999.9")


def test_a_dossier_keeps_the_version_it_was_received_under():
    old = catalogue_version("2025.1").get("1.000656")
    new = catalogue_version("2025.2").get("1.000656")
    assert [c.id for c in old.components] == ["to_khai_khai_tu", "giay_bao_tu"]
    assert [c.id for c in new.components][-1] == "van_ban_uy_quyen"


def _copy_shipped(tmp_path):
    for path in CATALOGUE_DIR.glob("*.json"):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def _edit(folder, name, change):
    path = folder / name
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_a_later_publication_adds_amends_and_abolishes(tmp_path):
    folder = _copy_shipped(tmp_path)
    amended = dict(json.loads((folder / BASE).read_text(encoding="utf-8"))["added"][0])
    amended["processing_working_days"] = 1
    publication = {
        "version": "2026.1", "decision": "99/QĐ-UBND", "effective_date": "2026-01-15",
        "added": [], "amended": [amended], "abolished": ["1.000419"],
        "bundles": [], "abolished_bundles": ["2.002913"],
    }  # fmt: skip
    (folder / "2026-01-15.json").write_text(json.dumps(publication), encoding="utf-8")
    history = load_history(folder)
    newest = history.at(date(2026, 2, 1))
    assert newest.version == "2026.1"
    assert newest.get("1.001193").processing.working_days == 1
    assert "1.000419" not in newest.procedures and "2.002913" not in newest.bundles
    assert history.at(date(2026, 1, 14)).get("1.000419") == LATEST.get("1.000419")
    assert history.at(date(2026, 1, 14)).get("1.001193") == LATEST.get("1.001193")


def _procedure(data, code):
    return next(p for p in data["added"] if p["code"] == code)


BAD_EDITS = [
    (lambda d: _procedure(d, "1.001193").pop("name"), "1.001193", "name"),
    (lambda d: _procedure(d, "1.001193").update(name="  "), "1.001193", "name"),
    (lambda d: _procedure(d, "1.001193").update(code="1.1193"), "1.1193", "code"),
    (
        lambda d: _procedure(d, "1.004873").update(processing_working_days=-1),
        "1.004873",
        "processing_working_days",
    ),
    (
        lambda d: _procedure(d, "1.004873").update(processing_working_days=True),
        "1.004873",
        "processing_working_days",
    ),
    (lambda d: _procedure(d, "1.004873").update(field="dat_dai"), "1.004873", "field"),
    (lambda d: _procedure(d, "1.004873").update(level="district"), "1.004873", "level"),
    (
        lambda d: _procedure(d, "1.004873").update(competent_unit_rule="anywhere"),
        "1.004873",
        "competent_unit_rule",
    ),
    (lambda d: _procedure(d, "1.004873").update(boundary_free="yes"), "1.004873", "boundary_free"),
    (lambda d: _procedure(d, "1.004873").update(fee={"kind": "donation"}), "1.004873", "fee.kind"),
    (
        lambda d: _procedure(d, "1.004873").update(fee={"kind": "fixed", "amount_vnd": 0}),
        "1.004873",
        "fee.amount_vnd",
    ),
    (lambda d: _procedure(d, "2.000815")["fee"]["page_tiers"].pop(), "2.000815", "fee.page_tiers"),
    (
        lambda d: _procedure(d, "2.000815")["fee"]["page_tiers"][0].update(vnd_per_page="2000"),
        "2.000815",
        "fee.page_tiers[0].vnd_per_page",
    ),
    (
        lambda d: _procedure(d, "1.001193")["components"][1].pop("must_digitise"),
        "1.001193",
        "components[1].must_digitise",
    ),
    (
        lambda d: _procedure(d, "1.001193")["components"][0].update(document_type="Giấy khai sinh"),
        "1.001193",
        "components[0].document_type",
    ),
    (
        lambda d: _procedure(d, "1.001193")["components"][1].update(id="to_khai_khai_sinh"),
        "1.001193",
        "components",
    ),
    (
        lambda d: _procedure(d, "1.001193")["results"][0].pop("document_type"),
        "1.001193",
        "results[0].document_type",
    ),
    (lambda d: d["added"].append(dict(d["added"][0])), "1.001193", "added"),
    (lambda d: d["amended"].append(dict(d["added"][0], code="1.999999")), "1.999999", "amended"),
    (lambda d: d["abolished"].append("1.999999"), "1.999999", "abolished"),
    (lambda d: d["bundles"][0]["procedures"].append("1.999999"), "3.000722", "procedures"),
    (lambda d: d["bundles"][0].update(other_steps=[1]), "3.000722", "other_steps"),
    (
        lambda d: d["bundles"][1].pop("processing_working_days"),
        "2.002913",
        "processing_working_days",
    ),
    (lambda d: d.pop("decision"), "(công bố / publication)", "decision"),
    (lambda d: d.update(effective_date="01/07/2025"), "(công bố / publication)", "effective_date"),
]


@pytest.mark.parametrize(("edit", "procedure", "field"), BAD_EDITS)
def test_bad_data_names_file_procedure_and_field(tmp_path, edit, procedure, field):
    folder = _copy_shipped(tmp_path)
    _edit(folder, BASE, edit)
    with pytest.raises(CatalogueError) as caught:
        load_history(folder)
    error = caught.value
    assert (error.file, error.procedure, error.field) == (BASE, procedure, field)
    for language in ("vi", "en"):
        assert BASE in error.message(language) and f"'{field}'" in error.message(language)


def test_abolishing_a_bundled_procedure_is_refused(tmp_path):
    folder = _copy_shipped(tmp_path)
    _edit(folder, "2025-10-01.json", lambda d: d["abolished"].append("1.003197"))
    with pytest.raises(CatalogueError) as caught:
        load_history(folder)
    assert (caught.value.file, caught.value.procedure) == ("2025-10-01.json", "2.002913")


def test_unreadable_duplicate_or_missing_publications(tmp_path):
    folder = _copy_shipped(tmp_path)
    (folder / "2025-12-01.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(CatalogueError) as caught:
        load_history(folder)
    assert caught.value.file == "2025-12-01.json" and caught.value.field == "(JSON)"
    (folder / "2025-12-01.json").unlink()
    _edit(folder, "2025-10-01.json", lambda d: d.update(version="2025.1"))
    with pytest.raises(CatalogueError) as caught:
        load_history(folder)
    assert caught.value.field == "version"
    with pytest.raises(CatalogueError):
        load_history(tmp_path / "empty")


def test_publications_must_not_share_an_effective_date(tmp_path):
    folder = _copy_shipped(tmp_path)
    _edit(folder, "2025-10-01.json", lambda d: d.update(effective_date="2025-07-01"))
    with pytest.raises(CatalogueError) as caught:
        load_history(folder)
    assert caught.value.field == "effective_date"


@pytest.mark.parametrize("module", [core.catalogue, core.calendar, core.codes, core.units])
def test_docstring_examples_hold(module):
    assert doctest.testmod(module).failed == 0


def test_public_names_are_exported():
    for module in (core.catalogue, core.calendar, core.codes, core.units):
        assert all(hasattr(module, name) for name in module.__all__)
