"""SIGKILL the device and the city server mid-transfer over a faulty link: all arrives once.

The harness is the soak of ``bench/sync_soak.py`` (10,000 faults there), run short here.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from sync.faultproxy import FaultPlan

SOAK = Path(__file__).resolve().parents[2] / "bench" / "sync_soak.py"


def _soak_module():
    spec = importlib.util.spec_from_file_location("sync_soak", SOAK)
    module = importlib.util.module_from_spec(spec)
    sys.modules["sync_soak"] = module
    spec.loader.exec_module(module)
    return module


def test_killed_device_and_server_lose_and_double_nothing(tmp_path):
    soak = _soak_module()
    plan = FaultPlan(
        bits_per_second=1_000_000,
        fault_probability=0.5,
        kinds=("drop", "drop", "corrupt", "corrupt", "stall"),
        fault_window=8 * 1024,
        stall_seconds=0.05,
    )
    result = soak.run_soak(
        tmp_path,
        plan=plan,
        rounds=1,
        dossiers_per_round=12,
        page_size=10_000,
        device_kills_per_round=3,
        server_kill_every=2,
        seed=11,
    )
    assert result.device_kills >= 2 and result.server_kills == 1
    assert sum(result.faults.values()) > 20
    assert result.device_events == result.server_events == 12
    assert (result.lost, result.duplicated, result.extra) == (0, 0, 0)
    assert result.pages == 24 and result.bad_pages == 0
