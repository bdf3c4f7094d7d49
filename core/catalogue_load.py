"""Read catalogue publications (JSON) and replay them into one catalogue per version.

A publication file looks like::

    {"version": "2025.1", "decision": "…/QĐ-UBND", "effective_date": "2025-07-01",
     "title": "…", "title_en": "…",
     "added": [<procedure>…], "amended": [<procedure>…], "abolished": ["1.000419", …],
     "bundles": [<bundle>…], "abolished_bundles": [ … ]}

Amended procedures and bundles are given in full, as a publication restates them. Every value is
checked; the first bad one raises `CatalogueError` naming the file, the procedure and the field.
The city server sends the same JSON as the body of a publication; `parse_publications` replays
files and bodies alike, a body being named ``<version>.json``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any

from core.catalogue_model import (
    COMPETENT_UNIT_RULES,
    FIELDS,
    Bundle,
    Catalogue,
    CatalogueError,
    Component,
    FeeRule,
    PageTier,
    Procedure,
    ProcedureResult,
    Processing,
)

__all__ = [
    "FEE_KINDS",
    "LEVELS",
    "merge_received",
    "parse_publications",
    "publication_date",
    "read_publication_files",
    "read_publications",
    "received_name",
]

LEVELS = ("commune", "province")
FEE_KINDS = ("free", "fixed", "per_copy", "per_page")
_CODE = re.compile(r"\d\.\d{6}")
_SLUG = re.compile(r"[a-z0-9_]+")
_HEADER = "(công bố / publication)"


class _Checker:
    """Reads typed values out of one JSON object, blaming this file and procedure on failure."""

    def __init__(self, file: str, procedure: str):
        self.file, self.procedure = file, procedure

    def fail(self, field: str, problem_vi: str, problem_en: str) -> CatalogueError:
        """Return the error for `field` of this file and procedure."""
        return CatalogueError(
            f"{self.file}: thủ tục {self.procedure}, trường '{field}': {problem_vi}",
            f"{self.file}: procedure {self.procedure}, field '{field}': {problem_en}",
            file=self.file,
            procedure=self.procedure,
            field=field,
        )

    def get(self, obj: Any, field: str, kind: type, *, path: str = "") -> Any:
        """Return `obj[field]` if present, of type `kind` and not blank text."""
        name = f"{path}{field}"
        if not isinstance(obj, dict) or field not in obj:
            raise self.fail(name, "bị thiếu", "is missing")
        value = obj[field]
        if kind is int and isinstance(value, bool) or not isinstance(value, kind):
            raise self.fail(name, f"phải là {kind.__name__}", f"must be a {kind.__name__}")
        if isinstance(value, str) and not value.strip():
            raise self.fail(name, "không được để trống", "must not be empty")
        return value

    def count(self, obj: Any, field: str, *, path: str = "", minimum: int = 0) -> int:
        """Return an integer field that is at least `minimum`."""
        value = self.get(obj, field, int, path=path)
        if value < minimum:
            raise self.fail(f"{path}{field}", f"phải ≥ {minimum}", f"must be ≥ {minimum}")
        return value

    def choice(self, obj: Any, field: str, allowed: Any, *, path: str = "") -> str:
        """Return a text field that is one of `allowed`."""
        value = self.get(obj, field, str, path=path)
        if value not in allowed:
            listed = ", ".join(allowed)
            raise self.fail(
                f"{path}{field}", f"phải là một trong: {listed}", f"must be one of: {listed}"
            )
        return value

    def pattern(self, obj: Any, field: str, regex: re.Pattern[str], *, path: str = "") -> str:
        """Return a text field that matches `regex` in full."""
        value = self.get(obj, field, str, path=path)
        if not regex.fullmatch(value):
            raise self.fail(
                f"{path}{field}", f"sai định dạng ({value!r})", f"malformed ({value!r})"
            )
        return value


def _fee(check: _Checker, raw: Any) -> FeeRule:
    kind = check.choice(raw, "kind", FEE_KINDS, path="fee.")
    if kind == "free":
        return FeeRule("free")
    if kind in ("fixed", "per_copy"):
        return FeeRule(kind, amount_vnd=check.count(raw, "amount_vnd", path="fee.", minimum=1))
    tiers = []
    for index, tier in enumerate(check.get(raw, "page_tiers", list, path="fee.")):
        where = f"fee.page_tiers[{index}]."
        up_to = tier.get("up_to_page") if isinstance(tier, dict) else None
        if up_to is not None:
            up_to = check.count(tier, "up_to_page", path=where, minimum=1)
        tiers.append(PageTier(up_to, check.count(tier, "vnd_per_page", path=where, minimum=1)))
    bounds = [t.up_to_page for t in tiers]
    if (
        not tiers
        or bounds[-1] is not None
        or None in bounds[:-1]
        or bounds[:-1] != sorted(set(bounds[:-1]))
    ):
        raise check.fail(
            "fee.page_tiers",
            "các bậc phải tăng dần và bậc cuối không có giới hạn (up_to_page: null)",
            "tiers must increase and the last one must be open (up_to_page: null)",
        )
    cap = raw.get("cap_per_copy_vnd")
    if cap is not None:
        cap = check.count(raw, "cap_per_copy_vnd", path="fee.", minimum=1)
    return FeeRule("per_page", page_tiers=tuple(tiers), cap_per_copy_vnd=cap)


def _component(check: _Checker, raw: Any, index: int) -> Component:
    where = f"components[{index}]."
    return Component(
        id=check.pattern(raw, "id", _SLUG, path=where),
        name=check.get(raw, "name", str, path=where),
        name_en=check.get(raw, "name_en", str, path=where),
        originals=check.count(raw, "originals", path=where),
        copies=check.count(raw, "copies", path=where),
        must_digitise=check.get(raw, "must_digitise", bool, path=where),
        document_type=check.pattern(raw, "document_type", _SLUG, path=where),
        mandatory=check.get(raw, "mandatory", bool, path=where),
    )


def _procedure(file: str, raw: Any, index: int) -> Procedure:
    code = raw.get("code") if isinstance(raw, dict) else None
    check = _Checker(file, code if isinstance(code, str) else f"#{index + 1}")
    components = tuple(
        _component(check, item, i) for i, item in enumerate(check.get(raw, "components", list))
    )
    ids = [c.id for c in components]
    if len(ids) != len(set(ids)):
        raise check.fail("components", "trùng mã thành phần", "duplicate component ids")
    results = tuple(
        ProcedureResult(
            name=check.get(item, "name", str, path=f"results[{i}]."),
            name_en=check.get(item, "name_en", str, path=f"results[{i}]."),
            document_type=check.pattern(item, "document_type", _SLUG, path=f"results[{i}]."),
        )
        for i, item in enumerate(check.get(raw, "results", list))
    )
    return Procedure(
        code=check.pattern(raw, "code", _CODE),
        name=check.get(raw, "name", str),
        name_en=check.get(raw, "name_en", str),
        field=check.choice(raw, "field", FIELDS),
        level=check.choice(raw, "level", LEVELS),
        agency=check.get(raw, "agency", str),
        processing=Processing(check.count(raw, "processing_working_days")),
        fee=_fee(check, check.get(raw, "fee", dict)),
        components=components,
        results=results,
        boundary_free=check.get(raw, "boundary_free", bool),
        competent_unit_rule=check.choice(raw, "competent_unit_rule", COMPETENT_UNIT_RULES),
    )


def _bundle(file: str, raw: Any, procedures: dict[str, Procedure]) -> Bundle:
    code = raw.get("code") if isinstance(raw, dict) else None
    check = _Checker(file, code if isinstance(code, str) else "(liên thông / bundle)")
    members = tuple(check.get(raw, "procedures", list))
    other_steps = tuple(check.get(raw, "other_steps", list))
    if not all(isinstance(step, str) and step.strip() for step in other_steps):
        raise check.fail("other_steps", "phải là danh sách chữ", "must be a list of text")
    for member in members:
        if member not in procedures:
            raise check.fail(
                "procedures",
                f"thủ tục {member!r} không có trong danh mục",
                f"procedure {member!r} is not in the catalogue",
            )
    return Bundle(
        code=check.pattern(raw, "code", _CODE),
        name=check.get(raw, "name", str),
        name_en=check.get(raw, "name_en", str),
        procedures=members,
        other_steps=other_steps,
        processing=Processing(check.count(raw, "processing_working_days")),
        condition=check.get(raw, "condition", str),
    )


def _apply(file: str, raw: Any, previous: Catalogue | None) -> Catalogue:
    header = _Checker(file, _HEADER)
    try:
        effective = date.fromisoformat(header.get(raw, "effective_date", str))
    except ValueError:
        raise header.fail("effective_date", "phải là YYYY-MM-DD", "must be YYYY-MM-DD") from None
    procedures = dict(previous.procedures) if previous else {}
    bundles = dict(previous.bundles) if previous else {}
    for change, must_exist in (("added", False), ("amended", True)):
        for index, item in enumerate(header.get(raw, change, list)):
            procedure = _procedure(file, item, index)
            if (procedure.code in procedures) != must_exist:
                problem = (
                    ("chưa có để sửa đổi", "is not there to amend")
                    if must_exist
                    else (
                        "đã có trong danh mục",
                        "is already in the catalogue",
                    )
                )
                raise _Checker(file, procedure.code).fail(change, *problem)
            procedures[procedure.code] = procedure
    for code in header.get(raw, "abolished", list):
        if procedures.pop(code, None) is None:
            raise _Checker(file, str(code)).fail("abolished", "không có để bãi bỏ", "not there")
    for code in header.get(raw, "abolished_bundles", list):
        if bundles.pop(code, None) is None:
            raise _Checker(file, str(code)).fail("abolished_bundles", "không có", "not there")
    for item in header.get(raw, "bundles", list):
        bundle = _bundle(file, item, procedures)
        bundles[bundle.code] = bundle
    for bundle in bundles.values():
        missing = [code for code in bundle.procedures if code not in procedures]
        if missing:
            raise _Checker(file, bundle.code).fail(
                "procedures", f"thủ tục đã bãi bỏ: {missing}", f"abolished procedures: {missing}"
            )
    return Catalogue(
        version=header.get(raw, "version", str),
        decision=header.get(raw, "decision", str),
        effective_date=effective,
        procedures=MappingProxyType(procedures),
        bundles=MappingProxyType(bundles),
    )


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _Checker(path.name, _HEADER).fail(
            "(JSON)", f"không đọc được: {exc}", f"cannot be read: {exc}"
        ) from exc


def read_publication_files(folder: Path) -> list[tuple[str, Any]]:
    """Return the file name and JSON value of every ``*.json`` publication in `folder`.

    :raises CatalogueError: a file is not JSON, or the folder holds no publication.
    """
    paths = sorted(folder.glob("*.json"))
    if not paths:
        raise CatalogueError(
            f"{folder}: không có tệp công bố danh mục (*.json)",
            f"{folder}: no catalogue publication (*.json)",
            file=str(folder),
            procedure=_HEADER,
            field="(files)",
        )
    return [(path.name, _read_json(path)) for path in paths]


def publication_date(raw: Any) -> str:
    """Return the effective date text of a publication body (empty when it has none)."""
    return str(raw.get("effective_date")) if isinstance(raw, dict) else ""


def parse_publications(publications: Iterable[tuple[str, Any]]) -> list[Catalogue]:
    """Replay publications, given as (file name, JSON value), in order of effective date.

    :raises CatalogueError: a value is bad (file, procedure and field are named), or two
      publications share an effective date or a version id.
    """
    loaded = sorted(publications, key=lambda item: (publication_date(item[1]), item[0]))
    dates = [publication_date(raw) for _, raw in loaded]
    for (name, _), day, earlier in zip(loaded[1:], dates[1:], dates[:-1], strict=True):
        if day == earlier:
            raise _Checker(name, _HEADER).fail(
                "effective_date",
                f"trùng ngày hiệu lực với một lần công bố khác ({day})",
                f"same effective date as another publication ({day})",
            )
    catalogues: list[Catalogue] = []
    versions: set[str] = set()
    for name, raw in loaded:
        catalogue = _apply(name, raw, catalogues[-1] if catalogues else None)
        if catalogue.version in versions:
            raise _Checker(name, _HEADER).fail("version", "bị trùng", "is a duplicate")
        versions.add(catalogue.version)
        catalogues.append(catalogue)
    return catalogues


def read_publications(folder: Path) -> list[Catalogue]:
    """Read every ``*.json`` publication in `folder` and return one catalogue per version.

    :raises CatalogueError: a file holds bad data, or the folder holds no publication.
    """
    return parse_publications(read_publication_files(folder))


def received_name(version: str) -> str:
    """Return the name a received publication body goes by in error messages."""
    return f"{version}.json"


def merge_received(
    shipped: list[tuple[str, Any]], received: Mapping[str, Any]
) -> list[tuple[str, Any]]:
    """Return the shipped publications plus the received bodies (by version id) not shipped.

    A received version that was also shipped must be the very same publication.

    :raises CatalogueError: a body names another version than the one it came under, or differs
      from the shipped publication of its version.
    """
    shipped_by_version = {raw.get("version"): raw for _, raw in shipped}
    merged = list(shipped)
    for version, body in received.items():
        header = _Checker(received_name(version), _HEADER)
        declared = header.get(body, "version", str)
        if declared != version:
            raise header.fail(
                "version",
                f"khác phiên bản được gửi kèm ({version!r})",
                f"differs from the version it was sent as ({version!r})",
            )
        if version not in shipped_by_version:
            merged.append((received_name(version), body))
        elif body != shipped_by_version[version]:
            raise header.fail(
                "version",
                "đã có bản khác phát hành kèm ứng dụng",
                "a different publication of this version is shipped",
            )
    return merged
