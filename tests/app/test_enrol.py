from app.state.enrol import EnrolForm, read_code_qr, ready, set_code, set_officer, set_server_url


def test_bad_url_shows_an_error_and_keeps_the_text():
    form = set_server_url(EnrolForm(), "sohoa.example")
    assert form.server_url == "sohoa.example"
    assert "http" in form.errors["server_url"].message("en")
    assert "server_url" not in set_server_url(form, "https://sohoa.example").errors


def test_code_is_cleaned_and_checked():
    assert set_code(EnrolForm(), " AB12 CD34 ").code == "AB12CD34"
    assert "code" in set_code(EnrolForm(), "ab$").errors


def test_qr_fills_url_and_code():
    form = read_code_qr(EnrolForm(), "sohoa-enrol:http://127.0.0.1:8000#K7Q2-99XZ")
    assert (form.server_url, form.code, form.errors) == ("http://127.0.0.1:8000", "K7Q2-99XZ", {})


def test_ready_needs_every_field_and_a_long_pin():
    form = set_code(set_server_url(EnrolForm(), "http://x.vn"), "ABCDEF12")
    assert not ready(form)
    assert "pin" in set_officer(form, "An", "123").errors
    assert ready(set_officer(form, "An", "12345678"))
