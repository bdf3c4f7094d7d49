"""``sohoa app`` (the officer app) and ``sohoa run`` (city server + officer app with demo data)."""

from __future__ import annotations

import argparse
import logging
import os
import secrets
from pathlib import Path

__all__ = ["register", "serve_app"]

DEFAULT_APP_PORT = 8550
ASSETS_DIR = Path(__file__).resolve().parent.parent / "assets"


def serve_app(
    data_dir: Path,
    settings_path: Path,
    *,
    web: bool,
    host: str = "127.0.0.1",
    port: int = DEFAULT_APP_PORT,
    open_browser: bool = True,
) -> None:
    """Run the officer app until interrupted: a window, or a web server on `host:port`.

    :param data_dir: the device's data dir (vault, uploads).
    :param settings_path: flet.toml of this device or centre.
    """
    import flet as ft

    from app.backend import Backend
    from app.main import main, use_backend
    from core.settings import Settings, load_settings

    # Warnings and errors (Flet's web server included) go to the console and the service log.
    logging.basicConfig(
        level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    settings = load_settings(settings_path) if settings_path.exists() else Settings()
    backend = Backend(data_dir, settings)
    use_backend(backend)
    # Flet signs upload URLs with this secret; a fresh one per run is enough for one process.
    os.environ.setdefault("FLET_SECRET_KEY", secrets.token_urlsafe(32))
    if web and not open_browser:
        os.environ["FLET_FORCE_WEB_SERVER"] = "true"
    try:
        ft.run(
            main,
            host=host,
            port=port,
            view=ft.AppView.WEB_BROWSER if web else ft.AppView.FLET_APP,
            assets_dir=str(ASSETS_DIR),
            upload_dir=str(backend.upload_dir),
            no_cdn=True,
        )
    finally:
        backend.close()


def _app(args: argparse.Namespace) -> int:
    serve_app(
        Path(args.data_dir),
        Path(args.settings),
        web=args.web,
        host=args.host,
        port=args.port,
        open_browser=not args.no_browser,
    )
    return 0


def _run(args: argparse.Namespace) -> int:
    from app.demo import prepare_demo_device, start_city_server

    var_dir = Path(args.var).resolve()
    var_dir.mkdir(parents=True, exist_ok=True)
    server_url = f"http://{args.host}:{args.server_port}"
    server, context = start_city_server(var_dir, args.host, args.server_port)
    try:
        demo = prepare_demo_device(var_dir, server_url, context)
        settings_path = var_dir / "device.toml"
        settings_path.write_text(
            f'[server]\nurl = "{server_url}"\n[unit]\ncode = "11311"\n[sync]\n'
            'interval_seconds = 30\n[scan]\nprofile = "standard"\n[app]\nlanguage = "vi"\n',
            encoding="utf-8",
        )
        print(
            f"SoHoa demo — máy chủ thành phố / city server: {server_url}\n"
            f"Ứng dụng cán bộ / officer app: http://{args.host}:{args.app_port}\n"
            f"Đơn vị / unit: {demo.unit_name} · cán bộ / officer: {demo.officer} · "
            f"PIN: {demo.pin}",
            flush=True,
        )
        serve_app(
            demo.data_dir,
            settings_path,
            web=True,
            host=args.host,
            port=args.app_port,
            open_browser=not args.no_browser,
        )
    finally:
        server.should_exit = True
    return 0


def _add_app_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", default="var/device", help="device data dir (vault, uploads)")
    parser.add_argument("--settings", default="flet.toml", help="settings file of this device")
    parser.add_argument("--host", default="127.0.0.1", help="address the web app listens on")
    parser.add_argument("--port", type=int, default=DEFAULT_APP_PORT, help="web app port")
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser tab")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``app`` and ``run`` commands."""
    app = subparsers.add_parser(
        "app",
        help="the officer app (window, or --web in the browser)",
        description="Ứng dụng cán bộ một cửa / the officer app. --web serves Flet's bundled web "
        "client (no CDN), so it works with no internet at all.",
    )
    app.add_argument("--web", action="store_true", help="serve in the browser instead of a window")
    _add_app_options(app)
    app.set_defaults(func=_app)
    run = subparsers.add_parser(
        "run",
        help="city server + officer app in the browser, with a demo unit, device and officer",
        description="Máy chủ thành phố (SQLite trong ./var) và ứng dụng cán bộ trên trình duyệt, "
        "với đơn vị, thiết bị và cán bộ mẫu; mã PIN in ra màn hình. / The city server on SQLite "
        "under ./var and the officer app in the browser, with demo data; the PIN is printed.",
    )
    run.add_argument("--var", default="var", help="where the server and the demo device keep data")
    run.add_argument("--host", default="127.0.0.1", help="address both servers listen on")
    run.add_argument("--server-port", type=int, default=8000, help="city server port")
    run.add_argument("--app-port", type=int, default=DEFAULT_APP_PORT, help="officer app port")
    run.add_argument("--no-browser", action="store_true", help="do not open a browser tab")
    run.set_defaults(func=_run)
