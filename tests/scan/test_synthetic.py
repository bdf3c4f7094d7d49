import io

from PIL import Image, ImageOps

from scan.synthetic import Scene, draw_form, photograph


def test_form_text_holds_the_key_fields():
    page, text = draw_form(100, "other")
    assert page.size == (827, 1169)
    for key in ("code", "cccd", "birth"):
        assert text[key] in text["body"]


def test_photograph_is_deterministic_and_puts_paper_at_the_true_corners():
    page, text = draw_form(100)
    scene = Scene(frame=(900, 1200), orientation=6, blur=0)
    first, second = photograph(page, text, scene), photograph(page, text, scene)
    assert first.data == second.data
    shown = ImageOps.exif_transpose(Image.open(io.BytesIO(first.data))).convert("L")
    assert shown.size == (900, 1200)
    (x0, y0), _, (x2, y2), _ = first.corners
    inside = shown.getpixel((round(x0 + (x2 - x0) * 0.1), round(y0 + (y2 - y0) * 0.9)))
    outside = shown.getpixel((5, 5))
    assert inside > outside + 60
