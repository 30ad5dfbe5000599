from chat.compared import with_compared_records
from ridgeline.types import SearchFilters, SearchHit
from tests.chat.fakes import make_hit, priced_record


def record(number: int, name: str, price: float) -> SearchHit:
    return priced_record(number, name, price, "Camping Stoves")


MANUAL = make_hit("product_info_6.md", "The EcoFire Camping Stove burns twigs and leaves.")


def test_the_record_of_a_compared_product_missing_from_the_sources_is_searched_for():
    asked: list[tuple[str, SearchFilters | None]] = []

    def search(text: str, filters: SearchFilters | None) -> list[SearchHit]:
        asked.append((text, filters))
        return [record(6, "EcoFire Camping Stove", 80.0)]

    hits = [record(20, "CompactCook Camping Stove", 60.0), MANUAL]
    question = "Compare the EcoFire and CompactCook stoves"
    kept = with_compared_records(question, hits, SearchFilters(brand="CompactCook"), search)

    assert [h.chunk.citation for h in kept] == [
        "products.csv#id=20",
        "product_info_6.md",
        "products.csv#id=6",
    ]
    assert asked == [("EcoFire", SearchFilters(min_price=0.0))]  # records only, no brand


def test_nothing_is_searched_when_both_records_are_found_or_nothing_is_compared():
    def search(text: str, filters: SearchFilters | None) -> list[SearchHit]:
        raise AssertionError("no search expected")

    both = [record(20, "CompactCook Camping Stove", 60.0), record(6, "EcoFire Camping Stove", 80.0)]
    assert with_compared_records("EcoFire vs CompactCook", both, None, search) == both
    assert with_compared_records("How do I light the stove?", [MANUAL], None, search) == [MANUAL]
