"""``sohoa run``: the main job (city server + officer app)."""

from __future__ import annotations

import argparse

__all__ = ["register"]


def _run(args: argparse.Namespace) -> int:
    print(
        "SoHoa: máy chủ thành phố và ứng dụng cán bộ chưa có trong bản này.\n"
        "SoHoa: the city server and the officer app are not in this build yet."
    )
    return 1


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``run`` command."""
    run = subparsers.add_parser("run", help="city server + officer app with demo data")
    run.set_defaults(func=_run)
