"""Reading QR codes from photos: plain PNGs, rotated and scaled phone photos, and failures."""

from __future__ import annotations

import io

import pytest
import segno
from PIL import Image, ImageOps

from app.qr import NoQrCode, read_qr
from app.state.enrol import EnrolForm, read_code_qr
from cli import main

ENROL_CODE = "K7Q2-MX4P-9TZR"
CHIP_PAYLOAD = (
    "001089012345|012345678|Nguyễn Thị Hoa|02011989|Nữ|Số 5 Lạch Tray, Hải Phòng|15062021"
)


@pytest.mark.parametrize("text", [ENROL_CODE, CHIP_PAYLOAD])
def test_png_decodes_to_its_text(qr, text):
    assert read_qr(qr.png(text)) == text


@pytest.mark.parametrize("angle", [0, 17, 90, 180])
def test_rotated_qr_in_a_large_jpeg_photo(qr, angle):
    assert read_qr(qr.photo(qr.png(CHIP_PAYLOAD), angle=angle)) == CHIP_PAYLOAD


@pytest.mark.parametrize("orientation", [2, 6, 8])
def test_exif_orientation_needs_no_transposing(qr, orientation):
    # zbar reads a QR turned or mirrored, so the photo is decoded as stored, EXIF tag and all.
    mirrored = ImageOps.mirror(Image.open(io.BytesIO(qr.png(ENROL_CODE))))
    out = io.BytesIO()
    mirrored.save(out, format="PNG")
    photo = qr.photo(out.getvalue(), angle=90, exif_orientation=orientation)
    with Image.open(io.BytesIO(photo)) as opened:
        assert opened.getexif()[0x0112] == orientation
    assert read_qr(photo) == ENROL_CODE


def test_small_qr_found_only_at_full_size(qr):
    png = qr.png(ENROL_CODE, scale=2)
    photo = Image.new("L", (4000, 3000), 255)
    photo.paste(Image.open(io.BytesIO(png)).convert("L"), (3500, 2500))
    out = io.BytesIO()
    photo.save(out, format="PNG")
    assert read_qr(out.getvalue()) == ENROL_CODE


def test_non_image_raises_typed_error():
    with pytest.raises(NoQrCode) as caught:
        read_qr(b"%PDF-1.7 not a photo")
    assert caught.value.code == "no_qr_code"
    assert caught.value.message("vi") == "Không tìm thấy mã QR trong ảnh"
    assert caught.value.message("en") == "No QR code found in the photo"


def test_photo_without_qr_raises_typed_error():
    out = io.BytesIO()
    Image.new("RGB", (1600, 1200), (120, 140, 90)).save(out, format="JPEG")
    with pytest.raises(NoQrCode):
        read_qr(out.getvalue())


def test_enrol_code_from_the_server_cli_fills_the_enrol_form(qr, tmp_path, capsys):
    storage = [
        *("--db", f"sqlite:///{tmp_path / 'server.db'}"),
        *("--blobs", str(tmp_path / "blobs"), "--keys", str(tmp_path / "keys")),
        *("--uploads", str(tmp_path / "uploads")),
    ]
    written = tmp_path / "enrolment.png"
    assert main(["enroll", "--unit", "11311", "--qr", str(written), *storage]) == 0
    code = capsys.readouterr().out.strip().splitlines()[-1]
    assert read_qr(written.read_bytes()) == code  # a standard QR: zbar and phones read it
    form = read_code_qr(EnrolForm(), read_qr(qr.photo(written.read_bytes(), angle=8)))
    assert form.code == code
    assert "code" not in form.errors


def test_micro_qr_is_refused_with_the_typed_error():
    out = io.BytesIO()
    segno.make_micro(ENROL_CODE, error="m").save(out, kind="png", scale=8)
    with pytest.raises(NoQrCode):
        read_qr(out.getvalue())
