"""Fixtures of the app tests: a real city server, an enrolled device, and a browser driver.

Browser tests run Debian's Chromium headless against the officer app served by ``sohoa app --web``
(or ``sohoa run``) in a subprocess, and find widgets by their ``flt-semantics-identifier``.
Screenshots go to test-artifacts/app/ (gitignored).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import socket
import struct
import subprocess
import sys
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest
import segno
from PIL import Image
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from app.backend import Backend
from core.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "app"
FAST_KDF = {"kdf_cost": 1 << 10}
PIN = "24681357"
OFFICER = "Lê Thị Hoa"
FILL_SETTLE_SECONDS = 0.3
CHIP_QR = (
    "031090000123|123456789|Nguyễn Văn An|17051990|Nam|Số 1 Lê Lợi, Hồng Bàng, Hải Phòng|01012021"
)


def free_port() -> int:
    """Return a loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_http(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    """Wait until `url` answers, failing early when `process` dies."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args} exited with {process.returncode}")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise TimeoutError(url)


def enrol_device(data_dir: Path, server, server_url: str) -> Backend:
    """Enrol a device of unit 11311 with `server` (reached at `server_url`)."""
    backend = Backend(data_dir, Settings(server_url=server_url), vault_options=FAST_KDF)
    code = server.admin.enrolment_code("11311")
    backend.vault_thread.submit(backend.enrol, server_url, code, OFFICER, PIN).result()
    return backend


@pytest.fixture
def city(tmp_path: Path):
    """A real city server on a free loopback port."""
    from server.testing import running_server

    with running_server(tmp_path / "city") as server:
        yield server


@pytest.fixture
def desk(tmp_path: Path, city):
    """An unlocked officer's desk on a device enrolled with `city`."""
    backend = enrol_device(tmp_path / "device", city, city.base_url)
    officer = backend.vault_thread.submit(backend.officers).result()[0]
    desk = backend.vault_thread.submit(backend.unlock, officer.id, PIN).result()
    yield desk
    backend.vault_thread.submit(desk.lock).result()
    backend.close()


@pytest.fixture
def on_vault(desk):
    """Run a call on the vault thread, as the app does (SQLite wants one thread)."""
    return lambda fn, *args: desk.backend.vault_thread.submit(fn, *args).result()


def huge_png_header(width: int, height: int) -> bytes:
    """A PNG that claims `width`×`height` pixels (a decompression bomb, cheap to make)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


def qr_png(text: str, scale: int = 6) -> bytes:
    """A full-size QR (zbar, like phone camera apps, does not read Micro QR)."""
    out = io.BytesIO()
    segno.make_qr(text, error="m").save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def qr_photo(png: bytes, *, angle: float = 0, exif_orientation: int | None = None) -> bytes:
    """Paste the QR, turned by ``angle``, into a large grey-ish JPEG like a phone photo."""
    code = Image.open(io.BytesIO(png)).convert("RGB").resize((700, 700), Image.NEAREST)
    code = code.rotate(angle, expand=True, fillcolor="white")
    photo = Image.new("RGB", (3000, 2200), (182, 176, 160))
    photo.paste(code, (1300, 600))
    exif = Image.Exif()
    if exif_orientation is not None:
        exif[0x0112] = exif_orientation
    out = io.BytesIO()
    photo.save(out, format="JPEG", quality=85, exif=exif)
    return out.getvalue()


@pytest.fixture
def qr() -> SimpleNamespace:
    """QR helpers for test modules (importlib mode cannot import conftest)."""
    return SimpleNamespace(png=qr_png, photo=qr_photo)


@pytest.fixture(scope="session")
def photos(tmp_path_factory) -> dict[str, Path]:
    """Synthetic phone photos of paper forms, a non-image file and an oversized image."""
    from scan.synthetic import Scene, draw_form, photograph

    folder = tmp_path_factory.mktemp("photos")
    page, text = draw_form(dpi=150)
    files = {}
    for seed in (1, 2):
        photo = photograph(page, text, Scene(frame=(1500, 2000), seed=seed, blur=0.5))
        files[f"form{seed}"] = folder / f"form{seed}.jpg"
        files[f"form{seed}"].write_bytes(photo.data)
    files["text"] = folder / "notes.txt"
    files["text"].write_text("không phải ảnh / not an image")
    files["huge"] = folder / "huge.png"
    files["huge"].write_bytes(huge_png_header(40000, 40000))
    return files


class Driver:
    """Drive the Flet web client through semantics identifiers, as an officer would tap."""

    def __init__(self, page, shots: Path):
        self.page = page
        self.shots = shots
        # What the Flet client said (errors, websocket drops), shown when a test fails.
        self.console: list[str] = []
        page.on("console", lambda message: self.console.append(f"{message.type}: {message.text}"))

    def open(self, url: str, timeout: float = 60) -> float:
        """Load the app and turn semantics on; return seconds until widgets are reachable."""
        start = time.monotonic()
        base = url.rstrip("/")
        # Offline by design: anything not served by the app itself (a CDN) is refused at once.
        self.page.route(
            "**/*", lambda r: r.continue_() if r.request.url.startswith(base) else r.abort()
        )
        self.page.goto(url)
        self.page.wait_for_selector(
            "flt-semantics-placeholder", state="attached", timeout=timeout * 1000
        )
        while time.monotonic() - start < timeout:
            # The placeholder goes away once semantics are on.
            with contextlib.suppress(PlaywrightError):
                self.page.locator("flt-semantics-placeholder").dispatch_event("click", timeout=500)
            if self.page.locator("[flt-semantics-identifier]").count():
                return time.monotonic() - start
            time.sleep(0.2)
        raise TimeoutError("the app never exposed its semantics tree")

    def node(self, identifier: str):
        """The element tagged `identifier`."""
        return self.page.locator(f'[flt-semantics-identifier="{identifier}"]').first

    def wait(self, identifier: str, timeout: float = 45):
        """Wait for the element tagged `identifier` and return it."""
        self.node(identifier).wait_for(state="attached", timeout=timeout * 1000)
        return self.node(identifier)

    def click(self, identifier: str, timeout: float = 45) -> None:
        """Tap the button tagged `identifier`."""
        node = self.wait(identifier, timeout)
        button = node.locator("[role=button]")
        (button.first if button.count() else node).click()

    def fill(self, identifier: str, text: str, timeout: float = 45) -> None:
        """Type `text` into the field tagged `identifier`."""
        node = self.wait(identifier, timeout)
        field = node.locator("input, textarea")
        target = field.first if field.count() else node
        target.click()
        target.fill(text)
        # Flutter hands typed text to the app on a later frame; a tap sent at once can reach the
        # app first and act on the old value (an officer never taps within milliseconds).
        time.sleep(FILL_SETTLE_SECONDS)

    def submit_when_on(self, button: str, typed: dict[str, str], attempts: int = 5) -> None:
        """Type each field of `typed`, then tap `button` once it turns on.

        Text typed into a Flutter field can miss the app on a busy machine (the field drawn
        again, or the change sent late), leaving the button off; so it is typed again.
        """
        submit = self.wait(button).locator("[role=button]").first
        for _ in range(attempts):
            for identifier, text in typed.items():
                self.fill(identifier, text)
            try:
                expect(submit).to_be_enabled(timeout=6000)
            except AssertionError:
                continue
            submit.click()
            return
        raise AssertionError(f"{button} stayed off after {attempts} tries")

    def fill_until(
        self,
        identifier: str,
        text: str,
        *,
        then: str | None = None,
        shows: str | None = None,
        hides: str | None = None,
        attempts: int = 5,
    ) -> None:
        """Type `text` into a field (and tap `then`) until the app answers: the element tagged
        `shows` appears, or the text `hides` goes.

        Text typed into a Flutter field can miss the app (the field drawn again as it got
        focus), so it is typed again rather than waited on for the whole timeout.
        """
        for _ in range(attempts):
            self.fill(identifier, text)
            if then is not None:
                self.click(then)
            try:
                if shows is not None:
                    expect(self.node(shows)).to_be_attached(timeout=6000)
                if hides is not None:
                    expect(self.page.get_by_text(hides)).to_have_count(0, timeout=6000)
                return
            except AssertionError:
                continue
        raise AssertionError(f"{identifier}: the app never answered {text!r}")

    def click_until(self, identifier: str, shows: str, attempts: int = 5) -> None:
        """Tap `identifier` until the element tagged `shows` appears.

        A tap can land while Flutter draws the screen again and be lost; it is tapped again,
        unless the button has already gone (the tap worked and the answer is on its way).
        """
        for _ in range(attempts):
            if self.node(identifier).count():
                with contextlib.suppress(PlaywrightError):
                    self.click(identifier, timeout=5)
            try:
                expect(self.node(shows)).to_be_attached(timeout=6000)
                return
            except AssertionError:
                continue
        raise AssertionError(f"tapping {identifier} never showed {shows}")

    def unlock(self, pin: str) -> None:
        """Type the PIN and tap unlock."""
        self.submit_when_on("unlock-submit", {"pin-field": pin})

    def text(self, identifier: str) -> str:
        """The text the element tagged `identifier` shows."""
        node = self.wait(identifier)
        return (node.get_attribute("aria-label") or "") + " " + node.inner_text()

    def see(self, text: str, timeout: float = 45) -> None:
        """Wait until `text` is shown somewhere on the screen."""
        self.page.get_by_text(text).first.wait_for(timeout=timeout * 1000)

    def upload(self, identifier: str, files: list[Path]) -> None:
        """Tap the picker button `identifier` and choose `files` in the file chooser."""
        with self.page.expect_file_chooser(timeout=30000) as chooser:
            self.click(identifier)
        chooser.value.set_files([str(f) for f in files])

    def no_refused_controls(self) -> None:
        """Fail if Flet drew a control it refused: a red box ("Semantics.content must be …")
        that is not in the semantics tree, so it is looked for in the picture."""
        picture = Image.open(io.BytesIO(self.page.screenshot())).convert("RGB")
        red = sum(
            count
            for count, (r, g, b) in picture.getcolors(picture.width * picture.height)
            if abs(r - 244) < 16 and abs(g - 67) < 16 and abs(b - 54) < 16
        )
        assert red < 400, f"a refused control's red box ({red} red pixels)"

    def shot(self, name: str) -> None:
        """Save a screenshot as test-artifacts/app/<name>.png."""
        self.shots.mkdir(parents=True, exist_ok=True)
        time.sleep(0.3)  # let images decode before the picture
        self.page.screenshot(path=str(self.shots / f"{name}.png"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call):
    """Keep each phase's report on the test; a failing browser test leaves its screen and the
    browser console, taken before the fixtures stop the app."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    driver = getattr(item, "funcargs", {}).get("driver") or getattr(item, "funcargs", {}).get(
        "phone_driver"
    )
    if report.when == "call" and report.failed and driver is not None:
        with contextlib.suppress(PlaywrightError):
            driver.shot(f"FAILED-{item.name}")
        report.sections.append(("browser console", "\n".join(driver.console[-40:])))
    return report


def failed(request: pytest.FixtureRequest) -> bool:
    """Whether the test using this fixture failed in its body."""
    report = getattr(request.node, "report_call", None)
    return report is not None and report.failed


def print_log_if_failed(request: pytest.FixtureRequest, log: Path) -> None:
    """Print the end of the app's own log with a failing test's report."""
    if failed(request):
        print(f"--- {log} ---\n" + log.read_text(errors="replace")[-4000:])


def tab(browser, width: int, height: int) -> Iterator[Driver]:
    """A fresh tab of `width`×`height`."""
    context = browser.new_context(viewport={"width": width, "height": height})
    yield Driver(context.new_page(), ARTIFACTS)
    context.close()


@pytest.fixture
def driver(browser) -> Iterator[Driver]:
    """A fresh tab at tablet size (1280×800)."""
    yield from tab(browser, 1280, 800)


@pytest.fixture
def phone_driver(browser) -> Iterator[Driver]:
    """A fresh tab at phone size (412×915)."""
    yield from tab(browser, 412, 915)


def serve_app(data_dir: Path, server_url: str, tmp_path: Path) -> tuple[subprocess.Popen, str]:
    """Run ``sohoa app --web`` for `data_dir` on a free port; return the process and its URL."""
    port = free_port()
    settings = tmp_path / "device.toml"
    settings.write_text(
        f'[server]\nurl = "{server_url}"\n[unit]\ncode = "11311"\n[sync]\n'
        'interval_seconds = 10\n[scan]\nprofile = "standard"\n[app]\nlanguage = "vi"\n',
        encoding="utf-8",
    )
    command = [sys.executable, "-m", "cli", "app", "--web", "--no-browser", "--port", str(port)]
    command += ["--data-dir", str(data_dir), "--settings", str(settings)]
    log = open(tmp_path / "app.log", "wb")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        # A crash in C code (Pillow, zbar, SQLite) still leaves a traceback in the log.
        env={**os.environ, "PYTHONFAULTHANDLER": "1"},
    )
    url = f"http://127.0.0.1:{port}/"
    wait_for_http(url, process)
    return process, url


def stop(process: subprocess.Popen) -> None:
    """Stop a process this test started, by its id; say so if it had died on its own."""
    if process.poll() is not None:
        print(f"--- {' '.join(map(str, process.args[:4]))} had exited with {process.returncode}")
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@dataclass
class LinkedDevice:
    """An enrolled device served by ``sohoa app --web``, linked to the city through a proxy."""

    url: str
    city: object
    proxy: object
    pin: str = PIN
    chip_qr: str = CHIP_QR

    def go_offline(self) -> None:
        """Refuse every connection to the city, as when its server is stopped."""
        from sync.faultproxy import FaultPlan

        self.proxy.set_plan(FaultPlan(refuse=True))
        self.proxy.cut_all()

    def go_online(self) -> None:
        """Let connections through again."""
        from sync.faultproxy import FaultPlan

        self.proxy.set_plan(FaultPlan())

    def city_dossier(self, code: str) -> tuple[dict, list[str]] | None:
        """The city's summary of dossier `code` and the pages of it the city holds, or None."""
        from server.dossiers import list_dossiers, stored_events

        context = self.city.context
        with context.db.read() as conn:
            found = [d for d in list_dossiers(conn, None, None, 1000, 0) if d["code"] == code]
            if not found:
                return None
            events = stored_events(conn, found[0]["id"])
        pages = [
            page["sha256"]
            for event in events
            for component in event.payload.get("components", [])
            for page in component["pages"]
        ]
        return found[0], [sha for sha in pages if context.blobs.has(sha)]


@pytest.fixture
def linked_device(tmp_path: Path, city, request) -> Iterator[LinkedDevice]:
    """A device enrolled with `city` via a fault proxy, its app served on a free port."""
    from sync.faultproxy import FaultProxy

    port = int(city.base_url.rsplit(":", 1)[1])
    proxy = FaultProxy(("127.0.0.1", port)).start()
    enrol_device(tmp_path / "device", city, proxy.url).close()
    process, url = serve_app(tmp_path / "device", proxy.url, tmp_path)
    try:
        yield LinkedDevice(url, city, proxy)
    finally:
        stop(process)
        proxy.stop()
        print_log_if_failed(request, tmp_path / "app.log")


@dataclass
class DemoRun:
    """A ``sohoa run`` process: its app URL, city URL and the console text it printed."""

    app_url: str
    server_url: str
    console: str

    @property
    def pin(self) -> str:
        """The demo officer's PIN as printed in the console."""
        return re.search(r"PIN: (\d+)", self.console).group(1)


@pytest.fixture
def sohoa_run(tmp_path: Path) -> Iterator[DemoRun]:
    """Run ``sohoa run --no-browser`` on free ports with its data under `tmp_path`."""
    server_port, app_port = free_port(), free_port()
    command = [sys.executable, "-m", "cli", "run", "--no-browser", "--var", str(tmp_path / "var")]
    command += ["--server-port", str(server_port), "--app-port", str(app_port)]
    console = tmp_path / "console.txt"
    with open(console, "wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    app_url = f"http://127.0.0.1:{app_port}/"
    try:
        wait_for_http(app_url, process, timeout=90)
        yield DemoRun(app_url, f"http://127.0.0.1:{server_port}", console.read_text())
    finally:
        stop(process)


@pytest.fixture
def fresh_device(tmp_path: Path, city, request) -> Iterator[tuple[str, object]]:
    """The app served for a device that was never enrolled; yields its URL and the city."""
    process, url = serve_app(tmp_path / "device", city.base_url, tmp_path)
    try:
        yield url, city
    finally:
        stop(process)
        print_log_if_failed(request, tmp_path / "app.log")
