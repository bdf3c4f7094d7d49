"""Benchmark the scan pipeline on synthetic 12-megapixel phone photos.

    .venv/bin/python bench/scan.py [--quick]

Prints, for one 12 MP photo of a text page: preview (corners) time, final 200 dpi page time with
the corners given (the capture screen's flow) and with detection, per-step timings, peak RSS of a
fresh process doing one page, bytes per mode (text, colour document, ID card side, photo), and the
OCR character error rate on the text page.  Targets from issue 3 are shown beside each figure.
The last line sums everything up.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scan import build_pdf, detect_corners, process_photo  # noqa: E402
from scan.oracle import character_error_rate, read_text  # noqa: E402
from scan.render import render_page  # noqa: E402
from scan.synthetic import Scene, draw_card, draw_certificate, draw_form, photograph  # noqa: E402

FRAME_12MP = (3000, 4000)


def _median_ms(action, runs: int) -> tuple[float, float, object]:
    """Return the median wall and CPU milliseconds of `runs` calls, and the last result."""
    wall, cpu, result = [], [], None
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = action()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu), result


def _child_peak_rss(photo: Path, mode: str) -> tuple[float, float]:
    """Return (after imports, peak) resident memory in MB of a fresh process doing one page.

    VmHWM is read from /proc: ru_maxrss would include the parent's high-water mark from fork.
    """
    code = (
        "import sys; from scan import process_photo\n"
        "def hwm():\n"
        "    lines = open('/proc/self/status').read().splitlines()\n"
        "    return next(int(x.split()[1]) for x in lines if x.startswith('VmHWM'))\n"
        "base = hwm(); process_photo(open(sys.argv[1], 'rb').read(), mode=sys.argv[2])\n"
        "print(base, hwm())"
    )
    root = Path(__file__).resolve().parent.parent
    command = [sys.executable, "-c", code, str(photo), mode]
    out = subprocess.run(command, capture_output=True, text=True, check=True, cwd=root).stdout
    base, peak = out.split()
    return int(base) / 1024, int(peak) / 1024


def _ocr_cer(page_bytes: bytes, text: dict[str, str]) -> tuple[float, bool]:
    try:
        import pypdfium2 as pdfium

        document = pdfium.PdfDocument(build_pdf([page_bytes], dossier_code="B", procedure_code="B"))
        image = document[0].render(scale=200 / 72).to_pil().convert("L")
    except ImportError:  # without the dev extra, read our own rendering of the page
        image = render_page(page_bytes).convert("L")
    read = read_text(image)
    exact = all(text[key] in read for key in ("code", "cccd", "birth"))
    return character_error_rate(text["body"].splitlines(), read), exact


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = parser.parse_args()
    runs = 3 if args.quick else 10

    form, form_text = draw_form(250)
    text_photo = photograph(form, form_text, Scene(frame=FRAME_12MP))
    certificate, _ = draw_certificate(250)
    colour_photo = photograph(certificate, {}, Scene(frame=FRAME_12MP, seed=5))
    card, _ = draw_card(400)
    card_photo = photograph(card, {}, Scene(frame=(4000, 3000), fill=0.5, orientation=1))
    print(f"photo: {FRAME_12MP[0]}×{FRAME_12MP[1]} JPEG q90, {len(text_photo.data) / 1e6:.1f} MB")

    preview_ms, preview_cpu, preview = _median_ms(lambda: detect_corners(text_photo.data), runs)
    corners = preview.corners
    given_ms, given_cpu, page = _median_ms(
        lambda: process_photo(text_photo.data, corners=corners), runs
    )
    full_ms, full_cpu, _ = _median_ms(lambda: process_photo(text_photo.data), runs)
    print(f"preview with corners: {preview_ms:.0f} ms, CPU {preview_cpu:.0f} ms (target ≤ 150)")
    print(f"final 200 dpi text page, corners given: {given_ms:.0f} ms, CPU {given_cpu:.0f} ms")
    print(f"final 200 dpi text page, with detection: {full_ms:.0f} ms, CPU {full_cpu:.0f} ms")
    print("  (target ≤ 500 ms per page)")
    print("steps (ms): " + ", ".join(f"{k} {v:.0f}" for k, v in page.timings.items()))

    few = max(1, runs // 3)
    colour_ms, _, colour = _median_ms(lambda: process_photo(colour_photo.data), few)
    card_ms, _, card_page = _median_ms(lambda: process_photo(card_photo.data), few)
    photo_page = process_photo(text_photo.data, mode="photo")
    sizes = {
        "text": len(page.image),
        "color": len(colour.image),
        "idcard": len(card_page.image),
        "photo": len(photo_page.image),
    }
    kilobytes = {mode: f"{size / 1024:.1f} KB" for mode, size in sizes.items()}
    print(
        f"colour document page ({colour.mode}): {colour_ms:.0f} ms; ID card side: {card_ms:.0f} ms"
    )
    print(
        f"bytes: text {kilobytes['text']} (≤ 40), colour {kilobytes['color']} (≤ 250), "
        f"ID card side {kilobytes['idcard']} (≤ 100), photo mode {kilobytes['photo']}"
    )

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "photo.jpg"
        path.write_bytes(text_photo.data)
        base_mb, peak_mb = _child_peak_rss(path, "text")
        colour_path = Path(folder) / "colour.jpg"
        colour_path.write_bytes(colour_photo.data)
        _, colour_peak_mb = _child_peak_rss(colour_path, "color")
    print(f"peak RSS, text page: {peak_mb:.0f} MB (target ≤ 150; after imports {base_mb:.0f})")
    print(f"peak RSS, colour page: {colour_peak_mb:.0f} MB")

    cer, exact = _ocr_cer(page.image, form_text)
    print(
        f"OCR (tesseract vie) CER on body text: {cer * 100:.2f} % (≤ 1); key fields exact: {exact}"
    )
    print(
        f"scan bench: preview {preview_ms:.0f} ms, page {given_ms:.0f} ms "
        f"({full_ms:.0f} with detection), RSS {peak_mb:.0f} MB, text {kilobytes['text']}, "
        f"colour {kilobytes['color']}, card {kilobytes['idcard']}, CER {cer * 100:.2f} %, "
        f"fields {'exact' if exact else 'WRONG'}, load average {os.getloadavg()[0]:.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
