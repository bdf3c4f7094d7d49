"""Index 766 figures (Decision 766/QĐ-TTg, as computed on dichvucong.gov.vn) from dossier states.

Each figure is counted as of a moment: a dossier counts once it was received by then, and its
outcome (result, refusal, stop) only if that happened by then. Ratings, payments, pages and reuse
are taken as last known. A rate is a percentage, or None when nothing is in its denominator.

- on time: (finished early or on time + in process within time) ÷ (finished + in process);
  "on time" is against the first appointment, since an extension (form 04) is an apology for
  being late;
- online: dossiers received online ÷ dossiers received;
- dossier digitisation: dossiers whose every component is scanned or reused ÷ dossiers received;
- result digitisation: digitised results ÷ results;
- reuse: components taken from the citizen's data store ÷ components;
- satisfaction: (handled − rated unsatisfied or late) ÷ handled;
- online payment: dossiers paid online ÷ dossiers of fee-bearing procedures.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from datetime import UTC, datetime

from core.dossier_state import DossierState
from core.lifecycle import Status

__all__ = ["RATES", "Figures", "index766", "index766_by_unit"]

_UNSATISFIED_SCORES = {1, 2, "unsatisfied"}
RATES = (
    "on_time_rate",
    "online_rate",
    "dossier_digitisation_rate",
    "result_digitisation_rate",
    "reuse_rate",
    "satisfaction_rate",
    "online_payment_rate",
)


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 2) if whole else None


@dataclass(frozen=True)
class Figures:
    """Counts behind the Index 766 rates for one set of dossiers at one moment."""

    as_of: datetime
    received: int = 0
    online: int = 0
    finished: int = 0
    finished_on_time: int = 0
    in_process: int = 0
    in_process_within_time: int = 0
    refused: int = 0
    stopped: int = 0
    digitised_dossiers: int = 0
    digitised_results: int = 0
    components: int = 0
    reused_components: int = 0
    unsatisfied_or_late: int = 0
    fee_bearing: int = 0
    paid_online: int = 0

    def to_dict(self) -> dict[str, object]:
        """Return the counts and the rates as one JSON-ready dict (as_of in ISO 8601)."""
        counts = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "as_of"}
        rates = {name: getattr(self, name) for name in RATES}
        return {"as_of": self.as_of.isoformat(), **counts, **rates}

    @property
    def on_time_rate(self) -> float | None:
        """Return the progress figure: on-time share of finished and in-process dossiers."""
        on_time = self.finished_on_time + self.in_process_within_time
        return _rate(on_time, self.finished + self.in_process)

    @property
    def online_rate(self) -> float | None:
        """Return the share of dossiers received online."""
        return _rate(self.online, self.received)

    @property
    def dossier_digitisation_rate(self) -> float | None:
        """Return the share of received dossiers whose every component was digitised."""
        return _rate(self.digitised_dossiers, self.received)

    @property
    def result_digitisation_rate(self) -> float | None:
        """Return the share of results issued as digitised documents."""
        return _rate(self.digitised_results, self.finished)

    @property
    def reuse_rate(self) -> float | None:
        """Return the share of components replaced by reused digitised data."""
        return _rate(self.reused_components, self.components)

    @property
    def satisfaction_rate(self) -> float | None:
        """Return (handled − unsatisfied or late) ÷ handled."""
        return _rate(self.finished - self.unsatisfied_or_late, self.finished)

    @property
    def online_payment_rate(self) -> float | None:
        """Return the share of fee-bearing dossiers paid online."""
        return _rate(self.paid_online, self.fee_bearing)


def _digitised(dossier: DossierState) -> bool:
    scanned = [cid for cid, pages in dossier.components.items() if pages]
    covered = set(scanned) | dossier.reused_components
    return bool(dossier.components) and covered >= set(dossier.components)


def _counts(dossier: DossierState, as_of: datetime) -> dict[str, int]:
    counts = {
        "received": 1,
        "online": dossier.channel == "online",
        "digitised_dossiers": _digitised(dossier),
        "components": len(dossier.components),
        "reused_components": len(dossier.reused_components & set(dossier.components)),
        "fee_bearing": dossier.fee_vnd > 0,
        "paid_online": dossier.fee_vnd > 0 and dossier.paid_online,
    }
    if dossier.closed_at is not None and dossier.closed_at <= as_of:
        counts["refused" if dossier.status is Status.REFUSED else "stopped"] = 1
    elif dossier.finished_at is not None and dossier.finished_at <= as_of:
        late = dossier.finished_at > dossier.original_due_at
        counts["finished"] = 1
        counts["finished_on_time"] = not late
        counts["digitised_results"] = dossier.result_digitised
        counts["unsatisfied_or_late"] = late or dossier.rating in _UNSATISFIED_SCORES
    else:
        counts["in_process"] = 1
        counts["in_process_within_time"] = as_of <= dossier.original_due_at
    return {name: int(value) for name, value in counts.items()}


def index766(dossiers: Iterable[DossierState], as_of: datetime | None = None) -> Figures:
    """Return the Index 766 figures of `dossiers` as of `as_of` (an aware datetime; now if None).

    :raises ValueError: if `as_of` has no time zone.
    """
    as_of = as_of or datetime.now(UTC)
    if as_of.tzinfo is None:
        raise ValueError("as_of must carry a time zone")
    totals: dict[str, int] = defaultdict(int)
    for dossier in dossiers:
        if dossier.received_at > as_of:
            continue
        for name, value in _counts(dossier, as_of).items():
            totals[name] += value
    names = {f.name for f in fields(Figures)} - {"as_of"}
    return Figures(as_of=as_of, **{n: totals[n] for n in names})


def index766_by_unit(
    dossiers: Iterable[DossierState],
    as_of: datetime | None = None,
    unit_of: Callable[[DossierState], str] = lambda dossier: dossier.receiving_unit,
) -> dict[str, Figures]:
    """Return the figures per unit (the receiving unit unless `unit_of` says otherwise)."""
    groups: dict[str, list[DossierState]] = defaultdict(list)
    for dossier in dossiers:
        groups[unit_of(dossier)].append(dossier)
    as_of = as_of or datetime.now(UTC)
    return {unit: index766(group, as_of) for unit, group in sorted(groups.items())}
