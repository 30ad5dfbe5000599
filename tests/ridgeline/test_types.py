from ridgeline.types import Citation, citation_for


def test_citations_follow_the_reference_convention():
    assert citation_for("a.pdf", page_number=3) == "a.pdf#page=3"
    assert citation_for("products.csv", record_id="7") == "products.csv#id=7"
    assert citation_for("notes.md") == "notes.md"


def test_a_citation_string_parses_back_to_its_parts():
    assert Citation.parse("a.pdf#page=3").page_number == 3
    assert Citation.parse("products.csv#id=7").record_id == "7"
    plain = Citation.parse("notes.md")
    assert plain.source == "notes.md" and plain.page_number is None and plain.record_id is None
