import pytest
from PIL import Image, ImageDraw

from scan.quality import (
    check_blur,
    check_dark,
    check_duplicate,
    check_glare,
    check_page_found,
    check_resolution,
    fingerprint,
)


def _failed(result) -> set[str]:
    return {v["code"] for v in result.quality if not v["ok"]}


def test_good_photo_passes_every_check(scanned):
    result = scanned("good")
    assert result.ok and _failed(result) == set()
    assert [v["code"] for v in result.quality] == [
        "page_found",
        "blur",
        "glare",
        "dark",
        "resolution",
        "duplicate",
    ]


@pytest.mark.parametrize("name", ["reshot", "steep", "certificate", "card"])
def test_checks_stay_quiet_on_good_photos(scanned, name):
    assert _failed(scanned(name)) <= {"duplicate"}


def test_blurred_photos_are_flagged(scanned):
    sharp, blurred = scanned("good").figures, scanned("blur7").figures
    assert blurred["laplacian_variance"] < sharp["laplacian_variance"] / 3
    assert "blur" in _failed(scanned("blur4"))
    assert "blur" in _failed(scanned("blur7"))


def test_glare_is_flagged_only_where_there_is_glare(scanned):
    assert "glare" in _failed(scanned("glare"))
    assert "glare" not in _failed(scanned("no_page"))  # the white padding is not glare


def test_dark_photo_is_flagged(scanned):
    failed = _failed(scanned("dark"))
    assert "dark" in failed and "blur" not in failed


def test_missing_page_and_low_resolution_are_said(scanned):
    assert "page_found" in _failed(scanned("no_page"))
    small = scanned("small")
    assert small.dpi < 150 and "resolution" in _failed(small)


def test_every_verdict_speaks_vietnamese_first():
    verdicts = [
        check_page_found(False, False),
        check_resolution(120, 200, 120),
        check_duplicate("0" * 16, ["0" * 16]),
    ]
    for verdict in verdicts:
        assert not verdict.ok
        assert verdict.message_vi != verdict.message_en
        assert set(verdict.to_dict()) == {"code", "ok", "message_vi", "message_en"}


def test_resolution_reduced_but_readable_is_ok_and_says_so():
    verdict = check_resolution(180.4, 200, 180)
    assert verdict.ok and "180 dpi" in verdict.message_vi


def test_blur_glare_dark_on_plain_images():
    sharp = Image.new("L", (400, 400), 255)
    draw = ImageDraw.Draw(sharp)
    for x in range(0, 400, 6):
        draw.line((x, 0, x, 400), fill=0, width=2)
    assert check_blur(sharp, 100)[0].ok
    assert not check_blur(Image.new("L", (400, 400), 128), 100)[0].ok
    washed = Image.new("L", (100, 100), 200)
    washed.paste(255, (0, 0, 20, 20))
    assert not check_glare(washed)[0].ok
    assert check_glare(Image.new("L", (100, 100), 200))[0].ok
    assert not check_dark(Image.new("L", (50, 50), 40))[0].ok


def test_duplicates_warn_on_a_reshot_page(scanned):
    good, reshot = scanned("good"), scanned("reshot")
    assert not check_duplicate(reshot.fingerprint, [good.fingerprint]).ok
    assert check_duplicate(scanned("certificate").fingerprint, [scanned("card").fingerprint]).ok


def test_fingerprint_is_sixteen_hex_digits():
    image = Image.linear_gradient("L").resize((90, 80))
    value = fingerprint(image)
    assert len(value) == 16 and int(value, 16) >= 0
