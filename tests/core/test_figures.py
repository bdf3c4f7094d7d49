from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.dossier import fold
from core.events import EventType as T
from core.figures import RATES, Figures, index766, index766_by_unit
from core.ids import new_id

RECEIVED_AT = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 08:00 in Vietnam, due three days later


def result(digitised=True):
    return {"result": {"document_type": "giay-khai-sinh", "pages": [], "digitised": digitised}}


def dossier(new_desk, steps=(), received_after_hours=0, **changes):
    """Fold a dossier received `received_after_hours` late, then (hours, type, payload) steps."""
    desk = new_desk(new_id())
    desk.time.advance(hours=received_after_hours)
    at = RECEIVED_AT + timedelta(hours=received_after_hours)
    changes.setdefault("received_at", at.isoformat())
    changes.setdefault("due_at", (at + timedelta(days=3)).isoformat())
    events = [desk.receive(**changes)]
    for hours, event_type, payload in steps:
        desk.time.advance(hours=hours)
        events.append(desk.make(event_type, payload))
    return fold(events)


@pytest.fixture
def city(new_desk):
    started = (1, T.PROCESSING_STARTED, {})
    return {
        "on_time_online": dossier(
            new_desk,
            [
                started,
                (23, T.RESULT_READY, result()),
                (1, T.RATED, {"score": 5}),
                (0, T.FEE_PAID, {"amount_vnd": 8000, "online": True}),
            ],
            channel="online",
        ),
        "late": dossier(
            new_desk, [started, (24 * 4, T.RESULT_READY, result(False)), (1, T.RATED, {"score": 5})]
        ),
        "open_unscanned": dossier(
            new_desk, [started], components=[{"component_id": "to-khai", "pages": []}]
        ),
        "refused": dossier(new_desk, [(1, T.REFUSED, {"reason": "Thiếu giấy tờ"})]),
        "unsatisfied_reused": dossier(
            new_desk,
            [started, (23, T.RESULT_READY, result()), (1, T.RATED, {"score": "unsatisfied"})],
            channel="post",
            fee_vnd=0,
            components=[
                {"component_id": "to-khai", "pages": [new_desk.page()]},
                {"component_id": "cccd", "pages": [], "reused": True},
            ],
        ),
        "extended": dossier(
            new_desk,
            [
                started,
                (2, T.EXTENDED, {"new_due_at": "2026-03-09T17:00:00+07:00", "reason": "Xác minh"}),
                (24 * 4, T.RESULT_READY, result()),
            ],
            receiving_unit="11314",
        ),
        "received_later": dossier(new_desk, received_after_hours=24 * 6),
    }


def test_figures_after_five_days(city):
    figures = index766(city.values(), RECEIVED_AT + timedelta(days=5))
    assert (figures.received, figures.online, figures.refused) == (6, 1, 1)
    assert (figures.finished, figures.finished_on_time) == (4, 2)
    assert (figures.in_process, figures.in_process_within_time) == (1, 0)
    assert figures.on_time_rate == 40.0
    assert figures.online_rate == 16.67
    assert figures.dossier_digitisation_rate == 83.33
    assert figures.result_digitisation_rate == 75.0
    assert figures.reuse_rate == 14.29
    assert figures.satisfaction_rate == 25.0
    assert figures.online_payment_rate == 20.0


def test_figures_early_count_open_dossiers_within_time(city):
    figures = index766(city.values(), RECEIVED_AT + timedelta(days=2))
    assert (figures.finished, figures.in_process, figures.in_process_within_time) == (2, 3, 3)
    assert figures.on_time_rate == 100.0
    assert figures.received == 6


def test_dossiers_received_after_the_moment_are_left_out(city):
    figures = index766([city["received_later"]], RECEIVED_AT + timedelta(days=5))
    assert figures == Figures(as_of=RECEIVED_AT + timedelta(days=5))


def test_empty_set_has_no_rates():
    figures = index766([], RECEIVED_AT)
    assert figures.received == 0
    assert figures.on_time_rate is None and figures.satisfaction_rate is None


def test_as_of_needs_a_time_zone(city):
    with pytest.raises(ValueError):
        index766(city.values(), datetime(2026, 3, 7))


def test_figures_per_unit(city):
    per_unit = index766_by_unit(city.values(), RECEIVED_AT + timedelta(days=5))
    assert list(per_unit) == ["11311", "11314"]
    assert per_unit["11314"].received == 1 and per_unit["11314"].finished_on_time == 0
    assert per_unit["11311"].received == 5
    assert per_unit["11311"].on_time_rate == 50.0


def test_figures_per_competent_unit(city):
    per_unit = index766_by_unit(
        city.values(), RECEIVED_AT + timedelta(days=5), unit_of=lambda d: d.competent_unit
    )
    assert list(per_unit) == ["11311"] and per_unit["11311"].received == 6


def test_to_dict_carries_counts_and_rates(city):
    figures = index766(city.values(), RECEIVED_AT + timedelta(days=5))
    as_dict = figures.to_dict()
    assert as_dict["as_of"] == "2026-03-07T01:00:00+00:00"
    assert as_dict["received"] == 6 and as_dict["on_time_rate"] == 40.0
    assert set(RATES) <= set(as_dict)


def test_without_a_moment_figures_are_as_of_now(city):
    figures = index766(city.values())
    assert figures.as_of > RECEIVED_AT and figures.as_of.tzinfo is not None
    assert figures.received == 7
