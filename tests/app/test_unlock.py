import pytest

from app.state.unlock import (
    MAX_PIN,
    UnlockState,
    erase_digit,
    failed,
    pick_officer,
    press_digit,
    set_pin,
    should_lock,
    start_check,
)
from storage.errors import UnlockThrottled, WrongPin
from storage.slots import Officer

OFFICERS = (Officer("a1", "Nguyễn Văn An", 0, False), Officer("b2", "Trần Thị Bình", 0, False))


def test_picking_an_officer_clears_pin_and_error():
    state = UnlockState(officers=OFFICERS, pin="123", error=WrongPin(1, 4))
    state = pick_officer(state, "b2")
    assert (state.selected, state.pin, state.error) == ("b2", "", None)


def test_picking_an_unknown_officer_is_refused():
    with pytest.raises(KeyError):
        pick_officer(UnlockState(officers=OFFICERS), "zz")


def test_keypad_builds_the_pin_and_masks_it():
    state = pick_officer(UnlockState(officers=OFFICERS), "a1")
    for digit in "12345":
        state = press_digit(state, digit)
    assert not state.can_submit
    state = press_digit(state, "6")
    assert state.can_submit
    assert state.masked_pin == "●" * 6
    assert erase_digit(state).pin == "12345"


def test_keypad_ignores_non_digits_and_overlong_pins():
    state = UnlockState(officers=OFFICERS)
    assert press_digit(state, "x") == state
    state = set_pin(state, "9" * (MAX_PIN + 3))
    assert len(state.pin) == MAX_PIN
    assert press_digit(state, "1").pin == state.pin


def test_typed_pin_keeps_digits_only():
    assert set_pin(UnlockState(), "12 34-56").pin == "123456"


def test_a_running_check_cannot_be_submitted_twice():
    state = set_pin(pick_officer(UnlockState(officers=OFFICERS), "a1"), "123456")
    assert not start_check(state).can_submit


def test_failure_shows_the_lockout_message_and_clears_the_pin():
    state = start_check(set_pin(pick_officer(UnlockState(officers=OFFICERS), "a1"), "123456"))
    state = failed(state, UnlockThrottled(30))
    assert state.pin == "" and not state.busy
    assert "30" in state.error.message("vi") and "30" in state.error.message("en")


@pytest.mark.parametrize(("idle", "locked"), [(10, False), (299.9, False), (300, True)])
def test_idle_lock(idle, locked):
    assert should_lock(idle) is locked
