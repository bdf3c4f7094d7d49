"""Mounting the portal and the console on the city server: once, beside the other routes."""

from __future__ import annotations

import httpx

from server.console import CONSOLE_PATH, mount_console
from server.main import create_app
from server.portal import PORTAL_PATH, mount_portal
from server.portal.testing import running_city
from server.testing import test_settings


def test_mounting_again_changes_nothing(tmp_path):
    app = create_app(test_settings(tmp_path))
    for _ in range(2):
        mount_portal(app, app.state.context)
        mount_console(app, app.state.context)
    paths = [getattr(route, "path", None) for route in app.routes]
    assert paths.count(PORTAL_PATH) == 1 and paths.count(CONSOLE_PATH) == 1
    app.state.context.db.dispose()


def test_both_surfaces_are_served_beside_the_api(tmp_path):
    with running_city(tmp_path, mount_portal, mount_console) as city:
        for path in (PORTAL_PATH, CONSOLE_PATH):
            page = httpx.get(f"{city.base_url}{path}/")
            assert page.status_code == 200 and "<html" in page.text.lower()
        assert httpx.get(f"{city.base_url}/healthz").json() == {"status": "ok"}
        refused = httpx.get(f"{city.base_url}/v1/preapplications/NT-0000-0000")
        assert refused.status_code == 401
    assert (tmp_path / "uploads" / "portal").is_dir()
    assert (tmp_path / "uploads" / "console").is_dir()
