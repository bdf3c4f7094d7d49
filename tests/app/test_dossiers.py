import pytest

from app.state.dossiers import (
    DossierQuery,
    next_page,
    previous_page,
    search_kind,
    set_filter,
    set_search,
)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("", ""),
        ("001203004567", "cccd"),
        ("H31.11311-260302-0304", "code"),
        ("nguyen van an", "name"),
        ("Nguyễn", "name"),
    ],
)
def test_search_kind(text, kind):
    assert search_kind(text) == kind


def test_pages_follow_cursors_and_come_back():
    query = DossierQuery()
    assert query.page_number == 1 and query.after is None
    query = next_page(query, "2026-01-01|x")
    query = next_page(query, "2025-12-01|y")
    assert query.page_number == 3 and query.after == "2025-12-01|y"
    query = previous_page(query)
    assert query.after == "2026-01-01|x"
    assert previous_page(previous_page(query)).page_number == 1


def test_last_page_has_no_next():
    query = DossierQuery()
    assert next_page(query, None) == query


def test_search_and_filter_go_back_to_the_first_page():
    query = next_page(DossierQuery(), "c")
    assert set_search(query, "an").page_number == 1
    assert set_filter(query, "overdue").filter == "overdue"
    assert set_filter(query, "overdue").page_number == 1
    with pytest.raises(ValueError):
        set_filter(query, "nonsense")
