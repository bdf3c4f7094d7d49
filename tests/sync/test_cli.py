"""``sohoa device ...`` end to end against a real city server; the PIN never travels in argv."""

from __future__ import annotations

import functools

import pytest

import cli
from scan.synthetic import Scene, draw_form, photograph
from sync.bundle import MAGIC
from sync.cli import PIN_ENV


@functools.cache
def _photo() -> bytes:
    page, text = draw_form(200, "form")
    return photograph(page, text, Scene(frame=(1200, 1600), seed=4)).data


@pytest.fixture
def pin(monkeypatch, kit):
    monkeypatch.setenv(PIN_ENV, kit.pin)
    return kit.pin


def _run(capsys, *argv: str) -> tuple[int, str]:
    status = cli.main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def test_enrol_receive_status_bundle_and_sync(city, tmp_path, capsys, pin, kit):
    data = str(tmp_path / "device")
    code = city.admin.enrolment_code("11311")
    status, out = _run(capsys, "device", "enroll", city.base_url, code, "--data", data)
    assert status == 0 and "11311" in out
    photo = tmp_path / "page.jpg"
    photo.write_bytes(_photo())
    status, out = _run(
        capsys, "device", "receive", "--data", data, "--procedure", "2.000815",
        "--cccd", "031203004567", "--name", "Nguyễn Văn An", str(photo),
    )  # fmt: skip
    assert status == 0
    dossier_code = out.strip().splitlines()[-1]
    assert dossier_code.startswith("H31.11311-")
    status, out = _run(capsys, "device", "status", "--data", data)
    assert status == 0 and "chờ gửi/queued: 1" in out and "pages queued: 1" in out
    bundle = tmp_path / "out.sohoa"
    status, out = _run(capsys, "device", "bundle", "export", "--data", data, "-o", str(bundle))
    assert status == 0 and bundle.read_bytes().startswith(MAGIC) and "1 events" in out
    status, out = _run(capsys, "device", "sync", "--once", "--data", data)
    assert status == 0 and "events 1" in out
    status, out = _run(capsys, "device", "status", "--data", data)
    assert "đã xác nhận/confirmed: 1" in out and "pages queued: 0" in out
    assert [e.payload["code"] for e in kit.server_events(city).values()] == [dossier_code]


def test_a_wrong_pin_is_refused_clearly_and_changes_nothing(
    city, tmp_path, capsys, pin, monkeypatch
):
    data = str(tmp_path / "device")
    code = city.admin.enrolment_code("11311")
    assert _run(capsys, "device", "enroll", city.base_url, code, "--data", data)[0] == 0
    monkeypatch.setenv(PIN_ENV, "99999999")
    status, out = _run(capsys, "device", "status", "--data", data)
    assert status == 2 and "PIN" in out
    monkeypatch.setenv(PIN_ENV, pin)
    assert _run(capsys, "device", "status", "--data", data)[0] == 0


def test_an_empty_data_directory_is_a_clear_error(tmp_path, capsys, pin):
    status, out = _run(capsys, "device", "sync", "--once", "--data", str(tmp_path / "none"))
    assert status == 2 and "sohoa:" in out


def test_a_used_enrolment_code_creates_nothing(city, tmp_path, capsys, pin):
    code = city.admin.enrolment_code("11311")
    first = str(tmp_path / "first")
    assert _run(capsys, "device", "enroll", city.base_url, code, "--data", first)[0] == 0
    second = tmp_path / "second"
    status, _ = _run(capsys, "device", "enroll", city.base_url, code, "--data", str(second))
    assert status == 2
    assert not second.exists() or not any(second.iterdir())


def test_the_pin_has_no_command_line_option():
    parser = cli.build_parser()
    for argv in (["device", "sync", "--data", "d", "--pin", "1"], ["device", "status", "1234"]):
        with pytest.raises(SystemExit):
            parser.parse_args(argv)
