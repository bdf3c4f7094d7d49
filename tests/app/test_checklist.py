import pytest

from app.state.checklist import (
    PageRef,
    add_page,
    checklist_for,
    components_payload,
    missing_mandatory,
    move_page,
    remove_page,
)
from core.catalogue import load_catalogue

BIRTH = load_catalogue().get("1.001193")


def page(n: int) -> PageRef:
    return PageRef(sha256=f"{n:064x}", media_type="image/jpeg", mode="grey", dpi=200, size=1000 + n)


def test_new_checklist_lists_every_component_with_no_pages():
    checklist = checklist_for(BIRTH.components)
    assert [i.component_id for i in checklist.items] == [c.id for c in BIRTH.components]
    assert checklist.page_count == 0
    assert missing_mandatory(checklist) == [c.name for c in BIRTH.components if c.mandatory]


def test_pages_are_added_once_moved_and_removed():
    checklist = checklist_for(BIRTH.components)
    cid = BIRTH.components[0].id
    for n in (1, 2, 3, 2):
        checklist = add_page(checklist, cid, page(n))
    assert [p.size for p in checklist.item(cid).pages] == [1001, 1002, 1003]
    checklist = move_page(checklist, cid, 2, -1)
    assert [p.size for p in checklist.item(cid).pages] == [1001, 1003, 1002]
    checklist = move_page(checklist, cid, 0, -5)
    assert [p.size for p in checklist.item(cid).pages] == [1001, 1003, 1002]
    checklist = remove_page(checklist, cid, 0)
    assert [p.size for p in checklist.item(cid).pages] == [1003, 1002]


def test_unknown_component_is_refused():
    with pytest.raises(KeyError):
        add_page(checklist_for(BIRTH.components), "nope", page(1))


def test_filled_mandatory_components_unblock_and_payload_lists_pages():
    checklist = checklist_for(BIRTH.components)
    for n, component in enumerate(c for c in BIRTH.components if c.mandatory):
        checklist = add_page(checklist, component.id, page(n))
    assert missing_mandatory(checklist) == []
    payload = components_payload(checklist)
    assert [c["component_id"] for c in payload] == [c.id for c in BIRTH.components if c.mandatory]
    assert payload[0]["pages"][0] == {
        "sha256": f"{0:064x}",
        "media_type": "image/jpeg",
        "mode": "grey",
        "dpi": 200,
        "bytes": 1000,
    }
