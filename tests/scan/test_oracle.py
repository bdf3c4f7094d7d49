import pytest
from PIL import Image, ImageDraw

from scan.oracle import character_error_rate, edit_distance, read_text
from scan.synthetic import font


def test_edit_distance():
    assert edit_distance("Nguyễn", "Nguyen") == 1
    assert edit_distance("", "abc") == 3
    assert edit_distance("031095001234", "031095001234") == 0


def test_character_error_rate_matches_each_line_to_the_closest_read():
    text = "Ngày sinh: 12/05/1995\nxx\nHọ và tên: Trần  Văn Đức\n"
    assert character_error_rate(["Họ và tên: Trần Văn Đức", "Ngày sinh: 12/05/1995"], text) == 0
    assert character_error_rate(["Ngày sinh: 12/05/1996"], text) == pytest.approx(1 / 21)
    assert character_error_rate(["không có"], "") == 1.0


def test_tesseract_reads_vietnamese():
    image = Image.new("L", (900, 120), 255)
    ImageDraw.Draw(image).text((20, 30), "Ủy ban nhân dân phường", font=font(48), fill=0)
    assert "Ủy ban nhân dân phường" in read_text(image, psm=7)
