"""``sohoa device ...``: enrol, receive, sync, export a bundle and show status, headless.

Every command works on a device data directory (``--data DIR``). The PIN comes from the
environment variable ``SOHOA_PIN`` or a prompt, never from the command line, where other users
of the machine could read it.
"""

from __future__ import annotations

import argparse
import getpass
import os
import threading
import time
from pathlib import Path

import httpx

from core.settings import load_settings
from sync.backoff import Backoff
from sync.errors import SyncError
from sync.progress import Progress
from sync.receive import Applicant, receive_dossier
from sync.runner import run_scheduled, sync_until_done
from sync.runtime import DeviceRuntime
from sync.scheduler import SyncScheduler

__all__ = ["PIN_ENV", "register"]

PIN_ENV = "SOHOA_PIN"
PROGRESS_EVERY_SECONDS = 2.0


def _pin() -> str:
    return os.environ.get(PIN_ENV) or getpass.getpass("Mã PIN / PIN: ")


def _enroll(args: argparse.Namespace) -> int:
    with httpx.Client(base_url=args.url, timeout=30) as http:
        device = DeviceRuntime.enrol(
            args.data, http, args.code, _pin(), officer_name=args.officer, label=args.label
        )
    identity = device.identity
    device.close()
    print(f"Đã đăng ký thiết bị {identity.device_id} cho đơn vị {identity.unit_code}")
    print(f"Enrolled device {identity.device_id} for unit {identity.unit_code}")
    return 0


def _receive(args: argparse.Namespace) -> int:
    device = DeviceRuntime.open(args.data, _pin(), officer=args.officer)
    try:
        applicant = Applicant(
            cccd=args.cccd,
            name=args.name,
            birth_date=args.birth_date,
            gender=args.gender,
            phone=args.phone,
            address=args.address,
        )
        event = receive_dossier(
            device, args.procedure, applicant, args.photos, component_id=args.component
        )
    finally:
        device.close()
    print(event.payload["code"])
    return 0


def _print_progress(progress: Progress, stop: threading.Event) -> None:
    last = ""
    while not stop.wait(PROGRESS_EVERY_SECONDS):
        line = progress.snapshot().line("vi")
        if line != last:
            print(line, flush=True)
            last = line


def _sync(args: argparse.Namespace) -> int:
    device = DeviceRuntime.open(args.data, _pin(), officer=args.officer)
    progress = Progress()
    stop = threading.Event()
    printer = threading.Thread(target=_print_progress, args=(progress, stop), daemon=True)
    printer.start()
    try:
        with device.http(args.server, timeout=httpx.Timeout(args.timeout)) as http:
            engine = device.engine(http, progress=progress)
            if args.once:
                deadline = None if args.give_up is None else time.monotonic() + args.give_up
                report = sync_until_done(
                    engine, backoff=Backoff(base=args.retry, cap=60.0), deadline=deadline
                )
                print(progress.snapshot().line("vi"))
                print(
                    f"trang/pages {report.blobs_uploaded}, sự kiện/events "
                    f"{report.events_confirmed}, cách ly/quarantined {report.events_quarantined}"
                    f", nhận về/received {report.feed_events}"
                    + (", ĐÃ XOÁ DỮ LIỆU/WIPED" if report.wiped else "")
                )
                return 0
            interval = args.interval or load_settings(args.config).sync_interval_seconds
            scheduler = SyncScheduler(
                interval=interval, backoff=Backoff(base=args.retry), now=time.monotonic()
            )
            scheduler.connectivity_changed(True, time.monotonic())
            run_scheduled(
                engine,
                scheduler,
                stop=threading.Event(),
                wake=threading.Event(),
                lock=threading.Lock(),
                on_run=lambda outcome: print(
                    outcome.message("vi")
                    if isinstance(outcome, SyncError)
                    else progress.snapshot().line("vi"),
                    flush=True,
                ),
            )
            return 0
    finally:
        stop.set()
        device.close()


def _bundle_export(args: argparse.Namespace) -> int:
    device = DeviceRuntime.open(args.data, _pin(), officer=args.officer)
    try:
        data, events, pages = device.export_bundle()
    finally:
        device.close()
    temporary = args.output.with_name(args.output.name + ".part")
    temporary.write_bytes(data)
    os.replace(temporary, args.output)
    print(f"Đã ghi {events} sự kiện, {pages} trang vào {args.output}")
    print(f"Wrote {events} events and {pages} pages to {args.output}")
    return 0


def _status(args: argparse.Namespace) -> int:
    device = DeviceRuntime.open(args.data, _pin(), officer=args.officer)
    try:
        counts = device.session.outbox.counts()
        blobs = len(device.session.outbox.pending_blobs())
        quarantined = device.session.outbox.quarantined()
        identity = device.identity
    finally:
        device.close()
    print(f"thiết bị/device {identity.device_id} đơn vị/unit {identity.unit_code}")
    for state, label in (
        ("pending", "chờ gửi/queued"),
        ("sent", "đã gửi/sent"),
        ("confirmed", "đã xác nhận/confirmed"),
        ("quarantined", "bị cách ly/quarantined"),
    ):
        print(f"{label}: {counts.get(state, 0)}")
    print(f"trang chờ gửi/pages queued: {blobs}")
    for item in quarantined:
        print(f"  {item.event.id} {item.event.type}: {item.reason}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``device`` command and its subcommands."""
    device = subparsers.add_parser("device", help="headless device: enrol, receive, sync, bundle")
    commands = device.add_subparsers(dest="device_command", required=True, metavar="SUBCOMMAND")

    def command(name: str, help_text: str, func) -> argparse.ArgumentParser:  # type: ignore[no-untyped-def]
        parser = commands.add_parser(name, help=help_text)
        parser.add_argument("--data", type=Path, required=True, help="device data directory")
        parser.add_argument("--officer", help="officer name or id (default: the first officer)")
        parser.set_defaults(func=func)
        return parser

    enroll = command("enroll", "enrol this data directory with a city server", _enroll)
    enroll.add_argument("url", help="city server URL, e.g. https://sohoa.haiphong.gov.vn")
    enroll.add_argument("code", help="one-time enrolment code from the city administrator")
    enroll.add_argument("--label", default="", help="a name for this device")
    enroll.set_defaults(officer="Cán bộ một cửa")

    receive = command("receive", "scan photos into a received dossier; prints its code", _receive)
    receive.add_argument("--procedure", required=True, help="procedure code, e.g. 2.000815")
    receive.add_argument("--cccd", required=True, help="applicant's CCCD number")
    receive.add_argument("--name", required=True, help="applicant's full name")
    receive.add_argument("--birth-date", help="YYYY-MM-DD")
    receive.add_argument("--gender", choices=("male", "female"))
    receive.add_argument("--phone", default="")
    receive.add_argument("--address", default="")
    receive.add_argument("--component", help="component id (default: the procedure's first)")
    receive.add_argument("photos", nargs="+", type=Path, help="photos of the paper pages")

    sync = command("sync", "send queued work and fetch the unit's changes", _sync)
    sync.add_argument("--once", action="store_true", help="stop when everything is sent")
    sync.add_argument(
        "--give-up", type=float, metavar="SECONDS", help="with --once: stop retrying after this"
    )
    sync.add_argument("--server", help="reach the city server at this URL instead (a relay)")
    sync.add_argument("--timeout", type=float, default=30.0, help="seconds per request")
    sync.add_argument("--retry", type=float, default=1.0, help="first retry delay in seconds")
    sync.add_argument("--interval", type=float, help="seconds between syncs (default: --config)")
    sync.add_argument(
        "--config", type=Path, default=Path("flet.toml"), help="flet.toml with [sync] interval"
    )

    bundle = commands.add_parser("bundle", help="offline bundles for a USB stick or SD card")
    bundle_commands = bundle.add_subparsers(dest="bundle_command", required=True)
    export = bundle_commands.add_parser("export", help="seal all unconfirmed work into a file")
    export.add_argument("--data", type=Path, required=True, help="device data directory")
    export.add_argument("--officer", help="officer name or id (default: the first officer)")
    export.add_argument("-o", "--output", type=Path, required=True, help="bundle file to write")
    export.set_defaults(func=_bundle_export)

    command("status", "queued, sent, confirmed and quarantined work", _status)
