"""The ``sohoa`` console script: one command, with a subcommand per job.

Each package that offers commands has a ``cli.py`` with ``register(subparsers)``; this module only
collects them, so the CLI stays a thin shell over each package's API.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from core.errors import SohoaError

__all__ = ["build_parser", "main"]

COMMAND_MODULES = ("app.cli", "server.cli", "scan.cli", "sync.cli")


def build_parser() -> argparse.ArgumentParser:
    """Return the parser for every ``sohoa`` subcommand."""
    parser = argparse.ArgumentParser(
        prog="sohoa",
        description="SoHoa — số hoá hồ sơ tại Trung tâm Phục vụ hành chính công / "
        "offline-first dossier digitisation",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the ``sohoa`` command line and return its exit status."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except SohoaError as exc:
        print(f"sohoa: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
