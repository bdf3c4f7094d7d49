import json

import pypdfium2 as pdfium

from cli import main


def test_scan_writes_a_pdf_and_prints_one_json_object_per_page(photo, tmp_path, capsys):
    photos = []
    for name in ("good", "card"):
        path = tmp_path / f"{name}.jpg"
        path.write_bytes(photo(name).data)
        photos.append(str(path))
    out = tmp_path / "ho-so.pdf"
    code = main(["scan", *photos, "-o", str(out), "--json", "--dossier-code", "H31.39-1"])
    assert code == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [page["mode"] for page in lines] == ["text", "idcard"]
    assert {"corners", "dpi", "bytes", "timings_ms", "quality"} <= set(lines[0])
    assert len(pdfium.PdfDocument(out.read_bytes())) == 2
    assert not list(tmp_path.glob("*.part"))


def test_scan_takes_mode_dpi_and_corners(photo, tmp_path, capsys):
    shot = photo("good")
    path = tmp_path / "p.jpg"
    path.write_bytes(shot.data)
    corners = ",".join(f"{v:.1f}" for point in shot.corners for v in point)
    args = ["scan", str(path), "-o", str(tmp_path / "o.pdf"), "--mode", "color", "--dpi", "150"]
    assert main([*args, "--corners", corners]) == 0
    assert "color, 150 dpi" in capsys.readouterr().out


def test_bad_photo_fails_cleanly_without_output(tmp_path, capsys):
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    out = tmp_path / "out.pdf"
    assert main(["scan", str(bad), "-o", str(out)]) == 2
    assert "Không đọc được ảnh" in capsys.readouterr().err
    assert not out.exists() and not list(tmp_path.glob("*.part"))


def test_bad_corners_text_is_refused(tmp_path, capsys):
    photo_path = tmp_path / "p.jpg"
    photo_path.write_bytes(b"unused")
    assert main(["scan", str(photo_path), "-o", str(tmp_path / "o.pdf"), "--corners", "1,2,3"]) == 2
    assert "Góc trang" in capsys.readouterr().err
