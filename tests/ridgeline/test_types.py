from ridgeline.types import Chunk, Citation, bm25_text, citation_for, indexed_text


def test_citations_follow_the_reference_convention():
    assert citation_for("a.pdf", page_number=3) == "a.pdf#page=3"
    assert citation_for("products.csv", record_id="7") == "products.csv#id=7"
    assert citation_for("notes.md") == "notes.md"


def test_a_citation_string_parses_back_to_its_parts():
    assert Citation.parse("a.pdf#page=3").page_number == 3
    assert Citation.parse("products.csv#id=7").record_id == "7"
    plain = Citation.parse("notes.md")
    assert plain.source == "notes.md" and plain.page_number is None and plain.record_id is None


def _chunk(content: str, title: str | None) -> Chunk:
    return Chunk(chunk_id="c", document_id="d", source="a.md", citation="a.md", content=content,
                 title=title)  # fmt: skip


def test_the_indexed_text_puts_the_title_before_the_content_once() -> None:
    assert indexed_text(_chunk("Dry the bag.", "Bag > Care")) == "Bag > Care\nDry the bag."
    assert indexed_text(_chunk("Bag > Care: dry it.", "Bag > Care")) == "Bag > Care: dry it."
    assert indexed_text(_chunk("Dry the bag.", None)) == "Dry the bag."


def test_bm25_reads_the_title_only_when_asked() -> None:
    chunk = _chunk("Dry the bag.", "Bag > Care")
    assert bm25_text(chunk, titles=False) == "Dry the bag."
    assert bm25_text(chunk, titles=True) == indexed_text(chunk)
