"""Chunks of consecutive files are embedded together, then each file is written on its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingestion.pipeline import IngestionPipeline
from ingestion.registry import default_parser_registry
from ingestion.splitter import TokenSplitter
from retrieval.lancedb import LanceDbIndex
from ridgeline.providers.tokenizer import TiktokenTokenizer
from tests.fakes import HashingEmbedder
from tests.ingestion.fakes import FixedOcr, InMemoryIndex, RecordingEmbedder
from tests.retrieval.searching import search


def pipeline(index: object, embedder: HashingEmbedder, *, batch: int) -> IngestionPipeline:
    return IngestionPipeline(
        registry=default_parser_registry(ocr=FixedOcr(""), max_image_pixels=10**6),
        splitter=TokenSplitter(tokenizer=TiktokenTokenizer()),
        embedder=embedder,
        index=index,  # type: ignore[arg-type]
        max_file_bytes=10**6,
        embed_batch_chunks=batch,
    )


@pytest.fixture
def notes(tmp_path: Path) -> Path:
    folder = tmp_path / "notes"
    folder.mkdir()
    for n in range(5):
        (folder / f"note{n}.txt").write_text(f"Note {n} about the stove.", encoding="utf-8")
    return folder


def test_files_are_embedded_together_up_to_the_batch_size(notes: Path) -> None:
    embedder, index = RecordingEmbedder(), InMemoryIndex()

    report = pipeline(index, embedder, batch=2).run([notes])

    assert embedder.calls == [2, 2, 1]  # one chunk per note
    assert [r.source for r in report.files] == [f"note{n}.txt" for n in range(5)]
    assert index.count_chunks() == 5
    assert all(r.stages["embed"] > 0 for r in report.files)


def test_each_file_gets_its_own_vectors(notes: Path) -> None:
    embedder, index = RecordingEmbedder(), InMemoryIndex()
    pipeline(index, embedder, batch=256).run([notes])
    hits = search(
        index,
        text="",
        vector=HashingEmbedder().embed_query("Note 3 about the stove."),
        mode="vectors",
        top=1,
    )
    assert embedder.calls == [5]
    assert hits[0].chunk.source == "note3.txt"


@pytest.mark.integration
def test_a_run_leaves_a_lancedb_index_compacted_and_fully_indexed(
    notes: Path, tmp_path: Path
) -> None:
    index = LanceDbIndex(tmp_path / "index", dimension=HashingEmbedder().dimension)

    pipeline(index, HashingEmbedder(), batch=2).run([notes])

    chunks = index._tables.get().chunks  # what a query will scan
    assert chunks.stats()["fragment_stats"]["num_fragments"] == 1
    assert all(i.num_unindexed_rows == 0 for i in chunks.list_indices())


class WriteCountingIndex(LanceDbIndex):
    def __init__(self, directory: Path) -> None:
        super().__init__(directory, dimension=HashingEmbedder().dimension)
        self.writes: list[str] = []

    def bulk_load(self, documents, **options):  # type: ignore[no-untyped-def,override]
        documents = list(documents)
        self.writes.append(f"bulk {len(documents)}")
        return super().bulk_load(documents, **options)

    def replace_document(self, document, chunks, vectors, **options):  # type: ignore[no-untyped-def,override]
        self.writes.append(f"replace {document.source}")
        super().replace_document(document, chunks, vectors, **options)


@pytest.mark.integration
def test_new_files_are_appended_together_and_changed_ones_swapped_alone(
    notes: Path, tmp_path: Path
) -> None:
    index = WriteCountingIndex(tmp_path / "index")
    pipeline(index, HashingEmbedder(), batch=256).run([notes])
    (notes / "note2.txt").write_text("Note 2 now says: pack a lighter.", encoding="utf-8")
    (notes / "note9.txt").write_text("A brand new note.", encoding="utf-8")

    report = pipeline(index, HashingEmbedder(), batch=256).run([notes])

    assert index.writes == ["bulk 5", "replace note2.txt", "bulk 1"]
    assert report.counts["added"] == 1 and report.counts["updated"] == 1
    hits = search(index, text="lighter", vector=None, mode="text", top=5)
    assert [h.chunk.source for h in hits] == ["note2.txt"]
    assert index.count_chunks() == 6


@pytest.mark.integration
def test_a_run_that_writes_upgrades_an_index_built_before_stemming(
    notes: Path, tmp_path: Path
) -> None:
    import lancedb
    from lancedb.index import FTS

    from retrieval import schema

    index = LanceDbIndex(tmp_path / "index", dimension=HashingEmbedder().dimension)
    pipeline(index, HashingEmbedder(), batch=256).run([notes])
    table = lancedb.connect(tmp_path / "index").open_table(schema.CHUNKS_TABLE)
    table.create_index(schema.SEARCH_TEXT_COLUMN, config=FTS(stem=False), replace=True)  # as before
    old = LanceDbIndex(tmp_path / "index", dimension=HashingEmbedder().dimension)
    assert not old.text_index_is_current()

    (notes / "new.txt").write_text("Stoves must be used outdoors.", encoding="utf-8")
    pipeline(old, HashingEmbedder(), batch=256).run([notes])

    assert old.text_index_is_current()
    hits = search(old, text="stove", vector=None, mode="text", top=10)
    assert "new.txt" in {h.chunk.source for h in hits}
