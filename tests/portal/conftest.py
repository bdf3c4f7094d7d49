"""Fixtures for the portal tests: a real city server with /portal and /console mounted, dossiers
received by a ward device through the server's ingest, and headless Chromium."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page
from playwright.sync_api import Error as PlaywrightError

from scan.synthetic import Scene, draw_form, photograph
from server.console import mount_console
from server.context import ServerContext
from server.main import build_context
from server.portal import mount_portal
from server.portal.testing import Unit, Ward, running_city
from server.testing import RunningServer, test_settings

WAIT_MS = 30_000
# Playwright's "Pixel 7" descriptor, spelt out so the test needs no registry of devices.
PHONE_DEVICE = {
    "user_agent": (
        "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/159.0.8154.6 Mobile Safari/537.36"
    ),
    "viewport": {"width": 412, "height": 839},
    "device_scale_factor": 2.625,
    "is_mobile": True,
    "has_touch": True,
}


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A real server on 127.0.0.1 with the portal and the console mounted."""
    with running_city(tmp_path_factory.mktemp("city"), mount_portal, mount_console) as running:
        yield running


@pytest.fixture(scope="module")
def context(tmp_path_factory: pytest.TempPathFactory) -> ServerContext:
    """A server's context (database, blobs, clock) without an HTTP listener, for logic tests."""
    return build_context(test_settings(tmp_path_factory.mktemp("server")))


@pytest.fixture
def ward(request: pytest.FixtureRequest) -> Ward:
    """A ward counter device sending to the test's server (`city` if it has one)."""
    if "city" in request.fixturenames:
        return Ward(request.getfixturevalue("city").context)
    return Ward(request.getfixturevalue("context"))


class Screen:
    """A Flet app in one browser tab, driven through its semantics tree."""

    def __init__(self, page: Page, mobile: bool):
        self.page = page
        self.mobile = mobile

    def open(self, url: str, first_identifier: str) -> None:
        """Load the app and switch its semantics on until `first_identifier` shows."""
        self.page.goto(url)
        placeholder = self.page.locator("flt-semantics-placeholder")
        placeholder.wait_for(state="attached", timeout=WAIT_MS)
        for _ in range(40):
            if self.page.locator(f'[flt-semantics-identifier="{first_identifier}"]').count():
                return
            try:
                # Phone emulation only reacts to a tap; the desktop needs a synthetic click.
                if self.mobile:
                    placeholder.tap(force=True, timeout=1000)
                else:
                    placeholder.dispatch_event("click", timeout=1000)
            except PlaywrightError:
                pass  # the placeholder goes away once semantics are on
            time.sleep(0.25)
        raise AssertionError(f"{first_identifier} never appeared")

    def node(self, identifier: str) -> Locator:
        """Return the semantics node tagged `identifier`."""
        return self.page.locator(f'[flt-semantics-identifier="{identifier}"]')

    def press(self, identifier: str) -> None:
        """Tap or click the control tagged `identifier`."""
        node = self.node(identifier).first
        node.wait_for(timeout=WAIT_MS)
        node.tap() if self.mobile else node.click()

    def type_into(self, identifier: str, text: str) -> None:
        """Focus the field tagged `identifier`, clear it and type `text`."""
        self.press(identifier)
        self.page.keyboard.press("Control+A")
        self.page.keyboard.press("Delete")
        self.page.keyboard.type(text)

    def expect_text(self, text: str) -> None:
        """Wait until `text` is shown somewhere on the screen."""
        self.page.get_by_text(text, exact=False).first.wait_for(timeout=WAIT_MS)

    def upload(self, identifier: str, path: Path) -> None:
        """Press the photograph button tagged `identifier` and choose `path`."""
        with self.page.expect_file_chooser(timeout=WAIT_MS) as chooser:
            self.press(identifier)
        chooser.value.set_files(str(path))


@pytest.fixture
def phone(browser: Browser) -> Iterator[Screen]:
    """A tab in an emulated Pixel 7."""
    context = browser.new_context(**PHONE_DEVICE)
    yield Screen(context.new_page(), mobile=True)
    context.close()


@pytest.fixture
def desktop(browser: Browser) -> Iterator[Screen]:
    """A tab in a desktop browser window."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield Screen(context.new_page(), mobile=False)
    context.close()


@pytest.fixture
def unit(context: ServerContext) -> Unit:
    """The competent unit acting on the logic tests' server."""
    return Unit(context)


@pytest.fixture(scope="session")
def sharp_photo() -> bytes:
    """A phone photo of a form that passes every quality check."""
    page, text = draw_form(dpi=200)
    return photograph(page, text, Scene(frame=(1800, 2400))).data


@pytest.fixture(scope="session")
def blurred_photo() -> bytes:
    """The same form photographed out of focus."""
    page, text = draw_form(dpi=200)
    return photograph(page, text, Scene(frame=(1800, 2400), blur=6.0)).data
