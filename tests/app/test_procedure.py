import pytest

from app.state.procedure import open_bundle, search_procedures
from core.catalogue import load_catalogue

CATALOGUE = load_catalogue()


@pytest.mark.parametrize(
    "query",
    ["khai sinh", "Đăng ký khai sinh", "dang ky khai sinh", "ĐĂNG KÝ KHAI SINH", "1.001193"],
)
def test_birth_registration_is_found_with_or_without_accents(query):
    found = search_procedures(CATALOGUE, query)
    assert found.results[0].code == "1.001193"


def test_empty_query_finds_nothing():
    assert search_procedures(CATALOGUE, "  ").results == ()


def test_bundles_are_offered_and_open_to_their_procedures():
    bundle = next(iter(CATALOGUE.bundles.values()))
    word = bundle.procedures[0]
    found = search_procedures(CATALOGUE, word)
    assert bundle in found.bundles
    opened = open_bundle(CATALOGUE, found, bundle)
    assert [p.code for p in opened.results] == list(bundle.procedures)
