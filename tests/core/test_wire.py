from __future__ import annotations

import math

import pytest

from core import wire
from core.wire import WireFormatError

PASSING = [
    (wire.text(), "x"),
    (wire.text(empty=True), ""),
    (wire.integer(minimum=0, maximum=3), 3),
    (wire.boolean, False),
    (wire.choice("a", "b"), "b"),
    (wire.sha256_hex, "0" * 64),
    (wire.timestamp_tz, "2026-03-02T09:15:00+07:00"),
    (wire.timestamp_tz, "2026-03-02T02:15:00Z"),
    (wire.date_text, "2024-02-29"),
    (wire.nullable(wire.text()), None),
    (wire.one_of(wire.integer(), wire.choice("n")), "n"),
    (wire.list_of(wire.integer(), min_items=1), [1, 2]),
    (wire.record({"a": wire.integer()}), {"a": 1, "extra": "kept"}),
    (wire.json_value, {"a": [1, 2.5, None, True, {"b": "c"}]}),
]

FAILING = [
    (wire.text(), 1, "x", "chuỗi"),
    (wire.text(), "  ", "x", "trống"),
    (wire.integer(), True, "x", "integer"),
    (wire.integer(), 1.0, "x", "integer"),
    (wire.integer(minimum=1), 0, "x", "≥ 1"),
    (wire.integer(maximum=5), 6, "x", "≤ 5"),
    (wire.boolean, 1, "x", "true"),
    (wire.choice("a", "b"), "c", "x", "a, b"),
    (wire.sha256_hex, "A" * 64, "x", "SHA-256"),
    (wire.timestamp_tz, "2026-03-02T09:15:00", "x", "offset"),
    (wire.timestamp_tz, 5, "x", "offset"),
    (wire.date_text, "2025-02-29", "x", "YYYY-MM-DD"),
    (wire.date_text, "2025-2-28", "x", "YYYY-MM-DD"),
    (wire.list_of(wire.integer()), (1,), "x", "list"),
    (wire.list_of(wire.integer()), [1, "2"], "x[1]", "integer"),
    (wire.list_of(wire.integer(), min_items=1), [], "x", "at least 1"),
    (wire.record({"a": wire.integer()}), {}, "x.a", "missing"),
    (wire.record({"a": wire.integer()}), [], "x", "object"),
    (wire.json_value, {"a": math.inf}, "x.a", "finite"),
    (wire.json_value, {1: "a"}, "x", "strings"),
    (wire.json_value, [b"raw"], "x[0]", "JSON"),
]


@pytest.mark.parametrize(("check", "value"), PASSING)
def test_valid_values_pass(check, value):
    check(value, "x")


@pytest.mark.parametrize(("check", "value", "field", "words"), FAILING)
def test_invalid_values_name_field_and_problem(check, value, field, words):
    with pytest.raises(WireFormatError) as caught:
        check(value, "x")
    assert caught.value.field == field
    assert words in caught.value.message("vi") + caught.value.message("en")


def test_record_at_the_top_level_names_bare_keys():
    with pytest.raises(WireFormatError) as caught:
        wire.record({"id": wire.text()})({}, "")
    assert caught.value.field == "id"
