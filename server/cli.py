"""``sohoa server``, ``sohoa enroll``, ``sohoa staff add`` and ``sohoa bundle import``."""

from __future__ import annotations

import argparse
import getpass
import json
import os
from pathlib import Path

import segno

from core.units import unit
from server.settings import DEFAULT_VAR, ServerSettings

__all__ = ["register"]

PASSWORD_ENV = "SOHOA_PASSWORD"


def _settings(args: argparse.Namespace) -> ServerSettings:
    return ServerSettings(
        db_url=args.db,
        blobs_dir=args.blobs,
        keys_dir=args.keys,
        uploads_dir=args.uploads,
        host=getattr(args, "host", "127.0.0.1"),
        port=getattr(args, "port", 8000),
    )


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from server.logs import configure_logging
    from server.main import create_app

    configure_logging(args.log_level.upper())
    settings = _settings(args)
    app = create_app(settings)
    uvicorn.run(app, host=settings.host, port=settings.port, log_config=None, access_log=False)
    return 0


def _enroll(args: argparse.Namespace) -> int:
    from server.db import open_database
    from server.devices import create_enrolment_code

    settings = _settings(args)
    found = unit(args.unit)
    database = open_database(settings)
    try:
        with database.write() as conn:
            code = create_enrolment_code(conn, found.code, settings.enrolment_ttl_seconds)
    finally:
        database.dispose()
    qr_path = args.qr or DEFAULT_VAR / f"enrolment-{found.code}-{code}.png"
    qr_path.parent.mkdir(parents=True, exist_ok=True)
    segno.make(code, error="m", micro=False).save(qr_path, scale=8)
    print(f"Mã đăng ký thiết bị cho {found.name} ({found.code}), dùng một lần.")
    print(f"One-time device enrolment code for {found.code}. QR: {qr_path}")
    print(code)
    return 0


def _add_staff(args: argparse.Namespace) -> int:
    from server.db import open_database
    from server.staff import create_staff

    if args.unit is not None:
        unit(args.unit)
    password = os.environ.get(PASSWORD_ENV) or getpass.getpass("Mật khẩu / Password: ")
    database = open_database(_settings(args))
    try:
        with database.write() as conn:
            member = create_staff(conn, args.username, password, args.role, args.unit)
    finally:
        database.dispose()
    print(f"Đã tạo tài khoản / Created account: {member.username} ({member.role})")
    return 0


def _import_bundle(args: argparse.Namespace) -> int:
    from server.bundles import import_bundle
    from server.main import build_context

    context = build_context(_settings(args))
    try:
        answer = import_bundle(context, args.file.read_bytes())
    finally:
        context.db.dispose()
    statuses = [result["status"] for result in answer["results"]]
    print(json.dumps(answer, ensure_ascii=False, indent=2))
    print(
        f"accepted={statuses.count('accepted')} duplicate={statuses.count('duplicate')} "
        f"rejected={statuses.count('rejected')} blobs={len(answer['blobs'])}"
    )
    return 0


def _storage_options(parser: argparse.ArgumentParser) -> None:
    defaults = ServerSettings()
    parser.add_argument("--db", default=defaults.db_url, help="sqlite:///FILE or postgresql://...")
    parser.add_argument("--blobs", type=Path, default=defaults.blobs_dir, help="blob directory")
    parser.add_argument("--keys", type=Path, default=defaults.keys_dir, help="server key directory")
    parser.add_argument("--uploads", type=Path, default=defaults.uploads_dir, help="tus uploads")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the city-server commands."""
    serve = subparsers.add_parser(
        "server",
        help="run the city server / chạy máy chủ thành phố",
        description="Run the city server (FastAPI on uvicorn).",
    )
    _storage_options(serve)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--log-level", default="info", choices=["debug", "info", "warning"])
    serve.set_defaults(func=_serve)

    enroll = subparsers.add_parser(
        "enroll",
        help="make a one-time device enrolment code / tạo mã đăng ký thiết bị",
        description="Print a one-time enrolment code (alone on the last line) and save its QR.",
    )
    _storage_options(enroll)
    enroll.add_argument("--unit", required=True, help="5-digit commune-level unit code")
    enroll.add_argument("--qr", type=Path, help="where to write the QR PNG")
    enroll.set_defaults(func=_enroll)

    staff = subparsers.add_parser(
        "staff", help="city staff accounts / tài khoản cán bộ", description="Staff accounts."
    )
    staff_commands = staff.add_subparsers(dest="staff_command", required=True)
    add = staff_commands.add_parser(
        "add",
        help="create a staff account (password from SOHOA_PASSWORD or a prompt)",
        description="Create a staff account.",
    )
    _storage_options(add)
    add.add_argument("username")
    add.add_argument(
        "--role",
        required=True,
        choices=["receiving_officer", "processing_officer", "leader", "admin"],
    )
    add.add_argument("--unit", help="unit code; leave out for city-wide staff")
    add.set_defaults(func=_add_staff)

    bundle = subparsers.add_parser(
        "bundle", help="offline bundles / gói ngoại tuyến", description="Offline bundles."
    )
    bundle_commands = bundle.add_subparsers(dest="bundle_command", required=True)
    imports = bundle_commands.add_parser(
        "import",
        help="import a sealed offline bundle (twice changes nothing)",
        description="Import a sealed offline bundle from a device.",
    )
    _storage_options(imports)
    imports.add_argument("file", type=Path)
    imports.set_defaults(func=_import_bundle)
