"""Moving a device to its city server's new address: only a server that knows the device."""

from __future__ import annotations

import pytest

from server.testing import running_server
from sync.errors import Offline, UnknownDevice
from sync.faultproxy import FaultProxy
from sync.runtime import DeviceRuntime


def test_the_same_city_at_a_new_address_is_kept_and_synced_through(city, tmp_path, kit):
    device = kit.enrol_device(city, tmp_path / "device")
    port = int(city.base_url.rsplit(":", 1)[1])
    with FaultProxy(("127.0.0.1", port)) as proxy:
        moved = device.move_to(proxy.url + "/")
        assert moved.server_url == proxy.url
        before = proxy.connections
        event = kit.receive(device, 1)
        kit.sync_once(device)
        assert event.id in kit.server_events(city)
        assert proxy.connections > before
    device.close()
    reopened = DeviceRuntime.open(tmp_path / "device", kit.pin, kdf_cost=kit.kdf_cost)
    assert reopened.identity.server_url == proxy.url
    reopened.close()


def test_another_server_is_refused_and_the_address_stays(city, tmp_path, kit):
    device = kit.enrol_device(city, tmp_path / "device")
    with running_server(tmp_path / "elsewhere") as other, pytest.raises(UnknownDevice) as refused:
        device.move_to(other.base_url)
    assert other.base_url in refused.value.message("vi")
    assert "does not know this device" in refused.value.message("en")
    assert device.identity.server_url == city.base_url
    device.close()


def test_an_address_nobody_answers_is_offline(city, tmp_path, kit):
    device = kit.enrol_device(city, tmp_path / "device")
    with pytest.raises(Offline):
        device.move_to("http://127.0.0.1:9")
    assert device.identity.server_url == city.base_url
    device.close()
