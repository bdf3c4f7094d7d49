from app.state.settings_form import (
    SettingsForm,
    ask_wipe,
    can_move_server,
    cancel_wipe,
    set_new_server_url,
)


def test_wipe_needs_two_confirmations():
    form = ask_wipe(SettingsForm())
    assert not form.wipe_confirmed
    form = ask_wipe(form)
    assert form.wipe_confirmed
    assert ask_wipe(form).wipe_confirmations == 2


def test_cancel_forgets_the_confirmations():
    assert not cancel_wipe(ask_wipe(SettingsForm())).wipe_confirmations


def test_new_server_address_is_checked_as_typed():
    form = SettingsForm(server_url="http://10.0.0.5:8000")
    typed = set_new_server_url(form, "ftp://city")
    assert typed.server_error.message("vi").startswith("Địa chỉ máy chủ phải bắt đầu")
    assert not can_move_server(typed)
    assert can_move_server(set_new_server_url(form, "https://sohoa.haiphong.gov.vn"))


def test_the_same_or_an_empty_address_is_not_a_move():
    form = SettingsForm(server_url="http://10.0.0.5:8000")
    assert not can_move_server(set_new_server_url(form, "http://10.0.0.5:8000/"))
    empty = set_new_server_url(form, "")
    assert empty.server_error is None
    assert not can_move_server(empty)
