"""The readability oracle for tests and bench: Tesseract (Vietnamese) reads a page, we score it.

Tesseract is an external program (Debian: tesseract-ocr, tesseract-ocr-vie), run only by tests
and bench/scan.py; the pipeline itself never needs it.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import unicodedata
from pathlib import Path

from PIL import Image

__all__ = ["character_error_rate", "edit_distance", "read_text"]


def read_text(image: Image.Image, psm: int = 4) -> str:
    """Return what ``tesseract -l vie`` reads on `image` (one thread, to share the machine)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "page.png"
        image.save(path)
        result = subprocess.run(
            ["tesseract", str(path), "-", "-l", "vie", "--psm", str(psm)],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        )
    return unicodedata.normalize("NFC", result.stdout)


def edit_distance(a: str, b: str) -> int:
    """Return the Levenshtein distance between two strings."""
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        previous = current
    return previous[-1]


def character_error_rate(expected_lines: list[str], text: str) -> float:
    """Return the line-level CER: each expected line against the closest line read, summed.

    Lines are compared with whitespace collapsed; a line not read at all counts in full.
    """
    read = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    errors = total = 0
    for line in expected_lines:
        wanted = " ".join(unicodedata.normalize("NFC", line).split())
        total += len(wanted)
        errors += min((edit_distance(wanted, got) for got in read), default=len(wanted))
    return errors / total if total else 0.0
