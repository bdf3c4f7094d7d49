"""Citizen portal and console speed: a lookup by code and digits, a supplement photo through the
scan pipeline, the console's queue and the city's figures for a period, with N dossiers stored.

    .venv/bin/python bench/portal.py            # 9,000 dossiers (a ward's daily codes)
    .venv/bin/python bench/portal.py --quick    # 1,000 dossiers; the last line sums up
    .venv/bin/python bench/portal.py --dossiers 100000   # a third of Hải Phòng's month

Figures come from the per-dossier summary: the console's period screen (the city's row and each
unit's) and the figures API. Before the summary, the console folded every event of the period:
1,607 ms for 9,000 dossiers.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.dossier_state import VIETNAM  # noqa: E402
from scan.synthetic import Scene, draw_form, photograph  # noqa: E402
from server.console import parse_period, period_figures, unit_queue  # noqa: E402
from server.figures import figures_for  # noqa: E402
from server.main import build_context  # noqa: E402
from server.portal import Portal, RateLimiter  # noqa: E402
from server.portal.testing import UNIT, Unit, Ward  # noqa: E402
from server.testing import test_settings  # noqa: E402

DOSSIERS_PER_DAY = 9_000


def _timed(action, repeat: int) -> float:  # type: ignore[no-untyped-def]
    """Return the median wall time of `action` in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    """Fill a server with dossiers, then time what citizens and units do."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 dossiers instead of 9,000")
    parser.add_argument("--dossiers", type=int, help="how many dossiers to store")
    args = parser.parse_args()
    count = args.dossiers or (1_000 if args.quick else 9_000)
    with tempfile.TemporaryDirectory() as tmp:
        context = build_context(test_settings(Path(tmp)))
        ward, unit = Ward(context), Unit(context)
        start = time.perf_counter()
        now = datetime.now(VIETNAM)
        # A counter numbers at most 9,999 dossiers a day: a larger store spans earlier days.
        codes = [
            ward.receive(received_at=now - timedelta(days=n // DOSSIERS_PER_DAY))
            for n in range(count)
        ]
        print(f"received {count} dossiers in {time.perf_counter() - start:.1f} s")
        dossier_id, code = codes[-1]
        unit.ask_supplement(dossier_id, ["giay_chung_sinh"])
        portal = Portal(context, client_limiter=RateLimiter(context.db, "bench", 10**9, 1))
        lookup_ms = _timed(lambda: portal.follow(code, "1234", "bench"), 20)
        print(f"lookup by code + digits: {lookup_ms:.1f} ms (median of 20)")
        page, text = draw_form(dpi=200)
        photo = photograph(page, text, Scene(frame=(3000, 4000))).data
        photo_ms = _timed(lambda: portal.add_photo(dossier_id, "giay_chung_sinh", photo), 3)
        print(f"supplement photo (12 MP, scan + store + event): {photo_ms:.0f} ms (median of 3)")
        with context.db.read() as conn:
            queue_ms = _timed(lambda: unit_queue(conn, UNIT, datetime.now(UTC)), 5)
            first_day = (now - timedelta(days=(count - 1) // DOSSIERS_PER_DAY)).date()
            period = parse_period(str(first_day), str(now.date()))
            figures_ms = _timed(lambda: period_figures(conn, None, period), 5)
            city_ms = _timed(lambda: figures_for(conn, None), 5)
            unit_ms = _timed(lambda: figures_for(conn, UNIT), 5)
        period_days = (now.date() - first_day).days + 1
        print(
            f"console queue (up to 500 rows): {queue_ms:.0f} ms; "
            f"console figures for {period_days} day(s) (city + units): {figures_ms:.1f} ms"
        )
        print(f"figures from the summary: city {city_ms:.1f} ms, unit {UNIT} {unit_ms:.1f} ms")
        print(
            f"SUMMARY dossiers={count} lookup_ms={lookup_ms:.1f} photo_ms={photo_ms:.0f} "
            f"queue_ms={queue_ms:.0f} figures_ms={figures_ms:.1f} "
            f"summary_city_ms={city_ms:.1f} summary_unit_ms={unit_ms:.1f}"
        )


if __name__ == "__main__":
    main()
