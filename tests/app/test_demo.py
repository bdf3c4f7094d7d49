from app.demo import DEMO_OFFICER, prepare_demo_device
from storage import Vault


def test_demo_device_is_enrolled_once_and_keeps_its_pin(tmp_path, city):
    first = prepare_demo_device(tmp_path, city.base_url, city.context)
    again = prepare_demo_device(tmp_path, city.base_url, city.context)
    assert first == again
    assert first.officer == DEMO_OFFICER and first.unit_name == "Phường Hồng Bàng"
    assert first.pin.isdigit() and len(first.pin) == 8
    with Vault.open(first.data_dir) as vault:
        assert [o.name for o in vault.officers()] == [DEMO_OFFICER]
