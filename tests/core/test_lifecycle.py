from __future__ import annotations

from core.events import EventType
from core.lifecycle import (
    ALLOWED_EVENTS,
    EVENT_LABELS,
    FORM_FOR_EVENT,
    FORM_TITLES,
    NEXT_STATUS,
    STATUS_LABELS,
    Status,
)


def test_every_status_and_event_has_labels_in_both_languages():
    assert set(STATUS_LABELS) == set(Status)
    assert set(EVENT_LABELS) == set(EventType)
    for vi, en in [*STATUS_LABELS.values(), *EVENT_LABELS.values()]:
        assert vi and en and vi != en


def test_every_status_has_its_allowed_events():
    assert set(ALLOWED_EVENTS) == set(Status)


def test_received_is_never_allowed_after_receipt():
    assert all(EventType.RECEIVED not in allowed for allowed in ALLOWED_EVENTS.values())


def test_closed_dossiers_only_take_a_rating():
    for status in (Status.REFUSED, Status.STOPPED):
        assert ALLOWED_EVENTS[status] == {EventType.RATED}


def test_every_status_is_reachable_from_received():
    reached, frontier = {Status.RECEIVED}, [Status.RECEIVED]
    while frontier:
        status = frontier.pop()
        for event in ALLOWED_EVENTS[status]:
            target = NEXT_STATUS.get(event, status)
            if target not in reached:
                reached.add(target)
                frontier.append(target)
    assert reached == set(Status)


def test_each_form_has_a_title_and_a_transition():
    assert set(FORM_TITLES) == set(FORM_FOR_EVENT.values())
    assert FORM_TITLES["06"][0] == "Phiếu kiểm soát quá trình giải quyết hồ sơ"
    assert FORM_FOR_EVENT[EventType.EXTENDED] == "04"
    assert FORM_FOR_EVENT[EventType.STOPPED] == "05"
