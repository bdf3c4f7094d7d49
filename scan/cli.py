"""``sohoa scan``: photos in, one PDF out, with per-page figures as JSON if asked."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from scan.document import build_pdf
from scan.errors import BadCorners
from scan.pipeline import MODES, process_photo

__all__ = ["register"]


def _corners(text: str) -> list[tuple[float, float]]:
    try:
        values = [float(v) for v in text.split(",")]
    except ValueError as exc:
        raise BadCorners(
            "cần 8 số cách nhau bởi dấu phẩy", "eight comma-separated numbers"
        ) from exc
    if len(values) != 8:
        raise BadCorners("cần 8 số x1,y1,...,x4,y4", "eight numbers x1,y1,...,x4,y4 are needed")
    return list(zip(values[::2], values[1::2], strict=True))


def _scan(args: argparse.Namespace) -> int:
    corners = _corners(args.corners) if args.corners else None
    pages = []
    known: list[str] = []
    for path in args.photos:
        page = process_photo(
            Path(path).read_bytes(),
            mode=args.mode,
            dpi=args.dpi,
            corners=corners,
            known_hashes=known,
        )
        known.append(page.fingerprint)
        pages.append(page)
        if args.json:
            print(json.dumps({"photo": str(path), **page.summary()}, ensure_ascii=False))
        else:
            problems = [v["message_vi"] for v in page.quality if not v["ok"]]
            print(
                f"{path}: {page.mode}, {page.dpi} dpi, {len(page.image)} B", *problems, sep="\n  "
            )
    document = build_pdf(pages, dossier_code=args.dossier_code, procedure_code=args.procedure_code)
    output = Path(args.output)
    partial = output.with_name(output.name + ".part")
    partial.write_bytes(document)
    partial.replace(output)  # never leave a half-written PDF under the final name
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``scan`` command."""
    scan = subparsers.add_parser(
        "scan",
        help="ảnh chụp → PDF trang A4 sạch / photos → clean A4 PDF",
        description="Quét ảnh chụp giấy tờ thành PDF A4 / scan document photos into an A4 PDF.",
    )
    scan.add_argument("photos", nargs="+", metavar="PHOTO", help="JPEG/PNG/WebP photos, in order")
    scan.add_argument("-o", "--output", required=True, metavar="OUT.pdf", help="the PDF to write")
    scan.add_argument("--mode", choices=MODES, default="auto", help="output mode (default: auto)")
    scan.add_argument("--dpi", type=int, default=200, help="page resolution (default: 200)")
    scan.add_argument("--corners", metavar="x1,y1,...,x4,y4", help="page corners for every photo")
    scan.add_argument("--json", action="store_true", help="print one JSON object per page")
    scan.add_argument("--dossier-code", default="", help="dossier code for the PDF metadata")
    scan.add_argument("--procedure-code", default="", help="procedure code for the PDF metadata")
    scan.set_defaults(func=_scan)
