from app.state.settings_form import SettingsForm, ask_wipe, cancel_wipe


def test_wipe_needs_two_confirmations():
    form = ask_wipe(SettingsForm())
    assert not form.wipe_confirmed
    form = ask_wipe(form)
    assert form.wipe_confirmed
    assert ask_wipe(form).wipe_confirmations == 2


def test_cancel_forgets_the_confirmations():
    assert not cancel_wipe(ask_wipe(SettingsForm())).wipe_confirmations
