"""A catalog record's attributes are read once at ingestion and carried by all its chunks."""

import csv
from pathlib import Path

from ingestion.attributes import with_record_attributes
from ingestion.pipeline import IngestionPipeline
from ingestion.registry import default_parser_registry
from ingestion.splitter import TokenSplitter
from ridgeline.providers.tokenizer import TiktokenTokenizer
from ridgeline.types import ChunkKind, Page, SourceDocument
from tests.fakes import HashingEmbedder, MemoryIndex
from tests.ingestion.fakes import FixedOcr

# The weight is in the description's first sentence; the filler pushes the rest of the record
# into later chunks, as a long product page does.
_BIVVY = (
    "A one-person tent that packs to 1.1 kg. "
    + "It pitches with one trekking pole and sheds rain and wind on exposed ridges. " * 6
    + "The floor is 30D silnylon with a 3000 mm hydrostatic head."
)


def _catalog(folder: Path) -> Path:
    path = folder / "products.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "price", "category", "description"])
        writer.writerow(["1", "Bivvy Solo 1 Tent", "229", "Tents", _BIVVY])
        writer.writerow(["2", "Ptarmigan 2 Tent", "389", "Tents", "A two-person tent, 1.62 kg."])
    return path


def _pipeline(index: MemoryIndex, chunk_tokens: int = 40) -> IngestionPipeline:
    return IngestionPipeline(
        registry=default_parser_registry(ocr=FixedOcr(""), max_image_pixels=10**6),
        splitter=TokenSplitter(
            tokenizer=TiktokenTokenizer(), chunk_tokens=chunk_tokens, overlap_tokens=4
        ),
        embedder=HashingEmbedder(),
        index=index,
        max_file_bytes=10**6,
    )


def test_every_chunk_of_a_record_carries_the_whole_records_attributes(tmp_path: Path) -> None:
    index = MemoryIndex()
    _pipeline(index).run([_catalog(tmp_path)])
    bivvy = [c for c in index.all_chunks() if c.title == "Bivvy Solo 1 Tent"]
    assert len(bivvy) >= 3  # the record was cut into several chunks
    assert "1.1 kg" not in bivvy[-1].content
    for chunk in bivvy:
        assert chunk.attributes is not None
        assert chunk.attributes.number("weight_kg") == 1.1
        assert chunk.attributes.number("waterproof_mm") == 3000.0
        assert chunk.attributes.words("materials") == ["silnylon"]
    last = bivvy[-1].attributes
    assert last is not None
    weight = next(f for f in last.facts if f.field == "weight_kg")
    assert weight.sentence == "A one-person tent that packs to 1.1 kg."


def test_the_attribute_stage_is_timed_in_the_report(tmp_path: Path) -> None:
    report = _pipeline(MemoryIndex()).run([_catalog(tmp_path)])
    assert "attributes" in report.files[0].stages


def test_chunks_that_are_not_records_are_left_without_attributes() -> None:
    document = SourceDocument(
        document_id="d", path=Path("a.txt"), source="a.txt", content_hash="h", size_bytes=1
    )
    pages = [Page(source="a.txt", text="The stove weighs 78 g.")]
    splitter = TokenSplitter(tokenizer=TiktokenTokenizer(), chunk_tokens=40, overlap_tokens=4)
    chunks = with_record_attributes(pages, splitter.split(pages, document))
    assert chunks[0].kind is ChunkKind.TEXT and chunks[0].attributes is None


def test_a_record_without_facts_is_read_and_says_so() -> None:
    document = SourceDocument(
        document_id="d", path=Path("p.csv"), source="p.csv", content_hash="h", size_bytes=1
    )
    page = Page(source="p.csv", record_id="5", text="Gift card", kind=ChunkKind.CATALOG)
    splitter = TokenSplitter(tokenizer=TiktokenTokenizer(), chunk_tokens=40, overlap_tokens=4)
    (chunk,) = with_record_attributes([page], splitter.split([page], document))
    assert chunk.attributes is not None and chunk.attributes.facts == ()
